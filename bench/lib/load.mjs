// A tiny closed-loop HTTP load generator: `concurrency` clients, each sending its
// next request as soon as the previous answer arrives, over keep-alive sockets.
// Only requests started after the warm-up count; throughput is counted over the
// measured window (first counted start → last counted finish).
import http from 'node:http';

let aborted = false;
/** Ends every running load after its current requests (Ctrl-C). */
export function abortAllLoad() {
  aborted = true;
}
/** Whether abortAllLoad() was called: scenarios that send requests one by one stop too. */
export const loadAborted = () => aborted;

/**
 * A keep-alive agent whose idle sockets close after 4 s, before any server's: the baselines keep Node's 5 s
 * default. (Node heeds a server's Keep-Alive hint only when the agent has a timeout of its own; without one, a
 * socket idle for about 5 s can be reused just as the server closes it: "socket hang up".)
 */
export const keepAliveAgent = (maxSockets) => new http.Agent({ keepAlive: true, maxSockets, timeout: 4_000 });

/** One request; resolves {status, body} (status 0 on a socket error, never rejects). */
export function request(agent, { port, method = 'POST', path, headers = {}, body }) {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : body;
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length, ...headers } : headers,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => resolve({ status: 0, body: String(err) }));
      },
    );
    req.on('error', (err) => resolve({ status: 0, body: String(err) }));
    if (payload) req.end(payload);
    else req.end();
  });
}

/** Value at quantile q (0..1) of an ascending-sorted array, nearest-rank. */
export function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

/** Median of a list of rounds' figures (NaN for none). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** [lowest, highest] of a list of rounds' figures. */
export const range = (xs) => [Math.min(...xs), Math.max(...xs)];

/**
 * Runs the load. `next(clientIndex)` returns {path, body, headers?} for the next
 * request; `check(response, spec)` returns how many items it carried that succeeded
 * (e.g. 1 for a single group, the number of non-error results for a batch), or
 * -1 when the request failed. Stops early when `until()` returns true.
 */
export async function runLoad({ port, concurrency, durationMs, warmupMs = 0, next, check, until }) {
  const agent = keepAliveAgent(concurrency);
  const t0 = performance.now();
  const measureFrom = t0 + warmupMs;
  const stopAt = measureFrom + durationMs;
  const latencies = [];
  let requests = 0;
  let errors = 0;
  let items = 0;
  let warmupRequests = 0;
  let lastFinish = measureFrom;
  const sampleErrors = [];

  async function client(index) {
    while (!aborted && performance.now() < stopAt && !(until && until())) {
      const spec = next(index);
      const started = performance.now();
      const res = await request(agent, { port, path: spec.path, method: spec.method ?? 'POST', headers: spec.headers, body: spec.body });
      const finished = performance.now();
      const ok = check(res, spec);
      if (started < measureFrom) {
        warmupRequests++;
        continue;
      }
      requests++;
      latencies.push(finished - started);
      if (finished > lastFinish) lastFinish = finished;
      if (ok < 0) {
        errors++;
        if (sampleErrors.length < 3) sampleErrors.push(`${res.status} ${res.body.slice(0, 200)}`);
      } else {
        items += ok;
      }
    }
  }

  await Promise.all(Array.from({ length: concurrency }, (_, i) => client(i)));
  agent.destroy();
  const seconds = Math.max(1e-9, (lastFinish - measureFrom) / 1000);
  latencies.sort((a, b) => a - b);
  return {
    requests,
    errors,
    items,
    warmupRequests,
    seconds,
    reqPerSec: requests / seconds,
    itemsPerSec: items / seconds,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: latencies.length ? latencies[latencies.length - 1] : NaN,
    sampleErrors,
  };
}
