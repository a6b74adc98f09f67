// Starts a simulator for manual use:
//   node -r @swc-node/register test/jira-sim/main.ts
// Environment: PORT (default 8089), JIRA_SIM_FLAVOUR (cloud|datacenter, default cloud),
// JIRA_SIM_CONTEXT_PATH (e.g. /jira), JIRA_SIM_SEARCH_DELAY_MS (Cloud search consistency delay, default 0),
// JIRA_SIM_STRICT=1 (every strict mode, README "Strict modes").
import { MOBILE_PROJECT } from './data';
import { JiraSimulator } from './simulator';
import type { Flavour } from './types';

async function main() {
  const flavour = (process.env.JIRA_SIM_FLAVOUR ?? 'cloud') as Flavour;
  if (flavour !== 'cloud' && flavour !== 'datacenter') throw new Error(`JIRA_SIM_FLAVOUR must be cloud or datacenter, got '${String(flavour)}'`);
  const strict = process.env.JIRA_SIM_STRICT === '1';
  const sim = await JiraSimulator.start({
    flavour,
    port: Number(process.env.PORT ?? 8089),
    contextPath: process.env.JIRA_SIM_CONTEXT_PATH ?? '',
    searchVisibilityDelayMs: Number(process.env.JIRA_SIM_SEARCH_DELAY_MS ?? 0),
    strict,
    // A second project (MOB: Crash, Task), for routes; the strict modes' duplicate field names bring their own MOB.
    projects: strict ? [] : [MOBILE_PROJECT],
  });
  const c = sim.credentials;
  console.log(`Jira simulator (${sim.flavour}) listening`);
  console.log(`  base URL : ${sim.baseUrl}`);
  console.log(`  API URL  : ${sim.apiUrl}`);
  if (sim.flavour === 'cloud') console.log(`  auth     : basic  email=${c.email}  apiToken=${c.apiToken}`);
  else console.log(`  auth     : basic  username=${c.username}  password=${c.apiToken}   or   bearer ${c.pat}`);
  if (!strict) console.log(`  projects : CHK (Checkout), MOB (Mobile: issue types Crash and Task)`);
  console.log(`  control  : ${sim.baseUrl}/_sim/issues  (POST /_sim/webhooks, /_sim/faults, /_sim/issues/{key}/transition)`);
  const shutdown = () => void sim.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
