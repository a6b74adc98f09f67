// Running one of the bare baseline servers (bench/baseline/) beside the service, as the scenarios that compare
// with one do: its own table shaped like a service table (indexes included), in the run's database, then the
// server on a free port until the scenario is done with it.
import { join } from 'node:path';
import { freePort, startNode, waitHealthy } from './processes.mjs';
import { query } from './stores.mjs';

/**
 * Creates `table` LIKE `like`, starts bench/baseline/`script` on it (BASELINE_TABLE, DATABASE_URL, PORT and
 * `env`), waits until it is healthy, and calls `use({ proc, port })`; the server is stopped however `use` ends.
 * Its output goes to `<log>.log` in the run's folder.
 */
export async function withBaseline(ctx, { name, script, log, table, like, env = {} }, use) {
  await query(ctx.databaseUrl, `CREATE TABLE ${table} (LIKE ${like} INCLUDING ALL)`);
  const port = await freePort();
  const proc = startNode({
    name,
    script: join(ctx.benchDir, 'baseline', script),
    // Profiled beside the service (BENCH_CPU_PROF=1), so that the two can be compared function by function.
    nodeArgs: ctx.options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(ctx.benchDir, 'tmp', 'profiles')}`, `--cpu-prof-name=baseline-${log}-${Date.now()}.cpuprofile`] : [],
    env: { PATH: process.env.PATH, DATABASE_URL: ctx.databaseUrl, PORT: String(port), BASELINE_TABLE: table, ...env },
    logFile: join(ctx.tmpDir, `${log}.log`),
  });
  try {
    await waitHealthy(proc, port, '/health', 15_000);
    return await use({ proc, port });
  } finally {
    await proc.stop(5_000);
  }
}
