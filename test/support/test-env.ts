/**
 * How the e2e suite reaches its services. scripts/test.mjs sets these; run alone,
 * the suite falls back to the machine's PostgreSQL and Redis.
 */
export type TestMode = 'postgres' | 'embedded';

export const testMode = (): TestMode => (process.env.TEST_MODE === 'embedded' ? 'embedded' : 'postgres');
export const pgAdminUrl = () => process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const redisUrl = () => process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Databases created by this run start with this prefix, so the runner can drop them all. */
export const runId = () => process.env.TEST_RUN_ID ?? `cbt_${process.pid}`;
/**
 * Whether apps start from a copy of a database the migrations built once in this run (test/support/databases.ts,
 * embedded-template.ts): in runs of scripts/test.mjs, which removes the templates at the end. TEST_DB_TEMPLATES=0
 * turns it off. Run alone, every app migrates a new database from nothing.
 */
export const usesRunTemplates = () => Boolean(process.env.TEST_RUN_ID) && process.env.TEST_DB_TEMPLATES !== '0';
