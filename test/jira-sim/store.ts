// The simulator's state: projects, fields, users, statuses and issues, plus the mutations that
// produce changelog items. Every mutation reports a Change to `onChange` (the webhook source).
import { wikiToAdf, adfToWiki } from './adf';
import {
  CHK_COMPONENTS, CHK_VERSIONS, CUSTOM_FIELDS, DEFAULT_PRIORITY, DEFAULT_USERS, ISSUE_TYPES, IssueTypeDef, StatusDef, SYSTEM_FIELDS, UserDef, VersionDef, defaultScreens,
} from './data';
import { PermissionScheme } from './permissions';
import {
  Project, RenderCtx, commentJson, issueTypeJson, priorityJson, projectJson, resolutionJson, selectFields, statusJson, userJson,
  userRef,
} from './render';
import type { Flavour, SimComment, SimFieldDef, SimIssue } from './types';
import { jiraDate } from './util';
import { ResolutionDef, SimWorkflow, workflowByName } from './workflows';

export interface ChangeItem {
  field: string;
  fieldtype: 'jira' | 'custom';
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export type Change =
  | { kind: 'created' | 'deleted'; issue: SimIssue; actor: UserDef; at: number }
  | { kind: 'updated'; issue: SimIssue; actor: UserDef; at: number; items: ChangeItem[]; typeName: string }
  | { kind: 'comment'; issue: SimIssue; actor: UserDef; at: number; comment: SimComment; event?: 'created' | 'updated' | 'deleted' };

export class SimStore implements RenderCtx {
  readonly projects: Project[] = [{ id: '10000', key: 'CHK', name: 'Checkout', versions: CHK_VERSIONS.map((v) => ({ ...v })), components: CHK_COMPONENTS.map((x) => ({ ...x })) }];
  workflow: SimWorkflow = workflowByName('permissive');
  readonly permissions = new PermissionScheme();
  /** Cloud: comments stored as ADF (returned by v2 as wiki converted back); Data Center: comment_created without `issue` */
  realComments = false;
  /** Every issue type of the site; each project offers some of them (issueTypesOf). */
  readonly issueTypes: IssueTypeDef[] = ISSUE_TYPES.map((t) => ({ ...t }));
  readonly fields: SimFieldDef[] = structuredClone([...SYSTEM_FIELDS, ...CUSTOM_FIELDS]);
  /** issue type id → (field id → required) */
  readonly screens = defaultScreens();
  readonly users: UserDef[] = DEFAULT_USERS.map((u) => ({ ...u }));
  onChange: (c: Change) => void = () => undefined;

  private readonly issues = new Map<string, SimIssue>(); // id → issue
  private readonly keys = new Map<string, string>(); // current and former keys → id
  private readonly counters = new Map<string, number>(); // project key → last issue number
  private nextIssueId = 10000;
  private nextVersionId = 10200;
  private nextCommentId = 10000;
  private nextChangelogId = 10000;
  private lastNow = 0;

  constructor(
    readonly flavour: Flavour,
    readonly apiUrl: string,
  ) {}

  /** Date.now(), strictly increasing, so two changes never share a timestamp. */
  now(): number {
    this.lastNow = Math.max(Date.now(), this.lastNow + 1);
    return this.lastNow;
  }

  changelogId(): string {
    return String(this.nextChangelogId++);
  }

  get statuses(): StatusDef[] {
    return this.workflow.statuses;
  }
  get resolutions(): ResolutionDef[] {
    return this.workflow.resolutions;
  }

