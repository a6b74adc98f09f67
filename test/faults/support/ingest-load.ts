import { http, HttpResult } from './http';

export interface LoadOptions {
  /** fingerprints are `${prefix}-${n}` */
  prefix: string;
  /** groups per request: 1 posts a single group (201), more a {"groups": [...]} batch */
  batch: number;
  /** requests in flight at once */
  concurrency: number;
  /** pause between one client's requests */
  pauseMs?: number;
  timeoutMs?: number;
}

export interface SentRequest extends HttpResult {
  fingerprints: string[];
}

/**
 * Ingestion traffic with the ingest token, every request with new fingerprints, and a
 * record of what the API acknowledged: a 201, or a 200 whose per-item result is not
 * an error. `acked` is what must never be lost.
 */
export class IngestLoad {
  readonly acked = new Set<string>();
  readonly sent: SentRequest[] = [];
  private next = 0;
  private stopped = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly apiUrl: () => string,
    private readonly projectKey: string,
    private readonly token: string,
    private readonly opts: LoadOptions,
  ) {}

  start(): this {
    this.loops = Array.from({ length: this.opts.concurrency }, () => this.loop());
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  /** Sends one request now (also usable without start()). */
  async sendOne(): Promise<SentRequest> {
    const fps = Array.from({ length: this.opts.batch }, () => `${this.opts.prefix}-${this.next++}`);
    const group = (fingerprint: string) => ({ fingerprint, title: `Crash ${fingerprint}`, attributes: { version: '1.0.0' } });
    const body = this.opts.batch === 1 ? group(fps[0]) : { groups: fps.map(group) };
    const res = await http('POST', `${this.apiUrl()}/api/v1/projects/${this.projectKey}/groups`, { body, token: this.token, timeoutMs: this.opts.timeoutMs });
    const sent = { ...res, fingerprints: fps };
    this.sent.push(sent);
    if (res.status === 201) this.acked.add(fps[0]);
    if (res.status === 200 && Array.isArray(res.body?.results)) {
      for (const r of res.body.results as Array<{ fingerprint: string; status: string }>) if (r.status !== 'error') this.acked.add(r.fingerprint);
    }
    return sent;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const r = await this.sendOne();
      // No answer (the API is down): do not spin on refused connections.
      const pause = r.status === 0 ? Math.max(this.opts.pauseMs ?? 0, 50) : this.opts.pauseMs;
      if (pause) await new Promise((res) => setTimeout(res, pause));
    }
  }
}
