import { compareVersions, isAtLeast } from '@app/common/versions';
import { AttributeHistograms, ErrorGroupEntity } from '@app/database/entities';

export interface Regression {
  /** The highest reported version at or above resolvedUntil; absent for a group resolved without a version. */
  version?: string;
  /** Occurrences in this report that count as the regression. */
  count: number;
  resolvedUntil?: string;
}

export interface RegressionCheck {
  regression: Regression | null;
  /** Why a report for a resolved-until group could not be checked (an activity entry). */
  notice?: string;
}

/**
 * Does this report reopen the group? (docs/behaviour.md, "Fix versions and regressions")
 * - muted, open and in-progress groups never regress;
 * - resolved until a version: a report whose version attribute holds a value at
 *   or above that version; older versions only add counts;
 * - resolved without a version: any report seen after the resolution time.
 * Values that hold no comparable version are not regressions (reported as a notice).
 */
export function detectRegression(
  g: Pick<ErrorGroupEntity, 'state' | 'resolvedUntil' | 'resolvedAt'>,
  report: { attributes: AttributeHistograms; count: number; lastSeen: Date },
): RegressionCheck {
  if (g.state !== 'resolved') return { regression: null };
  if (!g.resolvedUntil) {
    const after = !g.resolvedAt || report.lastSeen > g.resolvedAt;
    return { regression: after ? { count: report.count } : null };
  }
  const { attribute, version: until } = g.resolvedUntil;
  const values = report.attributes[attribute];
  if (!values || Object.keys(values).length === 0) {
    return { regression: null, notice: `A report without attribute '${attribute}' was not checked against resolved-until ${until}` };
  }
  let worst: string | undefined;
  let count = 0;
  const uncomparable: string[] = [];
  for (const [value, n] of Object.entries(values)) {
    const atLeast = isAtLeast(value, until);
    if (atLeast === null) uncomparable.push(value);
    if (!atLeast) continue;
    count += n;
    if (worst === undefined || (compareVersions(value, worst) ?? 0) > 0) worst = value;
  }
  const notice = uncomparable.length
    ? `Reported ${attribute} value(s) ${uncomparable.slice(0, 3).map((v) => `'${v.slice(0, 64)}'`).join(', ')} hold no version comparable with ${until}; not treated as a regression`
    : undefined;
  return { regression: worst === undefined ? null : { version: worst, count, resolvedUntil: until }, notice };
}