  // ---- lookups ------------------------------------------------------------
  project(idOrKey: string): Project | undefined {
    return this.projects.find((p) => p.id === idOrKey || p.key === idOrKey.toUpperCase());
  }
  issueType(idOrName: string): IssueTypeDef | undefined {
    return this.issueTypes.find((t) => t.id === idOrName || t.name.toLowerCase() === idOrName.toLowerCase());
  }
  status(idOrName: string): StatusDef | undefined {
    return this.statuses.find((s) => s.id === idOrName || s.name.toLowerCase() === idOrName.toLowerCase());
  }
  /** The issue types a project offers: its own list, or Bug and Task. */
  issueTypesOf(project: Project): IssueTypeDef[] {
    const ids = project.issueTypeIds ?? ISSUE_TYPES.map((t) => t.id);
    return this.issueTypes.filter((t) => ids.includes(t.id));
  }
  field(id: string): SimFieldDef | undefined {
    return this.fields.find((f) => f.id === id);
  }
  /**
   * The create screen of an issue type in a project: a field scoped to another project is not on it, and a
   * team-managed project shows only its own custom fields.
   */
  screenFor(project: Project, issueTypeId: string): Map<string, boolean> {
    const out = new Map<string, boolean>();
    for (const [id, required] of project.screens?.get(issueTypeId) ?? this.screens.get(issueTypeId) ?? []) {
      const def = this.field(id);
      if (def?.projectKey && def.projectKey !== project.key) continue;
      if (project.teamManaged && def?.custom && !def.projectKey) continue;
      out.set(id, required);
    }
    for (const f of this.fields) if (f.projectKey === project.key && !out.has(f.id)) out.set(f.id, false);
    return out;
  }
  /** accountId on Cloud; name (or key) on Data Center */
  user(ref: string): UserDef | undefined {
    if (this.flavour === 'cloud') return this.users.find((u) => u.accountId === ref);
    return this.users.find((u) => u.name.toLowerCase() === ref.toLowerCase() || u.key === ref);
  }
  issue(idOrKey: string): SimIssue | undefined {
    const id = this.keys.get(idOrKey.toUpperCase()) ?? idOrKey;
    return this.issues.get(id);
  }
  allIssues(): SimIssue[] {
    return [...this.issues.values()];
  }
  bot(): UserDef {
    return this.users.find((u) => u.name === 'bot')!;
  }
  admin(): UserDef {
    return this.users.find((u) => u.name === 'admin')!;
  }

  // ---- mutations ----------------------------------------------------------
  /** A new version at the end of the project's list (Jira's default position). */
  addVersion(project: Project, name: string, opts: { released?: boolean; archived?: boolean } = {}): VersionDef {
    const version: VersionDef = { id: String(this.nextVersionId++), name, released: opts.released ?? false, archived: opts.archived ?? false };
    project.versions.push(version);
    return version;
  }

  createIssue(project: Project, type: IssueTypeDef, values: Record<string, unknown>, actor: UserDef): SimIssue {
    const at = this.now();
    const n = (this.counters.get(project.key) ?? 0) + 1;
    this.counters.set(project.key, n);
    const issue: SimIssue = {
      id: String(this.nextIssueId++),
      key: `${project.key}-${n}`,
      projectKey: project.key,
      fields: {
        issuetype: issueTypeJson(this, type),
        project: projectJson(this, project),
        status: statusJson(this, this.statuses[0]),
        priority: priorityJson(this, DEFAULT_PRIORITY),
        reporter: userJson(this, actor),
        creator: userJson(this, actor),
        labels: [],
        fixVersions: [],
        versions: [],
        components: [],
        assignee: null,
        resolution: null,
        resolutiondate: null,
        description: null,
        created: jiraDate(at),
        updated: jiraDate(at),
        statuscategorychangedate: jiraDate(at),
        ...values,
      },
      comments: [],
      properties: {},
      createdAt: at,
      updatedAt: at,
    };
    this.issues.set(issue.id, issue);
    this.keys.set(issue.key, issue.id);
    this.onChange({ kind: 'created', issue, actor, at });
    return issue;
  }

  /** Sets field values (already in Jira's representation); reports an update when something changed. */
  edit(issue: SimIssue, values: Record<string, unknown>, actor: UserDef, typeName = 'issue_updated'): ChangeItem[] {
    const items = this.apply(issue, values);
    if (items.length) this.updated(issue, actor, items, typeName);
    return items;
  }

