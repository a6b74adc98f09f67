import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { V8_FLAGS } from '@app/common/runtime/v8-settings';

describe('V8 settings of the service process', () => {
  // v8.setFlagsFromString ignores a flag V8 does not know; node's command line refuses it ("bad option").
  it.each(V8_FLAGS)('%s is a flag this Node.js knows', (flag) => {
    const run = spawnSync(process.execPath, [flag, '-e', '0'], { encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('an unknown flag is refused there, so the check above can fail', () => {
    const run = spawnSync(process.execPath, ['--no-such-v8-flag-in-any-version', '-e', '0'], { encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('bad option');
  });

  it('is the first import of main.ts, so the flags hold before the application is loaded', () => {
    const main = readFileSync(join(__dirname, '..', '..', '..', '..', 'src', 'main.ts'), 'utf8');
    const imports = main.split('\n').filter((l) => l.startsWith('import '));
    expect(imports[0]).toBe("import '@app/common/runtime/v8-settings';");
  });
});
