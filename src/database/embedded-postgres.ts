import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** Connections the socket server accepts (the app's pool, migrations, a psql for debugging). */
export const EMBEDDED_MAX_CONNECTIONS = 8;
/**
 * One pooled connection. Measured here: pglite-socket 0.2.17 queues each protocol
 * message separately, so two connections' extended-query messages interleave
 * (Parse of one, Bind of the other: "bind message supplies 2 parameters, but
 * prepared statement requires 1"). A single connection keeps each query whole;
 * PGlite runs one query at a time anyway.
 */
export const EMBEDDED_POOL_SIZE = 1;

/**
 * PostgreSQL semantics without a server: PGlite (one single-session database in
 * this process) served over a loopback socket, so TypeORM keeps using `pg` and the
 * same migrations. The socket server multiplexes pooled connections over the one
 * session and serializes transactions (docs/decisions/embedded-pglite.md): inside a transaction use only
 * its EntityManager.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly url: string,
  ) {}

  static async start(dataDir: string): Promise<EmbeddedPostgres> {
    const dir = join(dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    const db = await PGlite.create(dir);
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: EMBEDDED_MAX_CONNECTIONS });
    await server.start();
    const url = `postgres://postgres@${server.getServerConn()}/postgres`;
    return new EmbeddedPostgres(db, server, url);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
  }
}
