// HTTP-level bounds (issue #19, items 6 and 9): no body is read before its request is
// authenticated; bodies have small limits except on ingestion; JSON nesting is capped; wrong
// credentials are throttled per client address, on the UI sign-in and on the bearer-token API.
import { BODY_LIMITS, MAX_JSON_DEPTH } from '@app/common/http/body-limits';
import { SIGN_IN_LIMIT } from '@app/modules/ui/session/sign-in-limiter';
import { JiraSimulator } from '../jira-sim';
import { connectSync, hubSignature } from '../support/sync';
import { startSim } from '../support/jira';
import { postSignIn, signInForm } from '../support/ui-session';
import { createProject, startTestApp, TestApp } from '../support/test-app';

/** JSON opening `depth` arrays inside each other. */
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
/** 5 MB of open brackets that never close: parsing it is a 400, so a 401 means it was never parsed. */
const UNPARSABLE_5MB = '['.repeat(5 * 1024 * 1024 - 16);
/** API_TOKEN_FAILURES_PER_MINUTE of the throttled app below. */
const TOKEN_FAILURES = 20;
const DEPTH_MESSAGE = `body: nested deeper than ${MAX_JSON_DEPTH} levels`;

describe('HTTP bounds: authentication before the body, body limits, nesting, throttles', () => {
  let app: TestApp;
  let sim: JiraSimulator;
  let project: { key: string; ingestToken: string };

  beforeAll(async () => {
    app = await startTestApp();
    sim = await startSim();
    project = await createProject(app);
  });
  afterAll(async () => {
    await sim?.stop();
    await app?.stop();
  });

  const post = (path: string, body: string, token?: string) => {
    const req = app.http().post(path).set('Content-Type', 'application/json');
    if (token) req.set('Authorization', `Bearer ${token}`);
    return req.send(body);
  };

  describe('authentication before the body is read', () => {
    it.each([
      ['ingestion (direct route)', () => `/api/v1/projects/${project.key}/groups`],
      ['the admin API (Nest route)', () => '/api/v1/projects'],
    ])('%s: a 5 MB body without a valid token is a 401, never parsed', async (_name, path) => {
      for (const token of [undefined, 'not-a-token']) {
        const started = Date.now();
        const res = await post(path(), UNPARSABLE_5MB, token);
        expect(res.status).toBe(401);
        expect(res.body.message.join(' ')).not.toMatch(/JSON/);
        expect(Date.now() - started).toBeLessThan(5_000);
      }
    });

    it('a route that does not exist reads no body either: 404', async () => {
      expect((await post('/api/v1/nowhere', UNPARSABLE_5MB)).status).toBe(404);
    });

    it('the same bodies with a valid token are read and refused as malformed', async () => {
      expect((await post(`/api/v1/projects/${project.key}/groups`, UNPARSABLE_5MB, project.ingestToken)).status).toBe(400);
      expect((await post('/api/v1/projects', '[[', app.adminToken)).status).toBe(400);
    });
  });

  describe('JSON nesting depth', () => {
    it(`refuses a body nested deeper than ${MAX_JSON_DEPTH} levels with 400 naming the problem, on every kind of route`, async () => {
      const deep = nested(MAX_JSON_DEPTH + 1);
      const ingest = await post(`/api/v1/projects/${project.key}/groups`, deep, project.ingestToken).expect(400);
      expect(ingest.body.message).toEqual([DEPTH_MESSAGE]);
      const admin = await post('/api/v1/projects', deep, app.adminToken).expect(400);
      expect(admin.body.message).toEqual([DEPTH_MESSAGE]);
      // Through the body parsers rather than the fast path (a Content-Encoding), the same answer.
      const viaParsers = await app.admin('post', '/api/v1/projects').set('Content-Type', 'application/json').set('Content-Encoding', 'identity').send(deep).expect(400);
      expect(viaParsers.body.message).toEqual([DEPTH_MESSAGE]);
    });

    it('refuses a 5 MB nested body quickly, and accepts nesting up to the cap', async () => {
      const started = Date.now();
      const res = await post(`/api/v1/projects/${project.key}/groups`, nested(2_500_000), project.ingestToken).expect(400);
      expect(res.body.message).toEqual([DEPTH_MESSAGE]);
      expect(Date.now() - started).toBeLessThan(5_000);
      const atCap = `{"fingerprint": "nested-at-cap", "attributes": {"deep": ${nested(MAX_JSON_DEPTH - 2)}}}`;
      const ok = await post(`/api/v1/projects/${project.key}/groups`, atCap, project.ingestToken);
      expect(ok.body.message?.join(' ') ?? '').not.toContain('nested deeper');
      // Brackets inside strings are text, not nesting.
      const text = { fingerprint: 'brackets-in-text', title: '['.repeat(500) };
      await post(`/api/v1/projects/${project.key}/groups`, JSON.stringify(text), project.ingestToken).expect(201);
    });
  });

  describe('body limits', () => {
    const over = (limit: number) => JSON.stringify({ padding: 'x'.repeat(limit + 10) });

    it(`the admin API reads at most ${BODY_LIMITS.default} bytes: 413 naming the limit`, async () => {
      const res = await post('/api/v1/projects', over(BODY_LIMITS.default), app.adminToken).expect(413);
      expect(res.body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: [`body must not exceed ${BODY_LIMITS.default} bytes`] });
    });

    it('UI forms too', async () => {
      const form = await signInForm(app);
      const res = await app.http().post('/ui/sign-in').set('Cookie', form.cookie).type('form').send(`_csrf=${form.csrf}&token=${'x'.repeat(BODY_LIMITS.default)}`);
      expect(res.status).toBe(413);
    });

    it(`webhooks read at most ${BODY_LIMITS.webhook} bytes`, async () => {
      const synced = await connectSync(app, sim, {}, { register: false });
      const body = over(BODY_LIMITS.webhook);
      const res = await app.http().post(`/webhooks/jira/${synced.key}`).set('Content-Type', 'application/json').set('X-Hub-Signature', hubSignature(synced.secret, body)).send(body).expect(413);
      expect(res.body.message).toEqual([`body must not exceed ${BODY_LIMITS.webhook} bytes`]);
    });

    it('ingestion keeps its larger limit', async () => {
      const big = { fingerprint: 'large-report', callstack: ['y'.repeat(2 * 1024 * 1024)] };
      const res = await post(`/api/v1/projects/${project.key}/groups`, JSON.stringify(big), project.ingestToken);
      expect(res.status).not.toBe(413);
    });
  });

  describe('throttles', () => {
    it(`30 parallel wrong UI sign-ins: at most ${SIGN_IN_LIMIT.failures} are 401, the rest 429`, async () => {
      const fresh = await startTestApp(); // its own address counts
      try {
        const forms = await Promise.all(Array.from({ length: 30 }, () => signInForm(fresh)));
        const statuses = (await Promise.all(forms.map((f, i) => postSignIn(fresh, `guess-${i}`, f)))).map((r) => r.status);
        expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(SIGN_IN_LIMIT.failures);
        expect(statuses.filter((s) => s !== 401).every((s) => s === 429)).toBe(true);
      } finally {
        await fresh.stop();
      }
    });

    it(`wrong bearer tokens: 429 with Retry-After past ${TOKEN_FAILURES} from one address; other addresses and the right token are not affected`, async () => {
      const proxied = await startTestApp({ env: { TRUST_PROXY: 'loopback', API_TOKEN_FAILURES_PER_MINUTE: String(TOKEN_FAILURES) } });
      try {
        const from = (address: string, token: string) =>
          proxied.http().get('/api/v1/projects').set('X-Forwarded-For', address).set('Authorization', `Bearer ${token}`);
        const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => from('203.0.113.5', `wrong-${i}`)));
        const statuses = answers.map((r) => r.status);
        expect(statuses.filter((s) => s === 401).length).toBe(TOKEN_FAILURES);
        expect(statuses.filter((s) => s === 429).length).toBe(30 - TOKEN_FAILURES);
        const throttled = await from('203.0.113.5', 'wrong-again').expect(429);
        expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
        expect(throttled.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
        // Unknown tokens from there are refused even when the body would be read: ingestion too.
        const ingest = await proxied.http().post('/api/v1/projects/any/groups').set('X-Forwarded-For', '203.0.113.5').set('Authorization', 'Bearer wrong').send({ fingerprint: 'x' });
        expect(ingest.status).toBe(429);

        await from('198.51.100.7', proxied.adminToken).expect(200);
        await from('198.51.100.7', 'wrong-elsewhere').expect(401);
        // The admin token is checked before the throttle: its owner is not locked out by a neighbour.
        await from('203.0.113.5', proxied.adminToken).expect(200);
      } finally {
        await proxied.stop();
      }
    });
  });
});
