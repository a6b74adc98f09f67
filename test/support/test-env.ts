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
