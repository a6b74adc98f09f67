// Preload for the service (`node -r ./bench/tools/pg-query-counter.cjs dist/src/main.js`,
// or BENCH_COUNT_QUERIES=1 in bench/run.mjs): counts the statements the process sends
// to PostgreSQL, by their first words, with the time from sending each to its answer
// being handled (database time plus any wait for the event loop: under load, that wait
// is what a sequence of statements pays per round trip). Written as JSON to
// $PG_QUERY_COUNT_FILE when the process exits. For analysis only; src/ is untouched.
'use strict';
const { writeFileSync } = require('node:fs');
const pg = require('pg');

const stats = new Map();
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(config, ...rest) {
  const text = typeof config === 'string' ? config : config && config.text;
  if (typeof text !== 'string') return original.call(this, config, ...rest);
  const key = text.replace(/\s+/g, ' ').trim().slice(0, 80);
  let s = stats.get(key);
  if (!s) stats.set(key, (s = { n: 0, ms: 0 }));
  s.n++;
  const started = performance.now();
  const done = () => (s.ms += performance.now() - started);
  const last = rest.length > 0 ? rest[rest.length - 1] : undefined;
  if (typeof last === 'function') {
    rest[rest.length - 1] = function timedCallback(...args) {
      done();
      return last.apply(this, args);
    };
    return original.call(this, config, ...rest);
  }
  const result = original.call(this, config, ...rest);
  if (result && typeof result.then === 'function') result.then(done, done);
  return result;
};

process.on('exit', () => {
  const file = process.env.PG_QUERY_COUNT_FILE;
  if (!file) return;
  const rows = [...stats]
    .sort((a, b) => b[1].n - a[1].n)
    .map(([statement, s]) => ({ n: s.n, avgMs: Math.round((s.ms / s.n) * 100) / 100, statement }));
  writeFileSync(file, JSON.stringify(rows, null, 1));
});