  /**
   * resolution: 'auto' (permissive: a done status gets one, by name or the first), a resolution to set,
   * 'clear', or 'keep'.
   */
  transition(issue: SimIssue, to: StatusDef, values: Record<string, unknown>, actor: UserDef, resolution: ResolutionDef | 'auto' | 'clear' | 'keep' = 'auto', resolutionName?: string): void {
    const rs = this.resolutions;
    let next: ResolutionDef | null | undefined;
    if (resolution === 'auto') next = to.category === 'done' ? rs.find((r) => r.name === (resolutionName ?? to.name)) ?? rs[0] : null;
    else if (resolution === 'clear') next = null;
    else if (resolution !== 'keep') next = resolution;
    const at = this.now();
    const before = (issue.fields.resolution as { id: string } | null)?.id ?? null;
    const items = this.apply(issue, { status: statusJson(this, to), ...(next === undefined ? {} : { resolution: next && resolutionJson(this, next) }), ...values });
    if (next !== undefined && (next?.id ?? null) !== before) issue.fields.resolutiondate = next ? jiraDate(at) : null;
    issue.fields.statuscategorychangedate = jiraDate(at);
    this.updated(issue, actor, items, 'issue_generic', at);
  }

  addComment(issue: SimIssue, body: string, actor: UserDef): SimComment {
    const at = this.now();
    const comment: SimComment = { id: String(this.nextCommentId++), body, created: jiraDate(at), author: userRef(this, actor) };
    if (this.realComments && this.flavour === 'cloud') {
      // Cloud keeps only the ADF; v2 answers with wiki markup converted back from it.
      comment.adf = wikiToAdf(body);
      comment.body = adfToWiki(comment.adf);
    }
    issue.comments.push(comment);
    this.touch(issue, at);
    this.onChange({ kind: 'comment', issue, actor, at, comment, event: 'created' });
    return comment;
  }

  /** Edits a comment's body (Jira keeps `created`, sets `updated` and `updateAuthor`). */
  updateComment(issue: SimIssue, comment: SimComment, body: string, actor: UserDef): SimComment {
    const at = this.now();
    comment.body = body;
    if (comment.adf) {
      comment.adf = wikiToAdf(body);
      comment.body = adfToWiki(comment.adf);
    }
    comment.updated = jiraDate(at);
    this.touch(issue, at);
    this.onChange({ kind: 'comment', issue, actor, at, comment, event: 'updated' });
    return comment;
  }

  deleteComment(issue: SimIssue, comment: SimComment, actor: UserDef): void {
    const at = this.now();
    issue.comments = issue.comments.filter((c) => c !== comment);
    this.touch(issue, at);
    this.onChange({ kind: 'comment', issue, actor, at, comment, event: 'deleted' });
  }

  deleteIssue(issue: SimIssue, actor: UserDef): void {
    this.issues.delete(issue.id);
    for (const [k, id] of this.keys) if (id === issue.id) this.keys.delete(k);
    this.onChange({ kind: 'deleted', issue, actor, at: this.now() });
  }

  /** Same id, new key; the old key keeps resolving (Jira redirects it). */
  moveIssue(issue: SimIssue, newKey: string, actor: UserDef): void {
    const m = /^([A-Z][A-Z0-9_]*)-(\d+)$/.exec(newKey.toUpperCase());
    if (!m) throw new Error(`Invalid issue key '${newKey}'`);
    if (this.keys.has(m[0])) throw new Error(`Issue key '${m[0]}' is already taken`);
    let project = this.project(m[1]);
    if (!project) {
      project = { id: String(10000 + this.projects.length), key: m[1], name: m[1], versions: [] };
      this.projects.push(project);
    }
    const oldKey = issue.key;
    this.counters.set(project.key, Math.max(this.counters.get(project.key) ?? 0, Number(m[2])));
    const items = this.apply(issue, { project: projectJson(this, project) });
    // Jira records a move as a "Key" item next to the project change.
    items.unshift({ field: 'Key', fieldtype: 'jira', fieldId: 'issuekey', from: null, fromString: oldKey, to: null, toString: m[0] });
    issue.key = m[0];
    issue.projectKey = project.key;
    this.keys.set(issue.key, issue.id);
    this.updated(issue, actor, items, 'issue_moved');
  }

