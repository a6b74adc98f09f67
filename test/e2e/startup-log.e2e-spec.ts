// What a process prints at LOG_LEVEL=info when it starts: a handful of lines, one of them
// saying version, mode, database, queue, URL and how many migrations ran.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS } from '@app/database/migrations';
import { ChildService, startChildService } from '../support/child-service';
import { createTestDatabase } from '../support/databases';
import { redisUrl, runId, testMode } from '../support/test-env';

const { version } = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string };

describe('start-up log', () => {
  let child: ChildService | undefined;
  afterAll(() => child?.stop());

  it('is a handful of info lines, the started line naming version, mode and the migrations applied', async () => {
    const mode = testMode();
    const env: Record<string, string> = { ROLE: 'all', ADMIN_TOKEN: 'test-admin-token-0123456789', DATA_DIR: mkdtempSync(join(tmpdir(), 'cb-startup-')), RESYNC_INTERVAL_SECONDS: '0' };
    if (mode === 'postgres') Object.assign(env, { DATABASE_URL: await createTestDatabase(), REDIS_URL: redisUrl(), QUEUE_PREFIX: `cbtest-${runId()}-startup-${process.pid}` });
    child = await startChildService({ env });

    const lines = child.stdout().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeLessThanOrEqual(5);
    expect(lines.every((l) => l.level === 'info')).toBe(true);
    expect(lines.some((l) => l.context === 'RouterExplorer' || l.context === 'InstanceLoader')).toBe(false);
    const started = lines.find((l) => l.msg === 'crashbridge started');
    expect(started).toMatchObject({
      version,
      mode: mode === 'postgres' ? 'production' : 'embedded',
      role: 'all',
      database: mode === 'postgres' ? 'postgres' : 'embedded',
      queue: mode === 'postgres' ? 'redis' : 'in-process',
      url: child.url,
      migrationsApplied: MIGRATIONS.length,
    });
  });
});
