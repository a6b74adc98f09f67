import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { usesEmbeddedDatabase } from '@app/config/app-config';
import { ConfigError, loadConfig } from '@app/config/load-config';

const dir = () => mkdtempSync(join(tmpdir(), 'cb-config-'));

describe('loadConfig', () => {
  it('applies the documented defaults and generates the admin token and key once', () => {
    const dataDir = dir();
    const c = loadConfig({ DATA_DIR: dataDir });
    expect(c).toMatchObject({ port: 3000, role: 'all', resyncIntervalSeconds: 900, logLevel: 'info', publicUrl: 'http://localhost:3000', adminTokenGenerated: true });
    expect(c.databaseUrl).toBeUndefined();
    expect(usesEmbeddedDatabase(c)).toBe(true);
    expect(c.redisUrl).toBeUndefined();
    expect(c.encryptionKey).toHaveLength(32);
    expect(readFileSync(join(dataDir, 'admin-token'), 'utf8').trim()).toBe(c.adminToken);
    const again = loadConfig({ DATA_DIR: dataDir });
    expect(again.adminToken).toBe(c.adminToken);
    expect(again.adminTokenGenerated).toBe(false);
    expect(again.encryptionKey.equals(c.encryptionKey)).toBe(true);
  });

  it('takes explicit values', () => {
    const key = Buffer.alloc(32, 7);
    const c = loadConfig({
      DATA_DIR: dir(), PORT: '8080', DATABASE_URL: 'postgres://u@db:5432/x', REDIS_URL: 'redis://r:6379', ROLE: 'worker',
      ADMIN_TOKEN: 'a'.repeat(20), ENCRYPTION_KEY: key.toString('hex'), PUBLIC_URL: 'https://bridge.example.com/', RESYNC_INTERVAL_SECONDS: '0', LOG_LEVEL: 'debug',
    });
    expect(c).toMatchObject({ port: 8080, role: 'worker', adminToken: 'a'.repeat(20), publicUrl: 'https://bridge.example.com', resyncIntervalSeconds: 0, logLevel: 'debug' });
    expect(c.encryptionKey.equals(key)).toBe(true);
    expect(c.previousEncryptionKeys).toEqual([]);
    expect(usesEmbeddedDatabase(c)).toBe(false);
  });

  it('reads earlier keys from ENCRYPTION_KEY_PREVIOUS, comma-separated, and names a bad one', () => {
    const a = Buffer.alloc(32, 1);
    const b = Buffer.alloc(32, 2);
    const c = loadConfig({ DATA_DIR: dir(), ENCRYPTION_KEY_PREVIOUS: ` ${a.toString('hex')}, ${b.toString('base64')} ` });
    expect(c.previousEncryptionKeys.map((k) => k.toString('hex'))).toEqual([a.toString('hex'), b.toString('hex')]);
    expect(() => loadConfig({ DATA_DIR: dir(), ENCRYPTION_KEY_PREVIOUS: `${a.toString('hex')},nope` })).toThrow('ENCRYPTION_KEY_PREVIOUS (key 2)');
  });

  it.each([
    ['PORT', 'abc'], ['PORT', '70000'], ['DATABASE_URL', 'mysql://x'], ['REDIS_URL', 'http://x'], ['ROLE', 'boss'],
    ['ADMIN_TOKEN', 'short'], ['ENCRYPTION_KEY', 'tooshort'], ['PUBLIC_URL', 'ftp://x'], ['RESYNC_INTERVAL_SECONDS', '-1'], ['LOG_LEVEL', 'loud'],
  ])('stops on a bad %s with a message naming it', (name, value) => {
    expect(() => loadConfig({ DATA_DIR: dir(), [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dir(), [name]: value })).toThrow(name);
  });

  it('refuses a split role without a shared database', () => {
    expect(() => loadConfig({ DATA_DIR: dir(), ROLE: 'api' })).toThrow(/ROLE/);
  });
});
