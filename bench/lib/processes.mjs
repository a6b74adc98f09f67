// Child processes for the bench: the real service and the baseline server, with
// their output kept in a log file, a health wait, and a SIGTERM stop.
import { spawn } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Starts `node [nodeArgs] script` with env; stdout/stderr go to logFile. */
export function startNode({ name, script, nodeArgs = [], env, logFile, cwd }) {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [...nodeArgs, script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  const exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = { code, signal }))));
  return {
    name,
    child,
    pid: child.pid,
    logFile,
    exited: () => exited,
    /** The last lines of its log, for error messages. */
    tail(lines = 30) {
      try {
        return readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
    /** SIGTERM, then SIGKILL after `graceMs`. Resolves {code, signal, ms}. */
    async stop(graceMs = 35_000) {
      if (exited) return { ...exited, ms: 0 };
      const t = performance.now();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const r = await exit;
      clearTimeout(timer);
      log.end();
      return { ...r, ms: Math.round(performance.now() - t) };
    },
  };
}

function get(port, path) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** Polls GET path until it answers 200; throws with the log tail on exit or timeout. */
export async function waitHealthy(proc, port, path, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (proc.exited()) throw new Error(`${proc.name} exited during start-up (${JSON.stringify(proc.exited())}):\n${proc.tail()}`);
    if ((await get(port, path)) === 200) return;
    await sleep(100);
  }
  throw new Error(`${proc.name} was not healthy on ${path} within ${timeoutMs} ms:\n${proc.tail()}`);
}

/** Resident set size and its peak, in MiB, from /proc/<pid>/status. */
export function readRss(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** CPU time (user+system, seconds) used so far by a process, from /proc/<pid>/stat. */
export function readCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11] = utime, fields[12] = stime (fields 14 and 15 of proc(5), counted from state).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Busy jiffies of the whole machine, from the first line of /proc/stat. */
function machineBusyJiffies() {
  const [, ...nums] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const v = nums.map(Number);
  return v.slice(0, 8).reduce((a, b) => a + b, 0) - v[3] - (v[4] || 0);
}

/** CPU jiffies of every PostgreSQL process (all databases: the server is shared), by pid. */
function postgresJiffies() {
  const out = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const open = stat.indexOf('(');
      const close = stat.lastIndexOf(')');
      if (!stat.slice(open + 1, close).startsWith('postgres')) continue;
      const f = stat.slice(close + 2).split(' ');
      out.set(entry, Number(f[11]) + Number(f[12]));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Jiffies used between two snapshots by processes alive at the end (new ones count whole), optionally only `pids`. */
function jiffiesBetween(before, after, pids) {
  let sum = 0;
  for (const [pid, j] of after) if (!pids || pids.has(pid)) sum += j - (before.get(pid) ?? 0);
  return sum;
}

/**
 * Measures where the CPU went during a window, in cores (1.0 = one core busy for
 * the whole window): the measured process, this bench process (the load
 * generator), PostgreSQL, and the rest of the machine (anything else running).
 * Pass the end function the pids of the run's backends (pg_stat_activity) to count
 * only those as PostgreSQL; other databases' backends then count as the rest.
 */
export function cpuWindow(pid) {
  const t = performance.now();
  const machine0 = machineBusyJiffies();
  const pg0 = postgresJiffies();
  const svc0 = readCpuSeconds(pid);
  const me0 = process.cpuUsage();
  return (backendPids) => {
    const seconds = (performance.now() - t) / 1000;
    const machine = (machineBusyJiffies() - machine0) / 100 / seconds;
    const postgres = jiffiesBetween(pg0, postgresJiffies(), backendPids) / 100 / seconds;
    const measured = (readCpuSeconds(pid) - svc0) / seconds;
    const d = process.cpuUsage(me0);
    const loadGenerator = (d.user + d.system) / 1e6 / seconds;
    const round = (x) => Math.round(x * 100) / 100;
    return {
      seconds: round(seconds),
      machine: round(machine),
      measured: round(measured),
      postgres: round(postgres),
      loadGenerator: round(loadGenerator),
      rest: round(Math.max(0, machine - measured - postgres - loadGenerator)),
    };
  };
}

/** Machine CPU busy (in cores) over `ms`, before the run: other work skews every figure. */
export async function backgroundLoad(ms = 1_000) {
  const b0 = machineBusyJiffies();
  const t = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  return Math.round(((machineBusyJiffies() - b0) / 100 / ((performance.now() - t) / 1000)) * 100) / 100;
}
