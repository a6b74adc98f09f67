// Property-based fuzzing of hostile templates: nested blocks over long callstacks, repeated
// output, report values full of markup. For every generated template: saving and previewing
// never answer 5xx, a render past its budget is an error naming the template, and every value
// that came from the report reaches the description escaped. FUZZ_RUNS cases, a tenth of them
// (each renders up to the render budget); FUZZ_SEED / FUZZ_PATH replay as in fuzz.e2e-spec.ts.
import fc from 'fast-check';
import { JiraSimulator } from '../jira-sim';
import { CapturingLogger } from '../support/captured-logs';
import { fuzzParameters, fuzzRuns } from '../support/fuzz';
import { configureJira, startSim } from '../support/jira';
import { createProject, startTestApp, TestApp } from '../support/test-app';

const RUNS = Math.max(10, Math.round(fuzzRuns() / 10));
const TIMEOUT = Math.max(120_000, RUNS * 3_000);
const MARKUP = ['[~accountid:5b10a2844c20165700ede21g]', '!https://attacker.example/t.png!', '[click|https://attacker.example]', '{code}', '{{title}}', '*b*', '\\\\'];

/** A template of nested `{{#each}}` blocks over the callstack, each level printing something. */
const hostileTemplate = fc
  .record({ depth: fc.integer({ min: 1, max: 4 }), body: fc.constantFrom('{{this}}', '{{../title}}', '$version', '{{attributes.version.top}}', 'x'), repeat: fc.integer({ min: 1, max: 3 }) })
  .map(({ depth, body, repeat }) => {
    let t: string = body;
    for (let i = 0; i < depth; i++) t = `{{#each ${'../'.repeat(i)}callstack}}${t}{{/each}}`;
    return `h3. {{title}}\n${t.repeat(repeat)}`;
  });

const hostileGroup = fc.record({
  frames: fc.integer({ min: 1, max: 500 }),
  markup: fc.constantFrom(...MARKUP),
});

describe(`fuzz templates (${RUNS} cases): never a 5xx, renders bounded, report values escaped`, () => {
  let app: TestApp;
  let sim: JiraSimulator;
  const logs = new CapturingLogger();

  beforeAll(async () => {
    sim = await startSim({ flavour: 'cloud' });
    app = await startTestApp({ logger: logs });
  });
  afterAll(async () => {
    await app?.stop();
    await sim?.stop();
  });

  it('saves and previews hostile description templates', async () => {
    const { key } = await createProject(app);
    await configureJira(app, key, sim);
    const settingsPath = `/api/v1/projects/${key}/integrations/jira`;
    let budgetHit = 0;
    let rendered = 0;
    await fc.assert(
      fc.asyncProperty(fc.tuple(hostileTemplate, hostileGroup), async ([description, g]) => {
        const logFrom = logs.lines.length;
        const current = (await app.admin('get', settingsPath).expect(200)).body;
        const { webhook: _w, auth: _a, health: _h, ...rest } = current;
        const put = await app.admin('put', settingsPath).send({ ...rest, auth: { type: 'basic', email: sim.credentials.email }, description });
        if (put.status >= 500) throw new Error(`PUT → ${put.status} ${put.text.slice(0, 300)}\n${logs.errorsSince(logFrom).join('\n')}`);
        expect(put.status).toBe(200);
        const group = {
          fingerprint: 'hostile',
          title: `crash ${g.markup}`,
          callstack: Array.from({ length: g.frames }, (_, i) => `frame_${i} ${g.markup}`),
          attributes: { version: { [`9.9.9 ${g.markup}`]: 1 } },
        };
        const res = await app.admin('post', `${settingsPath}/preview`).send({ group });
        if (res.status >= 500) throw new Error(`preview → ${res.status} ${res.text.slice(0, 300)}\n${logs.errorsSince(logFrom).join('\n')}`);
        if (res.status >= 400) {
          expect(JSON.stringify(res.body)).toMatch(/description/);
          return;
        }
        const errors: Array<{ message: string }> = res.body.errors ?? [];
        const budget = errors.find((e) => /repeats blocks more than|produces more than/.test(e.message));
        if (budget) {
          budgetHit++;
          return;
        }
        rendered++;
        const text = String(res.body.fields?.description ?? '');
        // Report values never come through as live markup: each opener arrives escaped.
        for (const live of [/(?<!\\)\[~accountid:/, /(?<!\\)!https:\/\/attacker/, /(?<!\\)\[click/]) expect(text).not.toMatch(live);
      }),
      { ...fuzzParameters(), numRuns: RUNS },
    );
    expect(budgetHit + rendered).toBe(RUNS);
    expect(rendered).toBeGreaterThan(0);
  }, TIMEOUT);
});
