// Convergence property test of the two-way sync.
//
// Random interleavings (seeded mulberry32, see test/support/random.ts) of local PATCHes, Jira-side
// transitions/assignments, webhooks duplicated / reordered / delayed / dropped, and reconciliation runs.
// After settling (deliver what is left, drain the outbox, one final resync) the service and Jira agree
// on every group, and no change is sent to Jira more often than it was made here.
//
//   CONVERGENCE_CASES=1000   how many seeds (default 100, which keeps npm test within CI's time), split between a Cloud and a Data Center world
//   CONVERGENCE_SEED=1234    replay one seed (printed by a failing case); CONVERGENCE_FLAVOUR=cloud|datacenter
//   CONVERGENCE_FIRST_SEED   first seed of the run (default 1)
//   CONVERGENCE_STRICT_CASES how many seeds run against Data Center's strict default workflow (default 30)
import { JiraSimulator } from '../jira-sim';
import { configureJira, startSim } from '../support/jira';
import {
  CaseOutcome, ConvergenceWorld, convergenceSettings, convergenceTimings, convergenceUsers, generateCase, runCase,
  STRICT_DC_EXPECTED, STRICT_DC_MOVES_PER_CHANGE, STRICT_DC_STATUS_MAPPING,
} from '../support/convergence';
import { createProject, projectIdOf, startTestApp, TestApp } from '../support/test-app';

const CASES = Number(process.env.CONVERGENCE_CASES ?? 100);
const ONE_SEED = process.env.CONVERGENCE_SEED ? Number(process.env.CONVERGENCE_SEED) : undefined;
const FIRST_SEED = Number(process.env.CONVERGENCE_FIRST_SEED ?? 1);
const ONLY_FLAVOUR = process.env.CONVERGENCE_FLAVOUR as 'cloud' | 'datacenter' | undefined;
const STRICT_CASES = Number(process.env.CONVERGENCE_STRICT_CASES ?? 30);

/** Even seeds run against Jira Cloud, odd ones against Data Center (unless a flavour is forced). */
const flavourOf = (seed: number) => ONLY_FLAVOUR ?? (seed % 2 === 0 ? 'cloud' : 'datacenter');
const seeds = ONE_SEED !== undefined ? [ONE_SEED] : Array.from({ length: CASES }, (_, i) => FIRST_SEED + i);
// Roughly 1.5 s per case is far above what a case takes; the budget only stops a hung run.
const TIMEOUT_MS = 60_000 + seeds.length * 1_500;

describe('two-way sync converges under random interleavings', () => {
  let app: TestApp;
  const worlds = new Map<string, ConvergenceWorld>();
  const sims: JiraSimulator[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    for (const flavour of ['cloud', 'datacenter'] as const) {
      if (!seeds.some((s) => flavourOf(s) === flavour)) continue;
      const sim = await startSim({ flavour });
      sims.push(sim);
      sim.webhookMode = 'manual';
      const { key } = await createProject(app);
      const settings = await configureJira(app, key, sim, convergenceSettings(sim));
      sim.registerWebhook({ url: `${app.url}/webhooks/jira/${key}`, secret: settings.webhook.secret, style: flavour === 'cloud' ? 'hmac' : 'query' });
      worlds.set(flavour, { app, sim, projectKey: key, projectId: await projectIdOf(app, key), users: convergenceUsers(sim) });
    }
  });
  afterAll(async () => {
    await app?.stop();
    for (const sim of sims) await sim.stop();
  });

  it(`${seeds.length} seeded case(s): service and Jira agree, no change bounces`, async () => {
    const started = Date.now();
    const failures: CaseOutcome[] = [];
    // The Cloud and the Data Center worlds share nothing but the app: their cases run side by side.
    const stream = async (flavour: 'cloud' | 'datacenter') => {
      const world = worlds.get(flavour);
      if (!world) return;
      for (const seed of seeds.filter((s) => flavourOf(s) === flavour)) {
        if (failures.length >= 3) return; // enough to debug; do not spend the whole budget on a broken build
        const plan = generateCase(seed, { localUsers: world.users.map((u) => u.local) });
        let outcome: CaseOutcome;
        try {
          outcome = await runCase(world, plan);
        } catch (err) {
          outcome = { seed, problems: [`the case threw: ${(err as Error).stack ?? err}`], trace: [] };
        }
        if (outcome.problems.length) failures.push(outcome);
      }
    };
    await Promise.all([stream('cloud'), stream('datacenter')]);
    const elapsed = Date.now() - started;
    if (process.env.CONVERGENCE_VERBOSE || failures.length) {
      // eslint-disable-next-line no-console
      console.log(`convergence: ${seeds.length} case(s) in ${elapsed} ms (${Math.round(elapsed / seeds.length)} ms/case), ${failures.length} failing`, convergenceTimings);
    }
    const report = failures.map(
      (f) =>
        `seed ${f.seed} (${flavourOf(f.seed)}; replay: CONVERGENCE_SEED=${f.seed} CONVERGENCE_FLAVOUR=${flavourOf(f.seed)})\n` +
        `  problems:\n    ${f.problems.join('\n    ')}\n  trace:\n    ${f.trace.join('\n    ')}`,
    );
    expect(report.join('\n\n')).toBe('');
  }, TIMEOUT_MS);
});

describe("two-way sync converges on Data Center's strict default workflow", () => {
  const strictSeeds = ONE_SEED !== undefined ? [ONE_SEED] : Array.from({ length: STRICT_CASES }, (_, i) => FIRST_SEED + i);
  let app: TestApp;
  let sim: JiraSimulator;
  let world: ConvergenceWorld;

  beforeAll(async () => {
    app = await startTestApp();
    sim = await startSim({ flavour: 'datacenter', workflow: 'jira' });
    sim.webhookMode = 'manual';
    const { key } = await createProject(app);
    const settings = await configureJira(app, key, sim, convergenceSettings(sim, STRICT_DC_STATUS_MAPPING));
    sim.registerWebhook({ url: `${app.url}/webhooks/jira/${key}`, secret: settings.webhook.secret, style: 'query' });
    const strict = { expected: STRICT_DC_EXPECTED, movesPerChange: STRICT_DC_MOVES_PER_CHANGE };
    world = { app, sim, projectKey: key, projectId: await projectIdOf(app, key), users: convergenceUsers(sim), strict };
  });
  afterAll(async () => {
    await app?.stop();
    await sim?.stop();
  });

  it(`${strictSeeds.length} seeded case(s): paths and resolutions, and still no change bounces`, async () => {
    const failures: CaseOutcome[] = [];
    for (const seed of strictSeeds) {
      if (failures.length >= 3) break;
      const plan = generateCase(seed, { localUsers: world.users.map((u) => u.local) });
      const outcome = await runCase(world, plan).catch((err: Error) => ({ seed, problems: [`the case threw: ${err.stack ?? err}`], trace: [] }));
      if (outcome.problems.length) failures.push(outcome);
    }
    const report = failures.map(
      (f) => `seed ${f.seed} (strict datacenter)\n  problems:\n    ${f.problems.join('\n    ')}\n  trace:\n    ${f.trace.join('\n    ')}`,
    );
    expect(report.join('\n\n')).toBe('');
  }, 60_000 + strictSeeds.length * 1_500);
});
