import { FormProblem } from './form-errors';
import type { JiraForm } from './jira-settings-form';
import { ValueMapForm } from './value-maps-form';

// Where the Jira settings form shows a problem the API named by its DTO path.

/** Which form field shows an error about a DTO path (the rest go to the top of the form). */
const FIELD_BY_PATH: Array<[RegExp, string]> = [
  [/^auth\.(email|username)$/, 'email'],
  [/^auth\.(apiToken|token)$/, 'secret'],
  [/^auth(\.type)?$/, 'authType'],
  [/^fieldMapping\.labels$/, 'fieldMappingLabels'],
  [/^fieldMapping\.description$/, 'fieldMappingDescription'],
  [/^fixVersionSync\.enabled$/, 'fixVersionEnabled'],
  [/^fixVersionSync\.versionAttribute$/, 'versionAttribute'],
  [/^versions(\.affects)?$/, 'versionsAffects'],
  [/^versions\.createMissing$/, 'versionsCreateMissing'],
  [/^sync\.inbound$/, 'syncInbound'],
  [/^sync\.outbound$/, 'syncOutbound'],
  // The condition rows' and routes' fields are named by their paths.
  [/^(createRules\.when(\[\d+\](\.\w+)?)?)$/, '$1'],
  [/^createRules\.threshold\.count$/, 'thresholdCount'],
  [/^createRules\.threshold\.withinMinutes$/, 'thresholdWithinMinutes'],
  [/^createRules\.threshold$/, 'threshold'],
  [/^createRules\.(\w+)$/, '$1'],
  [/^regression\.reopenJira$/, 'reopenJira'],
  [/^regression\.comment$/, 'regressionComment'],
  [/^comments\.inbound$/, 'commentsInbound'],
  [/^comments\.outbound$/, 'commentsOutbound'],
  [/^updates\.fields([.[].*)?$/, 'updateFields'],
  [/^updates\.minIntervalMinutes$/, 'updateInterval'],
  [/^updates\.milestones([.[].*)?$/, 'updateMilestones'],
  [/^(routes(\[\d+\](\.(when|customFields)(\[\d+\])?)?(\.\w+)?)?)$/, '$1'],
  [/^(customFields|statusMapping|userMapping)([.[].*)?$/, '$1'],
  [/^(enabled|apiUrl|projectKey|issueType|subject|labels|description|autoMapUsersByEmail)$/, '$1'],
];

/** `routes.1.when.0.op` → `routes[1].when[0].op`: list indices in brackets, as the API names them. */
const bracketed = (path: string) => path.replace(/\.(\d+)(?=\.|\[|$)/g, '[$1]');

export function formFieldOf(path: string, form?: Pick<JiraForm, 'valueMaps'>): string {
  const p = bracketed(path);
  if (p === 'valueMaps' || p.startsWith('valueMaps.') || p.startsWith('valueMaps[')) return valueMapFieldOf(p.slice('valueMaps'.length), form?.valueMaps ?? []);
  for (const [re, field] of FIELD_BY_PATH) if (re.test(p)) return p.replace(re, field);
  return 'form';
}

/**
 * The form field that shows a problem: its path's, or the more precise one a rule about a whole
 * list or object starts its message with (`routes[1].name: the name is already used…` about
 * `routes`, `valueMaps.severity.fatal must be a string` about `valueMaps`).
 */
export function problemField(problem: FormProblem, form?: Pick<JiraForm, 'valueMaps'>): string {
  const lead = bracketed(/^([A-Za-z_$][\w$]*(?:\[[^\]]*\]|\.[^\s.[:]+)*):?\s/.exec(problem.message)?.[1] ?? '');
  const own = bracketed(problem.path);
  const inside = lead.startsWith(`${own}.`) || lead.startsWith(`${own}[`);
  return formFieldOf(inside ? lead : problem.path, form);
}

/** `name` as the next segment of a path, in any of the notations a record key may be written in. */
function segmentAfter(rest: string, name: string): string | null {
  for (const form of [`.${name}`, `[${JSON.stringify(name)}]`, `['${name}']`, `[${name}]`]) {
    if (rest === form || (rest.startsWith(form) && /^[.[]/.test(rest.slice(form.length)))) return rest.slice(form.length);
  }
  return null;
}

/** Value maps are keyed by name: a path names a map (its name field) or a key of it (that row's value). */
function valueMapFieldOf(rest: string, maps: readonly ValueMapForm[]): string {
  // The longest names first: a map `sev.x` is not taken for a key `x` of a map `sev`.
  const byLength = maps.map((m, i) => ({ m, i })).sort((a, b) => b.m.name.length - a.m.name.length);
  for (const { m, i } of byLength) {
    const afterName = segmentAfter(rest, m.name);
    if (afterName === null) continue;
    if (afterName === '') return `valueMaps[${i}].name`;
    const rows = m.rows.map((r, j) => ({ r, j })).sort((a, b) => b.r.key.length - a.r.key.length);
    for (const { r, j } of rows) if (segmentAfter(afterName, r.key) !== null) return `valueMaps[${i}].rows[${j}].value`;
    return `valueMaps[${i}].name`;
  }
  return 'valueMaps';
}
