// JiraSimulator: an in-process Jira (Cloud or Data Center flavour) on node:http, for tests.
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleControl } from './control';
import { Faults } from './faults';
import { UNAUTHENTICATED, authenticated, expiredAnswer, parseLoose, send, toResult } from './http';
import { parseJql } from './jql';
import { SimPermissions, permissionRoutes } from './permissions';
import { userJson } from './render';
import { issueRoutes } from './rest-issues';
import { metaRoutes } from './rest-meta';
import { searchRoutes } from './rest-search';
import { versionRoutes } from './rest-versions';
import { adminWebhookRoutes, dynamicWebhookRoutes } from './rest-webhooks';
import { RestResult, findRoute } from './router';
import { SimStore } from './store';
import { addDuplicateFieldNames, addField, addProject, addUser, archiveVersion, disableOption, setRequired } from './setup';
import type { VersionDef } from './data';
import { uiTransition } from './transitions';
import type {
  Flavour, JiraSimOptions, RecordedRequest, SimFieldDef, SimIssue, SimProjectInput, SimUserInput, SimWebhookEvent, WebhookRegistration,
} from './types';
import { fail, readBody, sleep } from './util';
import { coerceValue } from './validation';
import { WebhookDispatcher, buildEvent } from './webhooks';
import { SimWorkflow, WorkflowName, workflowByName } from './workflows';

const ROUTES = [...metaRoutes, ...issueRoutes, ...versionRoutes, ...searchRoutes, ...permissionRoutes, ...dynamicWebhookRoutes];

export class JiraSimulator {
  readonly flavour: Flavour;
  readonly baseUrl: string;
  readonly apiUrl: string;
  readonly credentials = { email: 'bot@acme.com', username: 'bot', apiToken: 'sim-api-token-8f3a61c2', pat: 'sim-pat-NjQ2MTIzNDU2Nzg5' };
  readonly requests: RecordedRequest[] = [];
  readonly faults = new Faults();
  webhookMode: 'auto' | 'manual' = 'auto';
  private tokenExpired = false;

  private readonly contextPath: string;
  private readonly store: SimStore;
  private readonly hooks: WebhookDispatcher;
  private nextUser = 10200;

