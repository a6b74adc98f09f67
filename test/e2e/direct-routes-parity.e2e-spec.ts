// Every route the direct-route adapter serves (src/common/http/direct-route.ts) answers as a Nest
// route does: authentication failures (before the body is read, where the credential is a bearer
// token), validation errors, the body limit, nesting depth, malformed JSON, the request id, metrics
// and the error shape. The routes come from the adapter's own registry, so a
// route added there without a case here fails.
import request from 'supertest';
import { BODY_LIMITS, MAX_JSON_DEPTH } from '@app/common/http/body-limits';
import { directRoutes } from '@app/common/http/direct-route';
import { JiraSimulator } from '../jira-sim';
import { connectSync, hubSignature } from '../support/sync';
import { startSim } from '../support/jira';
import { createProject, startTestApp, TestApp } from '../support/test-app';

type Auth = 'valid' | 'missing' | 'wrong';

interface RouteCase {
  /** A POST to the route, authenticated as `auth` says, with `raw` as its JSON body. */
  post(auth: Auth, raw: string): request.Test;
  /** A body the route refuses with 400, and a word its message must contain (the field). */
  invalid: { body: object; field: string };
  /** The largest body the route reads. */
  limit: number;
  /** Authenticated by a bearer token (checked before the body is read), not by the body's signature. */
  bearer: boolean;
}

/** The Nest route compared with: POST /api/v1/projects (admin token, class-validator DTO, global pipe, guard and filter). */
const nestPost = (app: TestApp, auth: Auth, raw: string) => {
  const req = app.http().post('/api/v1/projects').set('Content-Type', 'application/json');
  if (auth === 'valid') req.set('Authorization', `Bearer ${app.adminToken}`);
  if (auth === 'wrong') req.set('Authorization', 'Bearer not-a-token');
  return req.send(raw);
};
const nestInvalid = { body: { name: 'no key' }, field: 'key' };

/** The error shape every route answers with: {statusCode, error, message[], code?} (a code when the failure has one). */
function shapeOf(body: Record<string, unknown>) {
  return {
    keys: Object.keys(body).filter((k) => k !== 'code').sort(),
    statusCode: typeof body.statusCode,
    error: typeof body.error,
    message: Array.isArray(body.message) && body.message.every((m) => typeof m === 'string') ? 'string[]' : typeof body.message,
    code: body.code === undefined || typeof body.code === 'string',
  };
}

const overLimit = (limit: number) => JSON.stringify({ padding: 'x'.repeat(limit + 10) });
const TOO_DEEP = '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1);
const MALFORMED = '{"fingerprint": "x", "title": ';

