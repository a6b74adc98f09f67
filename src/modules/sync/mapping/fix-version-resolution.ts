import { lowestVersion } from '@app/common/versions';
import { ResolvedUntil } from '@app/database/entities';

export type FixVersionOutcome =
  | { kind: 'none' }
  | { kind: 'until'; resolvedUntil: ResolvedUntil; fixVersion: string }
  | { kind: 'unparsable'; names: string[] };

/**
 * A done issue's Fix Version(s) → resolved until the lowest of them (a backport
 * 2.3.9 beside 2.4.1 means 2.3.9 already has the fix). Names may carry text
 * (`Release 2.4.1`); names holding no version are skipped, and when none holds
 * one the group is resolved without a version.
 */
export function resolvedUntilFromFixVersions(fixVersions: string[] | undefined, versionAttribute: string): FixVersionOutcome {
  const names = (fixVersions ?? []).filter((n) => n.trim() !== '');
  if (names.length === 0) return { kind: 'none' };
  const lowest = lowestVersion(names);
  if (!lowest) return { kind: 'unparsable', names };
  return { kind: 'until', resolvedUntil: { attribute: versionAttribute, version: lowest.version }, fixVersion: lowest.name };
}