  static async start(opts: JiraSimOptions = {}): Promise<JiraSimulator> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    return new JiraSimulator(server, (server.address() as AddressInfo).port, opts);
  }

  private constructor(
    private readonly server: http.Server,
    port: number,
    private readonly opts: JiraSimOptions,
  ) {
    this.flavour = opts.flavour ?? 'cloud';
    const cp = (opts.contextPath ?? '').replace(/\/+$/, '');
    this.contextPath = cp && !cp.startsWith('/') ? `/${cp}` : cp;
    this.baseUrl = `http://127.0.0.1:${port}${this.contextPath}`;
    this.apiUrl = `${this.baseUrl}/rest/api/2/`;
    this.store = new SimStore(this.flavour, this.apiUrl);
    this.hooks = new WebhookDispatcher(this.flavour);
    this.store.onChange = (c) => this.hooks.emit(buildEvent(this.store, c), this.webhookMode, (jql) => parseJql(this.store, jql).matches(c.issue));
    const strict = opts.strict ?? false;
    this.setWorkflow(opts.workflow ?? (strict ? (this.flavour === 'cloud' ? 'resolution-screen' : 'jira') : 'permissive'));
    if (opts.permissions) this.setPermissions(opts.permissions);
    this.store.realComments = opts.realComments ?? strict;
    for (const p of opts.projects ?? []) addProject(this.store, p);
    if (opts.duplicateFieldNames ?? strict) addDuplicateFieldNames(this.store);
    server.on('request', (req, res) => void this.handle(req, res));
  }

  async stop(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.hooks.idle(), new Promise((r) => (timer = setTimeout(r, 5000)))]); // let pending deliveries finish
    clearTimeout(timer);
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  // ---- state inspection ---------------------------------------------------
  listIssues(): SimIssue[] {
    return structuredClone(this.store.allIssues());
  }
  getIssue(idOrKey: string): SimIssue | undefined {
    const i = this.store.issue(idOrKey);
    return i && structuredClone(i);
  }
  /** A project's versions in Jira's order, archived ones included. */
  listVersions(projectKey = 'CHK'): VersionDef[] {
    return structuredClone(this.store.project(projectKey)?.versions ?? raise(`Unknown project '${projectKey}'`));
  }

  // ---- configuration ------------------------------------------------------
  /** Adds (or replaces) a field in /field and on the Bug create screen. */
  addField(field: SimFieldDef): void {
    addField(this.store, field);
  }

  /** Marks a field required (or not) on one issue type's create screen, or on every screen that has it. */
  setRequired(fieldId: string, required: boolean, issueTypeName?: string): void {
    setRequired(this.store, fieldId, required, issueTypeName);
  }

  /** Adds a project besides CHK, with its own issue types and create screens (e.g. MOBILE_PROJECT). */
  addProject(project: SimProjectInput): void {
    addProject(this.store, project);
  }

  addUser(user: SimUserInput): void {
    addUser(this.store, user, this.nextUser++);
  }

  // ---- Jira-side actions (a person in Jira's UI; each sends webhooks) -------------
  /** In a strict workflow only along an offered transition; `resolution` picks what its screen asks for. */
  transition(issueKey: string, statusName: string, opts: { fixVersions?: string[]; resolution?: string } = {}): void {
    const issue = this.mustIssue(issueKey);
    if (!this.store.status(statusName)) raise(`Unknown status '${statusName}'`);
    const values = opts.fixVersions ? { fixVersions: this.coerce(issue, 'fixVersions', opts.fixVersions.map((name) => ({ name }))) } : {};
    uiTransition(this.store, issue, statusName, values, this.store.admin(), opts.resolution);
  }

  /** accountId (Cloud) or name (Data Center); null unassigns. */
  assign(issueKey: string, user: string | null): void {
    const issue = this.mustIssue(issueKey);
    const u = user === null ? null : this.store.user(user) ?? raise(`Unknown user '${user}'`);
    this.store.edit(issue, { assignee: u && userJson(this.store, u) }, this.store.admin(), 'issue_assigned');
  }

  setFixVersions(issueKey: string, names: string[]): void {
    const issue = this.mustIssue(issueKey);
    this.store.edit(issue, { fixVersions: this.coerce(issue, 'fixVersions', names.map((name) => ({ name }))) }, this.store.admin());
  }

  /** A person's comment in Jira; returns its id. */
  addComment(issueKey: string, body: string): string {
    return this.store.addComment(this.mustIssue(issueKey), body, this.store.admin()).id;
  }

  /** A person edits a comment in Jira (any comment: the admin may). */
  editComment(issueKey: string, commentId: string, body: string): void {
    const issue = this.mustIssue(issueKey);
    this.store.updateComment(issue, issue.comments.find((c) => c.id === commentId) ?? raise(`Unknown comment '${commentId}'`), body, this.store.admin());
  }

  deleteComment(issueKey: string, commentId: string): void {
    const issue = this.mustIssue(issueKey);
    this.store.deleteComment(issue, issue.comments.find((c) => c.id === commentId) ?? raise(`Unknown comment '${commentId}'`), this.store.admin());
  }

  deleteIssue(issueKey: string): void {
    this.store.deleteIssue(this.mustIssue(issueKey), this.store.admin());
  }

  moveIssue(issueKey: string, newKey: string): void {
    this.store.moveIssue(this.mustIssue(issueKey), newKey, this.store.admin());
  }

  /**
   * Serves `value` as the issue's field from now on, past Jira's own rules and without an event:
   * for answers a real Jira (or a proxy in front of it) may garble.
   */
  garbleField(issueKey: string, fieldId: string, value: unknown): void {
    this.mustIssue(issueKey).fields[fieldId] = value;
  }

  // ---- strict modes (README, "Strict modes") -------------------------------
  /** Replaces the workflow; every existing issue must be in one of its statuses. */
  setWorkflow(workflow: WorkflowName | SimWorkflow): void {
    const w = typeof workflow === 'string' ? workflowByName(workflow) : structuredClone(workflow);
    const stray = this.store.allIssues().find((i) => !w.statuses.some((s) => s.id === (i.fields.status as { id: string }).id));
    if (stray) throw new Error(`${stray.key} is in a status the workflow '${w.name}' does not have`);
    this.store.workflow = w;
  }
  get workflow(): SimWorkflow {
    return structuredClone(this.store.workflow);
  }
  /** Replaces the bot's permission scheme ({} restores every right). */
  setPermissions(p: SimPermissions): void {
    this.store.permissions.set(p);
  }
  /** Every REST call answers 401 until rotateToken(). */
  expireToken(): void {
    this.tokenExpired = true;
  }
  /** New API token and PAT (in `credentials`); the old ones stay refused. */
  rotateToken(): JiraSimulator['credentials'] {
    const n = randomUUID().replace(/-/g, '').slice(0, 8);
    this.credentials.apiToken = `sim-api-token-${n}`;
    this.credentials.pat = `sim-pat-${Buffer.from(n).toString('base64')}`;
    this.tokenExpired = false;
    return { ...this.credentials };
  }
  /** A version made in Jira's UI (no rights checked, no event: Jira sends none for versions to issue webhooks). */
  addVersion(name: string, opts: { released?: boolean; archived?: boolean } = {}, projectKey = 'CHK'): VersionDef {
    const project = this.store.project(projectKey) ?? raise(`Unknown project '${projectKey}'`);
    return { ...this.store.addVersion(project, name, opts) };
  }
  archiveVersion(name: string, archived = true, projectKey = 'CHK'): void {
    archiveVersion(this.store, projectKey, name, archived);
  }
  disableOption(fieldId: string, value: string, disabled = true): void {
    disableOption(this.store, fieldId, value, disabled);
  }
  addDuplicateFieldNames(): void {
    addDuplicateFieldNames(this.store);
  }

  // ---- webhooks -----------------------------------------------------------
  registerWebhook(hook: WebhookRegistration): void {
    this.hooks.register(hook);
  }
  get pendingWebhooks(): SimWebhookEvent[] {
    return this.hooks.pending;
  }
  get deliveredWebhooks(): Array<{ event: SimWebhookEvent; status: number }> {
    return this.hooks.delivered;
  }
  /** Every event the simulator produced, in order (extension). */
  get events(): SimWebhookEvent[] {
    return this.hooks.events;
  }
  deliver(event: SimWebhookEvent, opts?: { times?: number; retryStart?: number }): Promise<number[]> {
    return this.hooks.deliver(event, opts);
  }
  /** Delivers every pending event once, in order, and empties the queue (extension). */
  async flushWebhooks(): Promise<number[]> {
    const statuses: number[] = [];
    for (const e of this.hooks.pending.splice(0)) statuses.push(...(await this.hooks.deliver(e)));
    return statuses;
  }
  /** Resolves when the automatic deliveries started so far are done (extension). */
  webhooksIdle(): Promise<void> {
    return this.hooks.idle();
  }

  // ---- HTTP ---------------------------------------------------------------
  private mustIssue(idOrKey: string) {
    return this.store.issue(idOrKey) ?? raise(`Unknown issue '${idOrKey}'`);
  }

  private coerce(issue: SimIssue, fieldId: string, value: unknown): unknown {
    const r = coerceValue(this.store, this.store.project(issue.projectKey)!, this.store.field(fieldId)!, value);
    if ('error' in r) throw new Error(`${fieldId}: ${r.error}`);
    return r.value;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let path = url.pathname;
    const cp = this.contextPath;
    if (cp) path = path === cp || path.startsWith(cp + '/') ? path.slice(cp.length) || '/' : path.startsWith('/_sim') ? path : '/__outside_context_path__';
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch (e) {
      return send(res, toResult(e));
    }
    if (path === '/_sim' || path.startsWith('/_sim/')) return send(res, handleControl(this, req.method ?? 'GET', path.slice(5), raw));

    const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), at: Date.now(), status: 0 };
    if (raw.length) record.body = parseLoose(raw);
    let result: RestResult;
    try {
      result = this.dispatch(req, url, path, raw);
    } catch (e) {
      result = toResult(e);
    }
    if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs);
    record.status = result.drop ? 0 : result.status;
    this.requests.push(record);
    if (result.drop) req.socket.destroy();
    else send(res, result);
  }

  private dispatch(req: http.IncomingMessage, url: URL, path: string, raw: Buffer): RestResult {
    const m = /^\/rest\/api\/(2|3|latest)(\/.*)?$/.exec(path);
    const admin = /^\/rest\/webhooks\/1\.0(\/.*)?$/.exec(path);
    if (!m && !admin) fail(404, `No resource found for ${url.pathname}`);
    if (!authenticated(this.flavour, this.credentials, req.headers.authorization)) return { status: 401, body: UNAUTHENTICATED };
    if (this.tokenExpired) return expiredAnswer(this.flavour);
    const sub = (m ? m[2] : admin![1]) ?? '/';
    const fault = this.faults.take() ?? (req.method === 'POST' && m && /^\/issue\/?$/.test(sub) ? this.faults.takeCreate() : undefined);
    if (fault) return fault;
    let body: unknown;
    if (raw.length && (req.method === 'POST' || req.method === 'PUT')) {
      if (!/json/i.test(req.headers['content-type'] ?? '')) fail(415, 'Unsupported Media Type: send Content-Type: application/json');
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch (e) {
        fail(400, `Unexpected character in the request body: ${(e as Error).message}`);
      }
    }
    const method = req.method ?? 'GET';
    const found = m ? findRoute(ROUTES, this.flavour, m[1] === 'latest' ? '2' : m[1], method, sub) : findRoute(adminWebhookRoutes, this.flavour, '2', method, sub);
    if (found === undefined) fail(404, `No resource found for ${method} ${url.pathname}`);
    if (found === 'method-not-allowed') fail(405, `Method ${method} is not allowed for ${url.pathname}`);
    return found.route.handle({
      store: this.store,
      faults: this.faults,
      searchVisibilityDelayMs: this.opts.searchVisibilityDelayMs ?? 0,
      method,
      params: found.params,
      query: url.searchParams,
      body,
      actor: this.store.bot(),
      webhooks: this.hooks,
    });
  }
}

function raise(message: string): never {
  throw new Error(message);
}
