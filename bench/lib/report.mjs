// Figures → verdicts, and bench/RESULTS.md.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The hand-written analysis (bench/where-the-time-goes.md), appended to every RESULTS.md
 * as it is: run.mjs rewrites RESULTS.md, so the section lives in its own file.
 */
const HAND_WRITTEN = join(dirname(dirname(fileURLToPath(import.meta.url))), 'where-the-time-goes.md');

/** Adds the ratio to the baseline and whether the target is met (null: the figure has no target). */
export function evaluate(f) {
  const ratio = f.ratio !== undefined ? f.ratio : f.baseline !== undefined && f.baseline !== null ? f.value / f.baseline : null;
  let pass = null;
  if (f.target) {
    const x = f.target.on === 'ratio' ? ratio : f.value;
    const t = f.target.value;
    pass = x !== null && Number.isFinite(x) && { '>=': x >= t, '>': x > t, '<': x < t, '<=': x <= t }[f.target.op];
  }
  return { ...f, ratio, pass };
}

export const fmt = (x, unit) => {
  if (x === null || x === undefined) return '—';
  if (!Number.isFinite(x)) return String(x);
  const digits = unit === 'ms' || unit === 'MB' ? (Math.abs(x) < 10 ? 2 : 1) : Number.isInteger(x) ? 0 : Math.abs(x) >= 100 ? 0 : 2;
  return x.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
};

/** The figures as `figure | measured | baseline (same run) | ratio | target | met?`. */
export function figureTable(figures) {
  const lines = ['| figure | measured | baseline (same run) | ratio | target | met? |', '|---|---|---|---|---|---|'];
  // A figure measured in rounds shows its median and (range).
  const spread = (r, unit) => (r ? ` (${fmt(r[0], unit)}–${fmt(r[1], unit)})` : '');
  for (const f of figures) {
    const value = `${fmt(f.value, f.unit)} ${f.unit}`.trim() + spread(f.range, f.unit);
    const base = f.baseline === undefined || f.baseline === null ? '—' : `${fmt(f.baseline, f.unit)} ${f.unit}`.trim() + spread(f.baselineRange, f.unit);
    const ratio = f.ratio === null || f.ratio === undefined ? '—' : f.ratio.toFixed(2);
    const verdict = f.pass === null ? '—' : f.pass ? 'yes' : '**no**';
    lines.push(`| ${f.label} | ${value} | ${base} | ${ratio} | ${f.target?.text ?? '—'} | ${verdict} |`);
  }
  return lines;
}

export function markdown({ meta, options, phases, figures, notes, failure }) {
  const busy = Math.max(meta.background, meta.busiestRest ?? 0) > 0.25;
  const lines = [
    '# Benchmark results',
    '',
    `Written by \`bench/run.mjs\` on ${meta.date}. Targets are for 2 cores.`,
    '',
    `- Machine: ${meta.cores} cores (${meta.cpu}), ${meta.memGb} GB RAM; Node ${process.version}; PostgreSQL ${meta.pg}; Redis ${meta.redis}`,
    ...phases.map((p) => `- Service (${p.label}): \`dist/src/main.js\` at ${meta.commit}, ${p.describe}; load generator${p.label === 'PostgreSQL + Redis' ? ' and baseline' : ''} on the same machine`),
    `- Load: ${options.warmupMs / 1000} s warm-up (1 s for batch), ${options.durationMs / 1000} s measured per load scenario; run took ${meta.seconds} s`,
    `- Other work on the machine: ${meta.background} cores busy just before the run, up to ${meta.busiestRest ?? 0} cores during a measurement` +
      (busy ? ' (**the machine was not quiet: throughput and latency figures are skewed; CPU per request much less so**)' : ''),
    '',
    ...figureTable(figures),
  ];
  if (failure) lines.push('', `**The run did not complete:** ${failure}`);
  lines.push('', '## Scenarios', '');
  for (const s of meta.scenarios) lines.push(`- \`${s.id}\`: ${s.title}`);
  lines.push(
    '- baseline for `single`: a bare `node:http` + `pg` server (pool 20, child process, `bench/baseline/server.mjs`) doing the whole merge of a report (count, first/last seen, texts, attribute histograms) in one prepared `INSERT … ON CONFLICT (project_id, fingerprint) DO UPDATE`, no transaction block, into a table created `LIKE error_groups INCLUDING ALL`, under the same load as `single`, in alternating rounds',
    '- baseline for `batch`: a bare `node:http` + `pg` server (2 connections, `bench/baseline/batch-upsert.mjs`) writing each 1,000-group batch as one `INSERT … SELECT FROM jsonb_populate_recordset(…) ON CONFLICT (project_id, fingerprint) DO UPDATE` with the same merge, into a table created `LIKE error_groups INCLUDING ALL`, under the same batches',
    '- baseline for `webhooks`: a bare `node:http` + `pg` server (pool 20, `bench/baseline/webhook-server.mjs`) checking the same `X-Hub-Signature` HMAC and inserting each event (one autocommitted `INSERT`) into a table created `LIKE webhook_events INCLUDING ALL`, under the same 32 senders',
    '',
    '## Notes',
    '',
    "CPU readings are in cores (1.0 = one core busy for the whole window, warm-up included): the machine, the measured process (service or baseline), the PostgreSQL backends serving the run's database, this bench process (the load generator), and other work running on the machine. CPU per request (or per 1,000 groups) divides by all requests in the window. In embedded mode PostgreSQL (PGlite) runs inside the service process, so its work counts as the service's.",
    '',
  );
  for (const n of notes) lines.push(`- ${n.scenario}: ${n.text}`);
  if (existsSync(HAND_WRITTEN)) lines.push('', readFileSync(HAND_WRITTEN, 'utf8').trimEnd());
  return lines.join('\n') + '\n';
}
