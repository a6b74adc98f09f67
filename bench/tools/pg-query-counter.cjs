// Preload for the service (`node -r ./bench/tools/pg-query-counter.cjs dist/src/main.js`,
// or BENCH_COUNT_QUERIES=1 in bench/run.mjs): counts the statements the process sends
// to PostgreSQL, by their first words, and writes them as JSON to
// $PG_QUERY_COUNT_FILE when the process exits. For analysis only; src/ is untouched.
'use strict';
const { writeFileSync } = require('node:fs');
const pg = require('pg');

const counts = new Map();
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(config, ...rest) {
  const text = typeof config === 'string' ? config : config && config.text;
  if (typeof text === 'string') {
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 80);
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  return original.call(this, config, ...rest);
};

process.on('exit', () => {
  const file = process.env.PG_QUERY_COUNT_FILE;
  if (!file) return;
  const rows = [...counts].sort((a, b) => b[1] - a[1]).map(([statement, n]) => ({ n, statement }));
  writeFileSync(file, JSON.stringify(rows, null, 1));
});
