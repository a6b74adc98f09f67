import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTrustProxy } from '@app/common/net/trust-proxy';
import { ConfigError, loadConfig } from '@app/config/load-config';

const dir = () => mkdtempSync(join(tmpdir(), 'cb-config-'));

describe('TRUST_PROXY', () => {
  it('trusts no proxy by default', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('  ')).toBe(false);
    expect(loadConfig({ DATA_DIR: dir() }).trustProxy).toBe(false);
  });

  it('takes a hop count, or addresses, CIDR ranges and named ranges', () => {
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy('loopback, 10.0.0.0/8 ,fd00::/8,192.168.1.7, ::1')).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8', '192.168.1.7', '::1']);
    expect(loadConfig({ DATA_DIR: dir(), TRUST_PROXY: 'uniquelocal,linklocal' }).trustProxy).toEqual(['uniquelocal', 'linklocal']);
  });

  it.each([
    ['true', /true would trust any client/],
    ['0', /hop count must be 1 to 10/],
    ['11', /hop count must be 1 to 10/],
    ['10.0.0.0/33', /'10.0.0.0\/33' is not an IP address/],
    ['proxy.internal', /'proxy.internal' is not an IP address/],
    ['10.0.0.1/8/1', /is not an IP address/],
    ['010.0.0.1', /'010.0.0.1' is not an IP address/], // ipaddr.js alone would read it as octal
  ])('stops on %s with a message naming the variable', (value, message) => {
    expect(() => loadConfig({ DATA_DIR: dir(), TRUST_PROXY: value })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dir(), TRUST_PROXY: value })).toThrow(/TRUST_PROXY: /);
    expect(() => loadConfig({ DATA_DIR: dir(), TRUST_PROXY: value })).toThrow(message);
  });
});
