// Two-way sync test support shared by test/e2e/sync-*.e2e-spec.ts and the specs that need a
// linked group or a signed webhook: outbox waits, webhook posting, simulator issues, group reads.
import { createHmac } from 'node:crypto';
import { JiraSimulator } from '../jira-sim';
import { configureJira } from './jira';
import { createProject, projectIdOf, TestApp } from './test-app';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Unfinished outbox rows of a project (pending, queued or processing). */
export async function unfinishedJobs(app: TestApp, projectId: string): Promise<number> {
  const rows: Array<{ n: number | string }> = await app.dataSource.query(
    `SELECT count(*) AS n FROM outbox WHERE project_id = $1 AND status IN ('pending', 'queued', 'processing')`,
    [projectId],
  );
  return Number(rows[0].n);
}

/** Polls the outbox until the project has no unfinished job (no sleeping for a guessed time). */
export async function waitOutboxIdle(app: TestApp, projectId: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await unfinishedJobs(app, projectId);
    if (n === 0) return;
    if (Date.now() > deadline) {
      const rows = await app.dataSource.query(
        `SELECT id, kind, status, attempts, last_error, available_at FROM outbox WHERE project_id = $1 AND status IN ('pending', 'queued', 'processing')`,
        [projectId],
      );
      throw new Error(`outbox not idle within ${timeoutMs} ms: ${JSON.stringify(rows)}`);
    }
    await sleep(5);
  }
}

export function hubSignature(secret: string, raw: Buffer | string): string {
  return 'sha256=' + createHmac('sha256', secret).update(raw).digest('hex');
}

/** POSTs a webhook body as Jira would: raw JSON, signed with X-Hub-Signature unless told otherwise. */
export function postWebhook(
  app: TestApp,
  projectKey: string,
  body: unknown,
  opts: { secret?: string; style?: 'hmac' | 'query' | 'none'; headers?: Record<string, string>; raw?: string | Buffer } = {},
) {
  const raw = opts.raw ?? JSON.stringify(body);
  const style = opts.style ?? 'hmac';
  let path = `/webhooks/jira/${projectKey}`;
  if (style === 'query' && opts.secret) path += `?secret=${encodeURIComponent(opts.secret)}`;
  let req = app.http().post(path).set('Content-Type', 'application/json');
  if (style === 'hmac' && opts.secret) req = req.set('X-Hub-Signature', hubSignature(opts.secret, raw));
  for (const [k, v] of Object.entries(opts.headers ?? {})) req = req.set(k, v);
  return req.send(typeof raw === 'string' ? raw : raw.toString('utf8'));
}

/** Basic (Cloud) or Bearer PAT (Data Center) Authorization for the simulator's REST API. */
export function simAuth(sim: JiraSimulator): string {
  const c = sim.credentials;
  return sim.flavour === 'cloud' ? `Basic ${Buffer.from(`${c.email}:${c.apiToken}`).toString('base64')}` : `Bearer ${c.pat}`;
}

