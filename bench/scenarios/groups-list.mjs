// triage: the groups list at 100,000 groups in one project (another 100,000 in a second project beside it),
// seeded with SQL (bench/lib/seed-groups.sql), read by one client page after page in every sort, with each
// filter alone and a few together: GET /api/v1/projects/{key}/groups, 50 a page, the first three pages of
// each query through nextCursor. The latency is measured at the client over loopback: the server's time
// plus a little. PostgreSQL mode only: the seed is SQL against the run's database.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { keepAliveAgent, quantile, request } from '../lib/load.mjs';
import { query } from '../lib/stores.mjs';
import { call } from './tickets.mjs';

const GROUPS = 100_000;
const PAGES = 3;
const SORTS = ['-lastSeen', 'lastSeen', '-count', 'count'];
/** Filters alone and together; "dev3" has a third of the assignees' groups' share, "nobody" none at all. */
const FILTERS = [
  '',
  'state=open',
  'state=muted',
  'assignee=dev3%40example.com',
  'assignee=unassigned',
  'assignee=nobody%40example.com',
  'ticketStatus=Done',
  'ticketStatus=none',
  'state=open&assignee=unassigned&ticketStatus=none',
  'state=resolved&ticketStatus=In%20Progress',
];

async function seed(ctx, key) {
  const [{ id }] = await query(ctx.databaseUrl, `SELECT id::text AS id FROM projects WHERE key = $1`, [key]);
  if (!/^\d+$/.test(id)) throw new Error(`unexpected project id ${id}`);
  const sql = readFileSync(join(ctx.benchDir, 'lib', 'seed-groups.sql'), 'utf8').replaceAll(':project', id);
  await query(ctx.databaseUrl, sql);
}

export default {
  id: 'triage',
  title: `Groups list at ${GROUPS.toLocaleString('en')} groups: one client, ${SORTS.length} sorts × ${FILTERS.length} filter sets, first ${PAGES} pages of 50 each through the cursor`,
  async run(ctx) {
    if (ctx.mode !== 'postgres') throw new Error('triage seeds its groups with SQL: PostgreSQL mode only');
    const headers = { authorization: `Bearer ${ctx.adminToken}` };
    const t = performance.now();
    for (const key of ['bench-triage-other', 'bench-triage']) {
      await call(ctx.service.port, 'POST', '/api/v1/projects', { headers, body: { key, name: key }, expect: [201] });
      await seed(ctx, key);
    }
    ctx.note('triage', `seeded 2 × ${GROUPS.toLocaleString('en')} groups and 2 × 5,000 linked issues in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    await ctx.quiesce();

    const agent = keepAliveAgent(1);
    const get = async (path) => {
      const started = performance.now();
      const res = await request(agent, { port: ctx.service.port, method: 'GET', path, headers });
      const ms = performance.now() - started;
      if (res.status !== 200) throw new Error(`GET ${path} → ${res.status} ${res.body.slice(0, 200)}`);
      return { ms, body: JSON.parse(res.body) };
    };
    const walk = async (sort, filter, latencies, worst) => {
      let cursor = null;
      for (let page = 0; page < PAGES; page++) {
        const path = `/api/v1/projects/bench-triage/groups?limit=50&sort=${encodeURIComponent(sort)}${filter ? `&${filter}` : ''}${cursor ? `&cursor=${cursor}` : ''}`;
        const { ms, body } = await get(path);
        latencies.push(ms);
        const name = `sort=${sort}${filter ? ` ${decodeURIComponent(filter)}` : ''} page ${page + 1}`;
        if (ms > (worst.get(name) ?? 0)) worst.set(name, ms);
        cursor = body.nextCursor;
        if (!cursor) break;
      }
    };
    // One pass to warm the caches, then passes until the measured time is up (at least one).
    for (const sort of SORTS) for (const filter of FILTERS) await walk(sort, filter, [], new Map());
    const latencies = [];
    const worst = new Map();
    const stopAt = performance.now() + ctx.options.durationMs;
    let passes = 0;
    do {
      for (const sort of SORTS) for (const filter of FILTERS) await walk(sort, filter, latencies, worst);
      passes++;
    } while (performance.now() < stopAt);
    agent.destroy();

    latencies.sort((a, b) => a - b);
    const slowest = [...worst.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
    ctx.note('triage', `${latencies.length} list requests in ${passes} passes; slowest: ${slowest.map(([n, ms]) => `${n} ${ms.toFixed(1)} ms`).join(', ')}`);
    return [
      { figure: 'triage_list_p99_ms', label: `triage: groups list p99 at ${GROUPS.toLocaleString('en')} groups (every sort and filter, pages 1-${PAGES})`, unit: 'ms', value: quantile(latencies, 0.99),
        target: { on: 'value', op: '<', value: 300, text: '< 300 ms' } },
      { figure: 'triage_list_p50_ms', label: 'triage: groups list p50', unit: 'ms', value: quantile(latencies, 0.5) },
      { figure: 'triage_list_max_ms', label: 'triage: groups list slowest request', unit: 'ms', value: latencies[latencies.length - 1] },
    ];
  },
};
