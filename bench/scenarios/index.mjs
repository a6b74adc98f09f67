// The scenarios, run in this order against one service and one database per mode. Each
// module exports { id, title, run(ctx) } and run() returns its figures:
//   { figure, label, unit, value, baseline?, target?: { on: 'value'|'ratio', op, value, text } }
// (see lib/service.mjs for ctx). `mode: 'embedded'` runs a scenario against the service
// restarted in embedded mode after the others (default: PostgreSQL + Redis).
// BENCH_SCENARIOS=single,batch picks a subset; rss needs batch before it only to count
// its groups (it tops up to 100k on its own).
import single, { singleEmbedded } from './ingest-single.mjs';
import batch from './ingest-batch.mjs';
import rss from './rss.mjs';
import tickets from './tickets.mjs';
import backfill from './backfill.mjs';
import rules from './ingest-rules.mjs';
import triage from './groups-list.mjs';
import { webhooksScenario } from './webhooks.mjs';
import soak from './soak.mjs';
import notifications from './notifications.mjs';
import { timeToTicketScenario } from './time-to-ticket.mjs';

// soak comes last among the PostgreSQL scenarios: it leaves 250,000 groups and a pruned database behind.
export const scenarios = [single, batch, rss, tickets, backfill, rules, triage, webhooksScenario('postgres'), timeToTicketScenario('postgres'), notifications, soak,
  singleEmbedded, webhooksScenario('embedded'), timeToTicketScenario('embedded')];
