import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { pgAdminUrl, runId, usesRunTemplates } from './test-env';
import { migrate } from './migrate';

/** A fresh, empty database for one app under test, so tests never see each other's rows. */
export async function createTestDatabase(): Promise<string> {
  const name = newDatabaseName();
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}"`));
  return databaseUrl(name);
}

/**
 * A fresh database at the newest schema. In a run of scripts/test.mjs it is a copy of a template the real
 * migrations built once in this run (CREATE DATABASE ... TEMPLATE: a few milliseconds, instead of every
 * migration again); run alone, a new database migrated from nothing.
 */
export async function createMigratedTestDatabase(): Promise<string> {
  if (!usesRunTemplates()) {
    const url = await createTestDatabase();
    await migrate(url);
    return url;
  }
  const name = newDatabaseName();
  const template = `${runId()}_template`.toLowerCase();
  try {
    await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  } catch (err) {
    if ((err as { code?: string }).code !== '3D000') throw err; // 3D000: the template does not exist yet
    await buildTemplate(template);
    await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  }
  return databaseUrl(name);
}

/**
 * Migrates a database of its own, then renames it to the template's name. The rename is atomic: when two
 * workers build at once, the loser's rename fails and it drops its copy. It fails with 42P04 when the other's
 * template was there before, and with 23505 (the catalog's unique index) when both renames ran at the same moment.
 */
async function buildTemplate(template: string): Promise<void> {
  const building = newDatabaseName();
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${building}"`));
  await migrate(databaseUrl(building));
  await withAdmin(async (admin) => {
    try {
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== '42P04' && code !== '23505') throw err; // another worker's template is there
      await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
    }
  });
}

const newDatabaseName = () => `${runId()}_${randomBytes(4).toString('hex')}`.toLowerCase();

function databaseUrl(name: string): string {
  const url = new URL(pgAdminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(fn: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: pgAdminUrl() });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

export async function dropDatabasesWithPrefix(prefix: string): Promise<number> {
  return withAdmin(async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${prefix}\\_%`]);
    for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
    return rows.length;
  });
}