describe('direct routes answer as Nest routes do', () => {
  let app: TestApp;
  let sim: JiraSimulator;
  const cases = new Map<string, RouteCase>();

  beforeAll(async () => {
    app = await startTestApp();
    sim = await startSim();
    const ingest = await createProject(app);
    cases.set('/api/v1/projects/:key/groups', {
      post: (auth, raw) => {
        const req = app.http().post(`/api/v1/projects/${ingest.key}/groups`).set('Content-Type', 'application/json');
        if (auth === 'valid') req.set('Authorization', `Bearer ${ingest.ingestToken}`);
        if (auth === 'wrong') req.set('Authorization', 'Bearer not-a-token');
        return req.send(raw);
      },
      invalid: { body: { title: 'no fingerprint' }, field: 'fingerprint' },
      limit: BODY_LIMITS.ingestion,
      bearer: true,
    });
    const synced = await connectSync(app, sim, {}, { register: false });
    cases.set('/webhooks/jira/:projectKey', {
      // Jira authenticates with the webhook secret (X-Hub-Signature), not a bearer token.
      post: (auth, raw) => {
        const req = app.http().post(`/webhooks/jira/${synced.key}`).set('Content-Type', 'application/json');
        if (auth === 'valid') req.set('X-Hub-Signature', hubSignature(synced.secret, raw));
        if (auth === 'wrong') req.set('X-Hub-Signature', hubSignature('whsec_not-the-secret', raw));
        return req.send(raw);
      },
      invalid: { body: { timestamp: 1, webhookEvent: 'jira:issue_updated' }, field: 'issue' },
      limit: BODY_LIMITS.webhook,
      bearer: false,
    });
  });
  afterAll(async () => {
    await sim?.stop();
    await app?.stop();
  });

  const paths = directRoutes().map((r) => r.path);

  it('covers every route the adapter serves, and the adapter serves some', () => {
    expect(paths.length).toBeGreaterThan(0);
    expect([...cases.keys()].sort()).toEqual([...paths].sort());
  });

  describe.each(paths)('%s', (path) => {
    const routeCase = () => {
      const c = cases.get(path);
      if (!c) throw new Error(`no parity case for the direct route ${path}`);
      return c;
    };

    it.each<Auth>(['missing', 'wrong'])('refuses a %s credential as a Nest route does', async (auth) => {
      const direct = await routeCase().post(auth, JSON.stringify(routeCase().invalid.body));
      const nest = await nestPost(app, auth, JSON.stringify(nestInvalid.body));
      expect(direct.status).toBe(nest.status);
      expect(shapeOf(direct.body)).toEqual(shapeOf(nest.body));
    });

    it('refuses a missing or wrong bearer token before reading the body, as a Nest route does', async () => {
      if (!routeCase().bearer) return; // the webhook's signature is over the body: it must be read first
      for (const auth of ['missing', 'wrong'] as const) {
        const direct = await routeCase().post(auth, MALFORMED);
        const nest = await nestPost(app, auth, MALFORMED);
        expect([direct.status, nest.status]).toEqual([401, 401]);
        expect(direct.body).toEqual(nest.body);
      }
    });

    it('answers a validation error in the same shape, naming the field', async () => {
      const direct = await routeCase().post('valid', JSON.stringify(routeCase().invalid.body));
      const nest = await nestPost(app, 'valid', JSON.stringify(nestInvalid.body));
      expect([direct.status, nest.status]).toEqual([400, 400]);
      expect(shapeOf(direct.body).keys).toEqual(shapeOf(nest.body).keys);
      expect(shapeOf(direct.body).message).toBe('string[]');
      expect(direct.body.message.join(' ')).toContain(routeCase().invalid.field);
      expect(nest.body.message.join(' ')).toContain(nestInvalid.field);
    });

    it('refuses a body over its limit with the same 413, naming the limit', async () => {
      const direct = await routeCase().post('valid', overLimit(routeCase().limit));
      const nest = await nestPost(app, 'valid', overLimit(BODY_LIMITS.default));
      expect([direct.status, nest.status]).toEqual([413, 413]);
      expect(direct.body).toEqual({ ...nest.body, message: [`body must not exceed ${routeCase().limit} bytes`] });
      expect(nest.body.message).toEqual([`body must not exceed ${BODY_LIMITS.default} bytes`]);
    });

    it(`refuses JSON nested deeper than ${MAX_JSON_DEPTH} levels with the same 400`, async () => {
      const direct = await routeCase().post('valid', TOO_DEEP);
      const nest = await nestPost(app, 'valid', TOO_DEEP);
      expect(direct.status).toBe(400);
      expect(direct.body).toEqual(nest.body);
      expect(direct.body.message).toEqual([`body: nested deeper than ${MAX_JSON_DEPTH} levels`]);
    });

    it('refuses malformed JSON with the same 400', async () => {
      const direct = await routeCase().post('valid', MALFORMED);
      const nest = await nestPost(app, 'valid', MALFORMED);
      expect(direct.status).toBe(400);
      expect(direct.body).toEqual(nest.body);
    });

    it('echoes a request id, and makes one up when none is given', async () => {
      const direct = await routeCase().post('missing', '{}').set('X-Request-Id', 'parity-id-1');
      const nest = await nestPost(app, 'missing', '{}').set('X-Request-Id', 'parity-id-2');
      expect([direct.headers['x-request-id'], nest.headers['x-request-id']]).toEqual(['parity-id-1', 'parity-id-2']);
      const made = await routeCase().post('missing', '{}');
      expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('is counted in /metrics under its route template', async () => {
      await routeCase().post('missing', '{}');
      const metrics = await app.http().get('/metrics').expect(200);
      expect(metrics.text).toContain(`crashbridge_http_requests_total{method="POST",route="${path}",status="401"}`);
      expect(metrics.text).toContain(`crashbridge_http_request_duration_seconds_count{method="POST",route="${path}"}`);
    });
  });
});
