// Control endpoints under /_sim (no auth), for manual use and browser tests:
//   GET  /_sim/issues                      → all issues
//   GET  /_sim/issues/{key}                → one issue
//   POST /_sim/issues/{key}/transition     {"status":"Done","fixVersions":["2.4.1"],"resolution":"Fixed"}
//   POST /_sim/issues/{key}/assign         {"user":"<accountId|name>"|null}
//   POST /_sim/issues/{key}/comment        {"body":"..."}
//   POST /_sim/webhooks                    {"url","secret","style"}
//   POST /_sim/faults                      {"rateLimit":{...}|"serverErrors":n|"latency":ms|"dropCreateResponses":n|"dropCommentResponses":n|"reset":true
//                                           |"rateLimitPerSecond":{"requests":20,"retryAfterSeconds":1} (POST /issue only; 0 turns it off)}
//   GET  /_sim/faults                      → {"createsRateLimited": n} (creates answered 429 by rateLimitPerSecond)
//   GET  /_sim/requests                    → recorded REST requests
//   POST /_sim/workflow                    {"workflow":"permissive"|"resolution-screen"|"jira"}
//   POST /_sim/permissions                 {"denied":["EDIT_ISSUES",...],"unassignable":["bob"]} ({} restores all)
//   POST /_sim/token                       {"expire":true} | {"rotate":true} → the credentials
//   POST /_sim/versions                    {"name":"2.3.9","archived":true}
//   POST /_sim/options                     {"fieldId":"customfield_10010","value":"Windows","disabled":true}
import type { RestResult } from './router';
import type { JiraSimulator } from './simulator';
import { isObject } from './util';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON from a person's curl
type Body = Record<string, any>;

export function handleControl(sim: JiraSimulator, method: string, path: string, raw: Buffer): RestResult {
  try {
    const body = raw.length ? (JSON.parse(raw.toString('utf8')) as unknown) : {};
    const b = (isObject(body) ? body : {}) as Body;
    const [, section, key, action] = path.split('/');
    const route = `${method} ${section ?? ''}${key ? '/:key' : ''}${action ? '/' + action : ''}`;
    switch (route) {
      case 'GET issues':
        return { status: 200, body: sim.listIssues() };
      case 'GET issues/:key': {
        const issue = sim.getIssue(decodeURIComponent(key));
        return issue ? { status: 200, body: issue } : { status: 404, body: { error: `Unknown issue '${key}'` } };
      }
      case 'POST issues/:key/transition':
        sim.transition(decodeURIComponent(key), String(b.status), { fixVersions: b.fixVersions, resolution: b.resolution });
        return { status: 200, body: sim.getIssue(decodeURIComponent(key)) };
      case 'POST issues/:key/assign':
        sim.assign(decodeURIComponent(key), b.user ?? null);
        return { status: 200, body: sim.getIssue(decodeURIComponent(key)) };
      case 'POST issues/:key/comment':
        sim.addComment(decodeURIComponent(key), String(b.body ?? ''));
        return { status: 200, body: sim.getIssue(decodeURIComponent(key)) };
      case 'POST webhooks':
        if (typeof b.url !== 'string') return { status: 400, body: { error: "'url' is required" } };
        sim.registerWebhook({ url: b.url, secret: b.secret, style: b.style });
        return { status: 204 };
      case 'POST faults':
        applyFaults(sim, b);
        return { status: 204 };
      case 'GET faults':
        return { status: 200, body: { createsRateLimited: sim.faults.createsRateLimited } };
      case 'GET requests':
        return { status: 200, body: sim.requests };
      case 'POST workflow':
        sim.setWorkflow(b.workflow);
        return { status: 204 };
      case 'POST permissions':
        sim.setPermissions(b);
        return { status: 204 };
      case 'POST token':
        if (b.expire) sim.expireToken();
        if (b.rotate) sim.rotateToken();
        return { status: 200, body: sim.credentials };
      case 'POST versions':
        sim.archiveVersion(String(b.name), b.archived !== false, b.project ?? 'CHK');
        return { status: 204 };
      case 'POST options':
        sim.disableOption(String(b.fieldId), String(b.value), b.disabled !== false);
        return { status: 204 };
      default:
        return { status: 404, body: { error: `Unknown control endpoint ${method} /_sim${path}` } };
    }
  } catch (e) {
    const message = (e as Error).message;
    return { status: /^Unknown issue/.test(message) ? 404 : 400, body: { error: message } };
  }
}

function applyFaults(sim: JiraSimulator, b: Body): void {
  if (b.reset) sim.faults.reset();
  if (b.rateLimit) sim.faults.rateLimit(b.rateLimit);
  if (b.serverErrors !== undefined) {
    if (typeof b.serverErrors === 'number') sim.faults.serverErrors(b.serverErrors);
    else sim.faults.serverErrors(b.serverErrors.count, b.serverErrors.status);
  }
  if (b.rateLimitPerSecond !== undefined) {
    const r = b.rateLimitPerSecond;
    if (typeof r === 'number') sim.faults.rateLimitPerSecond(r);
    else sim.faults.rateLimitPerSecond(Number(r?.requests ?? 0), r?.retryAfterSeconds === undefined ? 1 : Number(r.retryAfterSeconds));
  }
  if (b.latency !== undefined) sim.faults.latency(Number(b.latency));
  if (b.dropCreateResponses !== undefined) sim.faults.dropCreateResponses(b.dropCreateResponses);
  if (b.dropCommentResponses !== undefined) sim.faults.dropCommentResponses(Number(b.dropCommentResponses));
}
