import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { pgAdminUrl, runId } from './test-env';

/** A fresh database for one app under test, so tests never see each other's rows. */
export async function createTestDatabase(): Promise<string> {
  const name = `${runId()}_${randomBytes(4).toString('hex')}`.toLowerCase();
  const admin = new Client({ connectionString: pgAdminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(pgAdminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabasesWithPrefix(prefix: string): Promise<number> {
  const admin = new Client({ connectionString: pgAdminUrl() });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${prefix}\\_%`]);
    for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
    return rows.length;
  } finally {
    await admin.end();
  }
}
