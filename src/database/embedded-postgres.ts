import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** Connections the socket server accepts (the app's pool, migrations, a psql for debugging as the same user). */
export const EMBEDDED_MAX_CONNECTIONS = 8;
/**
 * One pooled connection. Measured here: pglite-socket 0.2.17 queues each protocol
 * message separately, so two connections' extended-query messages interleave
 * (Parse of one, Bind of the other: "bind message supplies 2 parameters, but
 * prepared statement requires 1"). A single connection keeps each query whole;
 * PGlite runs one query at a time anyway.
 */
export const EMBEDDED_POOL_SIZE = 1;

/** Longest Unix socket path that every platform accepts (sun_path is 104–108 bytes). */
const MAX_SOCKET_PATH = 100;
const SOCKET_FILE = '.s.PGSQL.5432';

/**
 * The database's own thread: PGlite and its socket server run here, so PostgreSQL's work (WebAssembly) runs beside
 * the service's JavaScript instead of taking turns with it on one thread, as a server's processes would. Plain
 * CommonJS given as text, so the same code starts from src/ (tests) and dist/; the modules come as resolved paths.
 */
const DATABASE_THREAD = `
const { parentPort, workerData: w } = require('node:worker_threads');
const { PGlite } = require(w.pglite);
const { PGLiteSocketServer } = require(w.socketServer);
(async () => {
  const db = await PGlite.create(w.dir);
  const server = new PGLiteSocketServer({ db, path: w.path, maxConnections: w.maxConnections });
  await server.start();
  parentPort.on('message', (m) => {
    if (m !== 'stop') return;
    server.stop().then(() => db.close()).then(() => parentPort.postMessage({ stopped: true }), (err) => parentPort.postMessage({ error: String(err && err.stack || err) }));
  });
  parentPort.postMessage({ started: true });
})().catch((err) => parentPort.postMessage({ error: String(err && err.stack || err) }));
`;

type ThreadMessage = { started?: true; stopped?: true; error?: string };

/** The next message of the database thread, or its failure (an error it reports, or its exit). */
function nextMessage(thread: Worker): Promise<ThreadMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: ThreadMessage) => {
      off();
      if (m.error) reject(new Error(`embedded database: ${m.error}`));
      else resolve(m);
    };
    const onError = (err: Error) => {
      off();
      reject(err);
    };
    const onExit = (code: number) => {
      off();
      reject(new Error(`embedded database thread exited (${code})`));
    };
    const off = () => {
      thread.off('message', onMessage);
      thread.off('error', onError);
      thread.off('exit', onExit);
    };
    thread.on('message', onMessage);
    thread.on('error', onError);
    thread.on('exit', onExit);
  });
}

/**
 * PostgreSQL semantics without a server: PGlite (one single-session database in
 * this process, on a thread of its own) served over a Unix socket, so TypeORM keeps using `pg` and the
 * same migrations. The socket server multiplexes pooled connections over the one
 * session and serializes transactions (see docs/decisions/embedded-pglite.md):
 * inside a transaction use only its EntityManager.
 *
 * PGlite accepts any user and password, so the socket is the only gate: it lives
 * in a directory only this process's user can enter (0700), and is itself 0600.
 * No TCP port is opened, so no other local user can connect.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly thread: Worker,
    readonly url: string,
    private readonly socket: { dir: string; temporary: boolean },
  ) {}

  static async start(dataDir: string): Promise<EmbeddedPostgres> {
    const dir = join(dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    const socket = privateSocketDir(dataDir);
    // node-postgres reaches a socket as <host directory>/.s.PGSQL.<port>.
    const path = join(socket.dir, SOCKET_FILE);
    const thread = new Worker(DATABASE_THREAD, {
      eval: true,
      workerData: {
        pglite: require.resolve('@electric-sql/pglite'), socketServer: require.resolve('@electric-sql/pglite-socket'),
        dir, path, maxConnections: EMBEDDED_MAX_CONNECTIONS,
      },
    });
    try {
      await nextMessage(thread);
    } catch (err) {
      await thread.terminate();
      throw err;
    }
    chmodSync(path, 0o600);
    const url = `postgres://postgres@${encodeURIComponent(socket.dir)}:5432/postgres`;
    return new EmbeddedPostgres(thread, url, socket);
  }

  async stop(): Promise<void> {
    const stopped = nextMessage(this.thread);
    this.thread.postMessage('stop');
    try {
      await stopped;
    } finally {
      await this.thread.terminate();
    }
    rmSync(this.socket.temporary ? this.socket.dir : join(this.socket.dir, SOCKET_FILE), { force: true, recursive: true });
  }
}

/** A 0700 directory for the socket: in DATA_DIR, or a private temporary one when that path is too long for a socket. */
function privateSocketDir(dataDir: string): { dir: string; temporary: boolean } {
  const inDataDir = join(dataDir, 'socket');
  if (join(inDataDir, SOCKET_FILE).length <= MAX_SOCKET_PATH) {
    mkdirSync(inDataDir, { recursive: true, mode: 0o700 });
    chmodSync(inDataDir, 0o700);
    rmSync(join(inDataDir, SOCKET_FILE), { force: true }); // left by a process that was killed
    return { dir: inDataDir, temporary: false };
  }
  return { dir: mkdtempSync(join(tmpdir(), 'crashbridge-db-')), temporary: true }; // mkdtemp creates it 0700
}
