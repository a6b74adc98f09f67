import { detectRegression } from '@app/modules/regression/detect-regression';
import { resolvedUntilFromFixVersions } from '@app/modules/sync/mapping/fix-version-resolution';

const resolvedAt = new Date('2026-11-20T00:00:00Z');
const until = (version: string) => ({ state: 'resolved' as const, resolvedUntil: { attribute: 'version', version }, resolvedAt });
const report = (values: Record<string, number>, lastSeen = new Date('2026-11-25T00:00:00Z')) => ({
  attributes: { version: values },
  count: Object.values(values).reduce((a, b) => a + b, 0),
  lastSeen,
});

describe('detectRegression', () => {
  it('ignores older versions and flags the version at or above resolved-until', () => {
    expect(detectRegression(until('2.4.1'), report({ '2.4.0': 5 })).regression).toBeNull();
    expect(detectRegression(until('2.4.1'), report({ '2.4.1': 2 })).regression).toEqual({ version: '2.4.1', count: 2, resolvedUntil: '2.4.1' });
    expect(detectRegression(until('2.4.1'), report({ '2.4.0': 5, '2.5.0': 1, '2.4.2': 3 })).regression).toEqual({ version: '2.5.0', count: 4, resolvedUntil: '2.4.1' });
    expect(detectRegression(until('2.4.1'), report({ 'v2.5.0-rc.1': 1 })).regression?.version).toBe('v2.5.0-rc.1');
    expect(detectRegression(until('2.4.1'), report({ '2.4.1-rc.2': 1 })).regression).toBeNull();
  });

  it('never regresses muted, open or in-progress groups', () => {
    for (const state of ['muted', 'open', 'in-progress'] as const) {
      expect(detectRegression({ state, resolvedUntil: null, resolvedAt: null }, report({ '9.9.9': 1 })).regression).toBeNull();
    }
  });

  it('without resolved-until, regresses on a report seen after the resolution', () => {
    const g = { state: 'resolved' as const, resolvedUntil: null, resolvedAt };
    expect(detectRegression(g, report({ '1.0': 1 }, new Date('2026-11-19T00:00:00Z'))).regression).toBeNull();
    expect(detectRegression(g, report({ '1.0': 3 }, new Date('2026-11-21T00:00:00Z'))).regression).toEqual({ count: 3 });
  });

  it('explains reports it cannot check', () => {
    const missing = detectRegression(until('2.4.1'), { attributes: { platform: { Linux: 1 } }, count: 1, lastSeen: new Date() });
    expect(missing.regression).toBeNull();
    expect(missing.notice).toContain("without attribute 'version'");
    const garbage = detectRegression(until('2.4.1'), report({ nightly: 1, ['x'.repeat(1000)]: 1 }));
    expect(garbage.regression).toBeNull();
    expect(garbage.notice).toContain("'nightly'");
    const long = detectRegression(until('2.4.1'), report({ ['9.' + '1.'.repeat(20) + '1']: 1 }));
    expect(long.regression?.count).toBe(1);
  });
});

describe('resolvedUntilFromFixVersions', () => {
  it('takes the lowest parsable fix version, with prefixes', () => {
    expect(resolvedUntilFromFixVersions(['2.4.1', '2.3.9 backport'], 'version')).toEqual({ kind: 'until', resolvedUntil: { attribute: 'version', version: '2.3.9' }, fixVersion: '2.3.9 backport' });
    expect(resolvedUntilFromFixVersions(['Release 2.4.1'], 'app.version')).toMatchObject({ resolvedUntil: { attribute: 'app.version', version: '2.4.1' } });
    expect(resolvedUntilFromFixVersions(['next', 'v2.5'], 'version')).toMatchObject({ resolvedUntil: { version: '2.5' } });
  });

  it('reports names without versions and ignores empty ones', () => {
    expect(resolvedUntilFromFixVersions([], 'version')).toEqual({ kind: 'none' });
    expect(resolvedUntilFromFixVersions(['', '  '], 'version')).toEqual({ kind: 'none' });
    expect(resolvedUntilFromFixVersions(['Next release'], 'version')).toEqual({ kind: 'unparsable', names: ['Next release'] });
  });
});
