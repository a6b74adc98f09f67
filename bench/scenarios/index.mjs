// The scenarios, run in this order against one service and one database. Each
// module exports { id, title, run(ctx) } and run() returns its figures:
//   { figure, label, unit, value, baseline?, target?: { on: 'value'|'ratio', op, value, text } }
// (see run.mjs for ctx). BENCH_SCENARIOS=single,batch picks a subset; rss needs batch
// before it only to count its groups (it tops up to 100k on its own).
//
// Later issues add their scenarios here, e.g.:
//   - ticket creation: integration pointed at the Jira simulator (test/jira-sim),
//     new groups → outbox → tickets/s and create latency;
//   - webhooks: signed Jira webhook POSTs → state sync throughput and latency.
import single from './ingest-single.mjs';
import batch from './ingest-batch.mjs';
import rss from './rss.mjs';
import tickets from './tickets.mjs';
import webhooks from './webhooks.mjs';

export const scenarios = [single, batch, rss, tickets, webhooks];
