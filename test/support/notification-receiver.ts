import { createHmac } from 'node:crypto';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedEvent { id: string; type: string; body: Record<string, any>; signature: string; delivery: string; raw: string }

/** A notification receiver on loopback: answers `mode` (204, or 503), or, when stopped, refuses connections. */
export class EventReceiver {
  readonly got: ReceivedEvent[] = [];
  mode: 200 | 503 = 200;
  /** Groups whose events get 503 whatever the mode. */
  readonly refuse = new Set<string>();
  answered503 = 0;
  private server?: http.Server;
  port = 0;

  /** `port`: the port it had before a stop, to come back at the same URL. */
  async start(port = 0): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const body = JSON.parse(raw);
        if (this.mode === 503 || this.refuse.has(body.group.fingerprint)) {
          this.answered503++;
          res.writeHead(503).end();
          return;
        }
        this.got.push({ id: body.id, type: body.type, body, raw, signature: String(req.headers['x-crashbridge-signature']), delivery: String(req.headers['x-crashbridge-delivery']) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server!.closeAllConnections();
      this.server!.close(() => resolve());
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/crashbridge`;
  }

  /** The events of one project. */
  of(projectKey: string): ReceivedEvent[] {
    return this.got.filter((r) => r.body.project.key === projectKey);
  }
}

/** The signature header a receiver checks. */
export const signatureOf = (secret: string, raw: string) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
