import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

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
 * PostgreSQL semantics without a server: PGlite (one single-session database in
 * this process) served over a Unix socket, so TypeORM keeps using `pg` and the
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
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly url: string,
    private readonly socket: { dir: string; temporary: boolean },
  ) {}

  static async start(dataDir: string): Promise<EmbeddedPostgres> {
    const dir = join(dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    const db = await PGlite.create(dir);
    const socket = privateSocketDir(dataDir);
    // node-postgres reaches a socket as <host directory>/.s.PGSQL.<port>.
    const path = join(socket.dir, SOCKET_FILE);
    const server = new PGLiteSocketServer({ db, path, maxConnections: EMBEDDED_MAX_CONNECTIONS });
    await server.start();
    chmodSync(path, 0o600);
    const url = `postgres://postgres@${encodeURIComponent(socket.dir)}:5432/postgres`;
    return new EmbeddedPostgres(db, server, url, socket);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
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
