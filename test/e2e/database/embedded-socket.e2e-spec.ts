// The embedded database is reachable only by the service's own user: PGlite takes any
// user name and password, so the socket's file mode is the only gate.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgres } from '@app/database/embedded-postgres';

describe('embedded PostgreSQL socket', () => {
  let dataDir: string;
  let db: EmbeddedPostgres;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cb-embedded-'));
    db = await EmbeddedPostgres.start(dataDir);
  });

  afterAll(async () => {
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('listens on a Unix socket in a 0700 directory, the socket itself 0600 (no TCP port)', () => {
    expect(db.url).toMatch(/^postgres:\/\/postgres@%2F/);
    const url = new URL(db.url);
    const dir = decodeURIComponent(url.hostname);
    expect(dir).toBe(join(dataDir, 'socket'));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, '.s.PGSQL.5432')).mode & 0o777).toBe(0o600);
  });

  it('serves the service over that socket', async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>('SELECT 1 + 1 AS n');
      expect(rows[0].n).toBe(2);
    } finally {
      await client.end();
    }
  });

  const root = process.getuid?.() === 0;
  (root ? it : it.skip)('refuses another local user, whatever credentials it sends', () => {
    const script = `const {Client}=require('pg');new Client({connectionString:process.argv[1],user:'x',password:'x'}).connect().then(()=>{console.log('CONNECTED');process.exit(0)},(e)=>{console.log(e.code);process.exit(0)})`;
    const res = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, '-e', script, db.url], {
      encoding: 'utf8',
      env: { ...process.env, NODE_PATH: join(process.cwd(), 'node_modules') },
      timeout: 20_000,
    });
    expect(res.stdout.trim()).toBe('EACCES');
  });
});
