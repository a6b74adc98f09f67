import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@app/config/load-config';

const dir = () => mkdtempSync(join(tmpdir(), 'cb-retention-config-'));

describe('retention settings', () => {
  it('default to 30 days, 7 days for jobs, and a prune every hour', () => {
    expect(loadConfig({ DATA_DIR: dir() })).toMatchObject({ retentionDays: 30, jobRetentionDays: 7, pruneIntervalSeconds: 3600 });
  });

  it('take explicit values', () => {
    const c = loadConfig({ DATA_DIR: dir(), RETENTION_DAYS: '90', JOB_RETENTION_DAYS: '1', PRUNE_INTERVAL_SECONDS: '60' });
    expect(c).toMatchObject({ retentionDays: 90, jobRetentionDays: 1, pruneIntervalSeconds: 60 });
  });

  it.each([
    ['RETENTION_DAYS', '0'], ['RETENTION_DAYS', '-5'], ['RETENTION_DAYS', '1.5'], ['RETENTION_DAYS', 'thirty'],
    ['JOB_RETENTION_DAYS', '0'], ['JOB_RETENTION_DAYS', '2.5'], ['JOB_RETENTION_DAYS', 'week'],
    ['PRUNE_INTERVAL_SECONDS', '0'], ['PRUNE_INTERVAL_SECONDS', '-60'], ['PRUNE_INTERVAL_SECONDS', '1e-3'],
  ])('stop start-up on %s=%s with a message naming the variable', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ DATA_DIR: dir(), [name]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(`${name}: ${name} must be a positive whole number of`);
  });
});
