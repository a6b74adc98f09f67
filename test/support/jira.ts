import { JiraSimulator, JiraSimOptions } from '../jira-sim';
import { TestApp } from './test-app';

/** Settings for a project against a simulator, through the real settings API. */
export async function configureJira(app: TestApp, projectKey: string, sim: JiraSimulator, overrides: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const auth =
    sim.flavour === 'cloud'
      ? { type: 'basic', email: sim.credentials.email, apiToken: sim.credentials.apiToken }
      : { type: 'bearer', token: sim.credentials.pat };
  const body = {
    apiUrl: sim.apiUrl,
    auth,
    projectKey: 'CHK',
    issueType: 'Bug',
    subject: '[$version] {{title}}',
    labels: 'crashbridge, $platform',
    ...overrides,
  };
  const res = await app.admin('put', `/api/v1/projects/${projectKey}/integrations/jira`).send(body);
  if (res.status !== 200) throw new Error(`configuring Jira failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function startSim(opts: JiraSimOptions = {}): Promise<JiraSimulator> {
  return JiraSimulator.start(opts);
}

/** Issues in the simulator carrying a given label. */
export const issuesWithLabel = (sim: JiraSimulator, label: string) =>
  sim.listIssues().filter((i) => ((i.fields.labels as string[] | undefined) ?? []).includes(label));

/**
 * Simulators a spec starts per test, stopped after each test (call inside a describe).
 * `sim(flavour, webhookMode)` starts one.
 */
export function simulatorsPerTest(): (flavour?: 'cloud' | 'datacenter', mode?: 'auto' | 'manual') => Promise<JiraSimulator> {
  const sims: JiraSimulator[] = [];
  afterEach(async () => {
    for (const s of sims.splice(0)) await s.stop();
  });
  return async (flavour = 'cloud', mode = 'auto') => {
    const s = await startSim({ flavour });
    s.webhookMode = mode;
    sims.push(s);
    return s;
  };
}