  /** GET /issue's answer; `fields` as Jira's `fields` parameter (default: all). */
  issueJson(issue: SimIssue, fields?: string[]) {
    const all: Record<string, unknown> = {};
    for (const f of this.fields) all[f.id] = issue.fields[f.id] ?? null;
    for (const [k, v] of Object.entries(issue.fields)) if (!(k in all)) all[k] = v;
    const comments = issue.comments.map((c) => this.commentJson(issue, c));
    all.comment = { comments, maxResults: comments.length, total: comments.length, startAt: 0 };
    return {
      expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
      id: issue.id,
      self: `${this.apiUrl}issue/${issue.id}`,
      key: issue.key,
      fields: selectFields(all, fields),
    };
  }

  commentJson(issue: SimIssue, c: SimComment) {
    return commentJson(this, issue, c, c.author ? this.user(c.author) : undefined);
  }

  // ---- internals ----------------------------------------------------------
  private updated(issue: SimIssue, actor: UserDef, items: ChangeItem[], typeName: string, at = this.now()): void {
    this.touch(issue, at);
    this.onChange({ kind: 'updated', issue, actor, at, items, typeName });
  }

  private touch(issue: SimIssue, at: number): void {
    issue.updatedAt = at;
    issue.fields.updated = jiraDate(at);
  }

  private apply(issue: SimIssue, values: Record<string, unknown>): ChangeItem[] {
    const items: ChangeItem[] = [];
    for (const [id, value] of Object.entries(values)) {
      const before = issue.fields[id] ?? null;
      if (JSON.stringify(before) === JSON.stringify(value ?? null)) continue;
      items.push(...this.changeItems(id, before, value ?? null));
      issue.fields[id] = value ?? null;
    }
    return items;
  }

  /** Changelog items as Jira writes them: one per added/removed fix or affects version, one per other field. */
  private changeItems(id: string, before: unknown, after: unknown): ChangeItem[] {
    const def = this.field(id);
    const base = { field: def?.custom ? def.name : id, fieldtype: def?.custom ? ('custom' as const) : ('jira' as const), fieldId: id };
    if (id === 'fixVersions' || id === 'versions') {
      const field = id === 'fixVersions' ? 'Fix Version' : 'Version';
      const ids = (v: unknown) => ((v as Array<{ id: string; name: string }>) ?? []).map((x) => x.id);
      const [b, a] = [before as Array<{ id: string; name: string }>, after as Array<{ id: string; name: string }>];
      return [
        ...(b ?? []).filter((v) => !ids(a).includes(v.id)).map((v) => ({ ...base, field, from: v.id, fromString: v.name, to: null, toString: null })),
        ...(a ?? []).filter((v) => !ids(b).includes(v.id)).map((v) => ({ ...base, field, from: null, fromString: null, to: v.id, toString: v.name })),
      ];
    }
    const [b, a] = [this.describe(before, id), this.describe(after, id)];
    return [{ ...base, from: b.id, fromString: b.text, to: a.id, toString: a.text }];
  }

  private describe(v: unknown, fieldId: string): { id: string | null; text: string | null } {
    if (v === null || v === undefined) return { id: null, text: null };
    if (Array.isArray(v)) {
      const parts = v.map((x) => this.describe(x, fieldId));
      const ids = parts.map((p) => p.id).filter((x): x is string => x !== null);
      const sep = fieldId === 'labels' || typeof v[0] === 'string' ? ' ' : ', ';
      return { id: ids.length ? `[${ids.join(', ')}]` : null, text: parts.map((p) => p.text).join(sep) || null };
    }
    if (typeof v !== 'object') return { id: null, text: String(v) };
    const o = v as Record<string, string>;
    if (o.displayName !== undefined) return { id: this.flavour === 'cloud' ? o.accountId : o.key, text: o.displayName };
    return { id: o.id ?? null, text: o.name ?? o.value ?? o.key ?? null };
  }
}
