// Jira's JSON representations of users, statuses, projects… (shapes as in Jira REST v2 answers).
import { ComponentDef, IssueTypeDef, PRIORITIES, STATUS_CATEGORIES, StatusDef, UserDef, VersionDef } from './data';
import type { Flavour, SimComment, SimIssue } from './types';

export interface Project {
  id: string;
  key: string;
  name: string;
  versions: VersionDef[];
  /** The project's components (none when absent). */
  components?: ComponentDef[];
  /** Cloud team-managed ("next-gen") project: its custom fields are its own */
  teamManaged?: boolean;
  /** The issue types it offers (ids); absent: Bug and Task. */
  issueTypeIds?: string[];
  /** Its own create screens by issue type id (field id → required); absent: the shared ones. */
  screens?: Map<string, Map<string, boolean>>;
}

export interface RenderCtx {
  readonly apiUrl: string; // ends with /rest/api/2/
  readonly flavour: Flavour;
}

const avatar = (c: RenderCtx, kind: string, id: string) => ({ '48x48': `${c.apiUrl}universal_avatar/view/type/${kind}/avatar/${id}` });

export function userJson(c: RenderCtx, u: UserDef): Record<string, unknown> {
  if (c.flavour === 'cloud') {
    return {
      self: `${c.apiUrl}user?accountId=${encodeURIComponent(u.accountId)}`,
      accountId: u.accountId,
      accountType: 'atlassian',
      ...(u.emailHidden || !u.emailAddress ? {} : { emailAddress: u.emailAddress }),
      avatarUrls: avatar(c, 'user', u.accountId),
      displayName: u.displayName,
      active: true,
      timeZone: 'Etc/UTC',
    };
  }
  // Data Center: no privacy controls, users identified by name/key
  return {
    self: `${c.apiUrl}user?username=${encodeURIComponent(u.name)}`,
    name: u.name,
    key: u.key,
    ...(u.emailAddress ? { emailAddress: u.emailAddress } : {}),
    avatarUrls: avatar(c, 'user', u.key),
    displayName: u.displayName,
    active: true,
    timeZone: 'Etc/UTC',
  };
}

/** How this flavour refers to a user in requests: accountId (Cloud) or name (Data Center). */
export const userRef = (c: RenderCtx, u: UserDef) => (c.flavour === 'cloud' ? u.accountId : u.name);

export function statusJson(c: RenderCtx, s: StatusDef) {
  const cat = STATUS_CATEGORIES[s.category];
  return {
    self: `${c.apiUrl}status/${s.id}`,
    description: '',
    iconUrl: `${c.apiUrl}images/icons/statuses/generic.png`,
    name: s.name,
    id: s.id,
    statusCategory: { self: `${c.apiUrl}statuscategory/${cat.id}`, ...cat },
  };
}

export function issueTypeJson(c: RenderCtx, t: IssueTypeDef) {
  return {
    self: `${c.apiUrl}issuetype/${t.id}`,
    id: t.id,
    description: t.description,
    iconUrl: `${c.apiUrl}universal_avatar/view/type/issuetype/avatar/${t.id}`,
    name: t.name,
    subtask: false,
    ...(c.flavour === 'cloud' ? { untranslatedName: t.name, hierarchyLevel: 0 } : {}),
  };
}

export function versionJson(c: RenderCtx, v: VersionDef, projectId: string) {
  return { self: `${c.apiUrl}version/${v.id}`, id: v.id, name: v.name, archived: v.archived, released: v.released, projectId: Number(projectId) };
}

/** `issueTypes` (the project's own) makes the full answer of GET /project/{key}. */
export function projectJson(c: RenderCtx, p: Project, issueTypes?: IssueTypeDef[]) {
  const base = {
    self: `${c.apiUrl}project/${p.id}`, id: p.id, key: p.key, name: p.name, projectTypeKey: 'software', avatarUrls: avatar(c, 'project', p.id),
    ...(p.teamManaged ? { simplified: true, style: 'next-gen' } : {}),
  };
  if (!issueTypes) return base;
  return {
    ...base,
    description: '',
    issueTypes: issueTypes.map((t) => issueTypeJson(c, t)),
    versions: p.versions.map((v) => versionJson(c, v, p.id)),
    components: (p.components ?? []).map((x) => componentJson(c, x)),
  };
}

export function componentJson(c: RenderCtx, x: ComponentDef) {
  return { self: `${c.apiUrl}component/${x.id}`, id: x.id, name: x.name };
}

export function priorityJson(c: RenderCtx, p: (typeof PRIORITIES)[number]) {
  return { self: `${c.apiUrl}priority/${p.id}`, iconUrl: `${c.apiUrl}images/icons/priorities/${p.name.toLowerCase()}.svg`, name: p.name, id: p.id };
}

export function resolutionJson(c: RenderCtx, r: { id: string; name: string }) {
  return { self: `${c.apiUrl}resolution/${r.id}`, id: r.id, description: '', name: r.name };
}

export function optionJson(c: RenderCtx, o: { id: string; value?: string }) {
  return { self: `${c.apiUrl}customFieldOption/${o.id}`, value: o.value, id: o.id };
}

export function commentJson(c: RenderCtx, issue: SimIssue, cm: SimComment, author: UserDef | undefined) {
  const who = author ? userJson(c, author) : null;
  return {
    self: `${c.apiUrl}issue/${issue.id}/comment/${cm.id}`,
    id: cm.id,
    author: who,
    body: cm.body,
    updateAuthor: who,
    created: cm.created,
    updated: cm.updated ?? cm.created,
    ...(c.flavour === 'cloud' ? { jsdPublic: true } : {}),
  };
}

/**
 * Applies Jira's `fields` parameter: undefined/`*all`/`*navigable` → everything; `-x` drops x; otherwise only the named fields.
 */
export function selectFields(all: Record<string, unknown>, spec: string[] | undefined): Record<string, unknown> {
  if (!spec || spec.length === 0) return all;
  const wantsAll = spec.some((s) => s === '*all' || s === '*navigable');
  const out: Record<string, unknown> = wantsAll ? { ...all } : {};
  for (const s of spec) {
    if (s.startsWith('-')) delete out[s.slice(1)];
    else if (!s.startsWith('*') && s in all) out[s] = all[s];
  }
  return out;
}

/** "a,b" or ["a","b"] → ["a","b"] */
export function parseFieldList(v: unknown): string[] | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const list = Array.isArray(v) ? v.map(String) : String(v).split(',');
  return list.map((s) => s.trim()).filter(Boolean);
}