/** Creates an issue in the simulator through its REST API (as someone in Jira would), returns its key and id. */
export async function createJiraIssue(sim: JiraSimulator, summary: string): Promise<{ key: string; id: string }> {
  const res = await fetch(`${sim.apiUrl}issue`, {
    method: 'POST',
    headers: { Authorization: simAuth(sim), 'Content-Type': 'application/json' },
    body: JSON.stringify({ fields: { project: { key: 'CHK' }, issuetype: { name: 'Bug' }, summary } }),
  });
  if (res.status !== 201) throw new Error(`creating a simulator issue failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { key: string; id: string };
}

/** Ingests groups (no ticket rule needed) and links each to a new simulator issue. Returns fingerprint → issue key. */
export async function linkedGroups(app: TestApp, projectKey: string, sim: JiraSimulator, fingerprints: string[]): Promise<Map<string, string>> {
  await app
    .admin('post', `/api/v1/projects/${projectKey}/groups`)
    .send({ groups: fingerprints.map((fingerprint) => ({ fingerprint, title: `Crash ${fingerprint}` })) })
    .expect(200);
  const out = new Map<string, string>();
  for (const fp of fingerprints) {
    const issue = await createJiraIssue(sim, `Crash ${fp}`);
    await app.admin('post', `/api/v1/projects/${projectKey}/groups/${encodeURIComponent(fp)}/ticket`).send({ key: issue.key }).expect(200);
    out.set(fp, issue.key);
  }
  return out;
}

export interface SyncProject {
  key: string;
  projectId: string;
  /** the webhook secret shown once by the first settings PUT */
  secret: string;
}

/**
 * A project with a Jira integration against the simulator, the simulator's webhook registered at
 * `${app.url}/webhooks/jira/${key}` (hmac on Cloud, ?secret= on Data Center unless told), and no ticket rule.
 * Comments do not go out unless told (`comments.outbound`): the sync specs count the webhooks and comments
 * their own steps cause, and a backlink comment on every issue linked by hand would add one of each.
 */
export async function connectSync(
  app: TestApp,
  sim: JiraSimulator,
  settings: Record<string, unknown> = {},
  opts: { style?: 'hmac' | 'query'; register?: boolean } = {},
): Promise<SyncProject> {
  const { key } = await createProject(app);
  const body = await configureJira(app, key, sim, {
    createRules: { onNewGroup: false, minCount: 1, maxTicketsPerHour: 1000 }, comments: { inbound: true, outbound: false }, ...settings,
  });
  const secret = body.webhook.secret as string;
  if (opts.register !== false) {
    sim.registerWebhook({ url: `${app.url}/webhooks/jira/${key}`, secret, style: opts.style ?? (sim.flavour === 'cloud' ? 'hmac' : 'query') });
  }
  return { key, projectId: await projectIdOf(app, key), secret };
}

/** Delivers the simulator's pending webhooks (manual mode) or waits for its automatic deliveries, then for the jobs they queued. */
export async function settleWebhooks(app: TestApp, sim: JiraSimulator, projectId: string): Promise<number[]> {
  const statuses = sim.webhookMode === 'manual' ? await sim.flushWebhooks() : [];
  await sim.webhooksIdle();
  await waitOutboxIdle(app, projectId);
  return statuses;
}

export type GroupView = { fingerprint: string; state: string; assignee: string | null; ticket: { key: string; id: string; status: string | null } | null };

export async function getGroup(app: TestApp, projectKey: string, fp: string): Promise<GroupView> {
  return (await app.admin('get', `/api/v1/projects/${projectKey}/groups/${encodeURIComponent(fp)}`).expect(200)).body;
}

export type ActivityEntry = { at: string; fingerprint: string | null; kind: string; source: string; detail: string; data?: any };

export async function activity(app: TestApp, projectKey: string, q: { fingerprint?: string; kind?: string; source?: string; limit?: number } = {}): Promise<ActivityEntry[]> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, String(v));
  return (await app.admin('get', `/api/v1/projects/${projectKey}/activity?${params}`).expect(200)).body;
}

/** Jira writes the service made to one issue: transitions (POST) and assignments (PUT), from sim.requests. */
export function jiraWrites(sim: JiraSimulator, issue: { key: string; id?: string }, fromIndex = 0) {
  const refs = [issue.key, issue.id].filter(Boolean).map((r) => `/issue/${r}/`);
  const mine = sim.requests.slice(fromIndex).filter((r) => refs.some((ref) => r.path.includes(ref)));
  return {
    transitions: mine.filter((r) => r.method === 'POST' && r.path.endsWith('/transitions')),
    assignments: mine.filter((r) => r.method === 'PUT' && r.path.endsWith('/assignee')),
    writes: mine.filter((r) => r.method === 'POST' || r.method === 'PUT'),
  };
}
