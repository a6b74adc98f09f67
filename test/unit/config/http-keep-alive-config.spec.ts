import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@app/config/load-config';

const dir = () => mkdtempSync(join(tmpdir(), 'cb-keep-alive-config-'));

function configError(env: Record<string, string>): string {
  try {
    loadConfig({ DATA_DIR: dir(), ...env });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('HTTP_KEEP_ALIVE_SECONDS', () => {
  it('defaults to 65 s, above a load balancer’s 60 s idle timeout', () => {
    expect(loadConfig({ DATA_DIR: dir() }).httpKeepAliveSeconds).toBe(65);
  });

  it('takes an explicit value', () => {
    expect(loadConfig({ DATA_DIR: dir(), HTTP_KEEP_ALIVE_SECONDS: '120' }).httpKeepAliveSeconds).toBe(120);
  });

  it.each([
    ['0', 'HTTP_KEEP_ALIVE_SECONDS: HTTP_KEEP_ALIVE_SECONDS must be at least 1'],
    ['2.5', 'HTTP_KEEP_ALIVE_SECONDS: HTTP_KEEP_ALIVE_SECONDS must be a whole number of seconds'],
    ['minute', 'HTTP_KEEP_ALIVE_SECONDS: HTTP_KEEP_ALIVE_SECONDS must be a whole number of seconds'],
    ['299', 'HTTP_KEEP_ALIVE_SECONDS: HTTP_KEEP_ALIVE_SECONDS must be at most 298'],
  ])('stops start-up on %s with a message naming the variable', (value, message) => {
    expect(configError({ HTTP_KEEP_ALIVE_SECONDS: value })).toContain(message);
  });
});
