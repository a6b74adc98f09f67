#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from BENCH_CPU_PROF=1): self time by package/area
// and the top functions by self time.
//   node bench/tools/cpuprofile-top.mjs bench/tmp/profiles/CPU.*.cpuprofile [top=25]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: cpuprofile-top.mjs <file.cpuprofile> [top]\n');
  process.exit(2);
}
const top = Number(topArg ?? 25);
// A third argument lists native functions whose callers to show (default writev,writeBuffer).
const profile = JSON.parse(readFileSync(file, 'utf8'));
const totalUs = profile.endTime - profile.startTime;
const samples = profile.samples.length;
const usPerSample = totalUs / samples;

function area(url, name) {
  if (!url) return name.startsWith('(') ? name : '(native/builtin)';
  const nm = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (nm) return nm[1];
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  if (url.includes('/dist/src/')) return 'app:' + url.split('/dist/src/')[1].split('/').slice(0, 2).join('/');
  return url;
}

const byArea = new Map();
const byFn = new Map();
for (const n of profile.nodes) {
  if (!n.hitCount) continue;
  const { functionName, url, lineNumber } = n.callFrame;
  const name = functionName || '(anonymous)';
  const a = area(url, name);
  byArea.set(a, (byArea.get(a) ?? 0) + n.hitCount);
  const key = `${name}  ${url ? url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/') + ':' + (lineNumber + 1) : ''}`;
  byFn.set(key, (byFn.get(key) ?? 0) + n.hitCount);
}
// Self time by area again, with native and node-internal frames (socket writes,
// JSON, crypto...) charged to the nearest application or package frame that called them.
const parentOf = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const owner = new Map();
function ownerArea(n) {
  if (owner.has(n.id)) return owner.get(n.id);
  const { url, functionName } = n.callFrame;
  const a = area(url, functionName || '');
  let result = a;
  if (a === '(native/builtin)' || a.startsWith('node:')) {
    const p = parentOf.get(n.id);
    result = p && p.callFrame.functionName !== '(root)' ? ownerArea(p) : a;
  }
  owner.set(n.id, result);
  return result;
}
const charged = new Map();
for (const n of byId.values()) {
  if (!n.hitCount) continue;
  const a = ownerArea(n);
  charged.set(a, (charged.get(a) ?? 0) + n.hitCount);
}

const pct = (h) => ((100 * h) / samples).toFixed(1).padStart(5) + '%';
const ms = (h) => ((h * usPerSample) / 1000).toFixed(0).padStart(7) + ' ms';
console.log(`${file}: ${(totalUs / 1e6).toFixed(1)} s, ${samples} samples`);
console.log('\nself time by area:');
for (const [a, h] of [...byArea].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`${pct(h)} ${ms(h)}  ${a}`);
console.log('\nself time by area, native/node-internal work charged to its caller:');
for (const [a, h] of [...charged].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`${pct(h)} ${ms(h)}  ${a}`);
console.log('\ntop functions by self time:');
for (const [f, h] of [...byFn].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`${pct(h)} ${ms(h)}  ${f}`);

// Callers of the heaviest native functions (e.g. writev): which code paths pay for them.
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
const label = (n) => `${n.callFrame.functionName || '(anonymous)'} ${area(n.callFrame.url, n.callFrame.functionName || '')}`;
const watch = (process.argv[4] ?? 'writev,writeBuffer').split(',');
for (const fn of watch) {
  const chains = new Map();
  let hits = 0;
  for (const n of profile.nodes) {
    if (n.callFrame.functionName !== fn || !n.hitCount) continue;
    hits += n.hitCount;
    const path = [];
    for (let p = parent.get(n.id), i = 0; p && i < 9; p = parent.get(p.id), i++) path.push(label(p));
    const key = path.join(' < ');
    chains.set(key, (chains.get(key) ?? 0) + n.hitCount);
  }
  if (!hits) continue;
  console.log(`\ncallers of ${fn} (${pct(hits).trim()} self):`);
  for (const [k, h] of [...chains].sort((x, y) => y[1] - x[1]).slice(0, 6)) console.log(`${pct(h)}  ${k}`);
}
