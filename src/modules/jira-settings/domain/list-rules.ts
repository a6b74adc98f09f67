/**
 * Rules across the entries of the settings' lists, which class-validator cannot
 * express per property. Each returns the first problem, naming the entry by its
 * path (`statusMapping[2].primary`), or null. Malformed entries are skipped: the
 * per-entry validation reports them.
 */

type Entry = Record<string, unknown>;
const entries = (list: unknown): Array<[number, Entry]> =>
  Array.isArray(list) ? list.flatMap((e, i) => (e && typeof e === 'object' ? [[i, e as Entry] as [number, Entry]] : [])) : [];
const text = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : undefined);

/** Where `key(entry)` repeats: [later index, earlier index]. */
function firstRepeat(list: unknown, key: (e: Entry) => string | undefined): [number, number] | null {
  const seen = new Map<string, number>();
  for (const [i, e] of entries(list)) {
    const k = key(e);
    if (k === undefined) continue;
    const before = seen.get(k);
    if (before !== undefined) return [i, before];
    seen.set(k, i);
  }
  return null;
}

// Project and issue type come from projectKey / issueType; a custom field cannot override them.
const RESERVED_FIELDS: Record<string, string> = { project: 'projectKey', issuetype: 'issueType', 'issue type': 'issueType' };

export function customFieldsProblem(list: unknown): string | null {
  for (const [i, e] of entries(list)) {
    const setting = RESERVED_FIELDS[text(e.field) ?? ''];
    if (setting) return `customFields[${i}].field: ${String(e.field).trim()} is set by ${setting}, not by a custom field`;
  }
  const dup = firstRepeat(list, (e) => text(e.field));
  return dup && `customFields[${dup[0]}].field: the field is already set by customFields[${dup[1]}]`;
}

export function statusMappingProblem(list: unknown): string | null {
  const dup = firstRepeat(list, (e) => text(e.jiraStatus));
  if (dup) return `statusMapping[${dup[0]}].jiraStatus: the status is already mapped by statusMapping[${dup[1]}]`;
  // The primary status is the target of outbound transitions: one per state, or the choice is ambiguous.
  const primary = firstRepeat(list, (e) => (e.primary === true && typeof e.state === 'string' ? e.state : undefined));
  if (primary) {
    const state = (list as Entry[])[primary[0]].state as string;
    return `statusMapping[${primary[0]}].primary: state ${state} already has a primary status (statusMapping[${primary[1]}]); at most one per state`;
  }
  return null;
}

export function userMappingProblem(list: unknown): string | null {
  const dup = firstRepeat(list, (e) => text(e.user));
  return dup && `userMapping[${dup[0]}].user: the user is already mapped by userMapping[${dup[1]}]`;
}

/** Routes are told apart by name (preview, the route recorded with a ticket), ignoring case. */
export function routesProblem(list: unknown): string | null {
  const dup = firstRepeat(list, (e) => text(e.name));
  return dup && `routes[${dup[0]}].name: the name is already used by routes[${dup[1]}]`;
}
