import { sortedValues } from '@app/common/natural-compare';
import { OTHER_VALUE } from '@app/modules/ingest-body/limits';
import { VersionSettings } from '@app/modules/jira-settings/jira-settings';

/** The most versions `affects: all` sets on one issue. */
export const MAX_AFFECTED_VERSIONS = 20;

/**
 * The version names a group's ticket affects, from the histogram of its version attribute: `top` the most
 * counted value, `all` every value seen, most counted first (at most MAX_AFFECTED_VERSIONS), `none` nothing.
 * "(other)" holds folded values, not a version, so it is never one. Names are trimmed (Jira trims version
 * names) and a name seen twice in other letter cases counts once: Jira's names are unique in any case.
 */
export function affectedVersionNames(histogram: Record<string, number> | undefined, affects: VersionSettings['affects']): string[] {
  if (affects === 'none' || !histogram) return [];
  const names: string[] = [];
  const seen = new Set<string>();
  for (const { value } of sortedValues(histogram)) {
    const name = value.trim();
    if (value === OTHER_VALUE || !name || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    names.push(name);
    if (names.length === (affects === 'top' ? 1 : MAX_AFFECTED_VERSIONS)) break;
  }
  return names;
}
