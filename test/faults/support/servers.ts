import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../support/child-service';

/**
 * The fault suite's own PostgreSQL and Redis, as real processes it can stop and start
 * again. Never the machine's shared servers on 5432/6379: those serve other people's
 * tests, and the faults here take the servers down.
 */

const PG_BIN = process.env.FAULTS_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const SHARED_PORTS = new Set([5432, 6379]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a command to its exit (not stdio close: pg_ctl leaves a postmaster behind). */
function run(cmd: string, args: string[], timeoutMs = 60_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

async function ownPort(): Promise<number> {
  for (;;) {
    const p = await freePort();
    if (!SHARED_PORTS.has(p)) return p;
  }
}

const asPostgres = (bin: string, ...args: string[]): [string, string[]] => ['runuser', ['-u', 'postgres', '--', join(PG_BIN, bin), ...args]];

/** Servers still running when the test process exits are stopped (a crashed spec, --forceExit). */
const cleanups = new Set<() => void>();
process.once('exit', () => {
  for (const c of cleanups) c();
});

export class PgServer {
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  /** initdb in a fresh mktemp directory (owned by postgres) and start on a free port. */
  static async start(): Promise<PgServer> {
    const dir = mkdtempSync(join(tmpdir(), 'crashbridge-faults-pg-'));
    chownSync(dir, ...uidGid('postgres'));
    const init = await run(...asPostgres('initdb', '-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync'));
    if (init.code !== 0) throw new Error(`initdb failed:\n${init.output}`);
    const pg = new PgServer(dir, await ownPort());
    cleanups.add(pg.exitCleanup);
    await pg.resume();
    const c = new Client({ connectionString: pg.url('postgres') });
    await c.connect();
    await c.query('CREATE DATABASE crashbridge');
    await c.end();
    return pg;
  }

  url(db = 'crashbridge'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${db}`;
  }

  /** Starts the server (again); resolves once it accepts connections. */
  async resume(): Promise<void> {
    // fsync off: a killed postmaster loses nothing the OS has (only a machine crash would);
    // synchronous_commit stays on, so an acknowledged commit is in the WAL the restart replays.
    const opts = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off`;
    const r = await run(...asPostgres('pg_ctl', '-D', join(this.dir, 'data'), '-l', join(this.dir, 'log'), '-w', '-t', '60', '-o', opts, 'start'));
    if (r.code !== 0) throw new Error(`pg_ctl start failed:\n${r.output}\n${this.log()}`);
  }

  /** 'immediate' is a crash (no shutdown checkpoint, connections just drop); 'fast' a clean stop. */
  async halt(mode: 'fast' | 'immediate'): Promise<void> {
    const r = await run(...asPostgres('pg_ctl', '-D', join(this.dir, 'data'), '-m', mode, '-w', 'stop'));
    if (r.code !== 0 && !/not running|No such process/i.test(r.output)) throw new Error(`pg_ctl stop failed:\n${r.output}`);
  }

  log(): string {
    try {
      return readFileSync(join(this.dir, 'log'), 'utf8').split('\n').slice(-30).join('\n');
    } catch {
      return '';
    }
  }

  async destroy(): Promise<void> {
    await this.halt('fast').catch(() => undefined);
    cleanups.delete(this.exitCleanup);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private readonly exitCleanup = () => {
    spawnSync(...asPostgres('pg_ctl', '-D', join(this.dir, 'data'), '-m', 'immediate', 'stop'), { stdio: 'ignore' });
    rmSync(this.dir, { recursive: true, force: true });
  };
}

export class RedisServer {
  private proc?: ChildProcess;

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  /** redis-server without persistence (as the issue asks): a restart starts empty. */
  static async start(): Promise<RedisServer> {
    const r = new RedisServer(mkdtempSync(join(tmpdir(), 'crashbridge-faults-redis-')), await ownPort());
    cleanups.add(r.exitCleanup);
    await r.resume();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return !!this.proc && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  async resume(): Promise<void> {
    if (this.running) return;
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir, '--logfile', join(this.dir, 'log')];
    this.proc = spawn('redis-server', args, { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const ping = await run('redis-cli', ['-p', String(this.port), 'ping'], 2_000);
      if (ping.output.trim() === 'PONG') return;
      if (Date.now() > deadline || !this.running) throw new Error(`redis-server did not start on ${this.port}: ${ping.output}`);
      await sleep(50);
    }
  }

  /** SIGKILL: clients see their connections reset; with no persistence every queued job is gone. */
  async crash(): Promise<void> {
    const p = this.proc;
    if (!p || !this.running) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.crash();
    cleanups.delete(this.exitCleanup);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private readonly exitCleanup = () => {
    this.proc?.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  };
}

function uidGid(user: string): [number, number] {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`no user ${user}`);
  const [, , uid, gid] = line.split(':');
  return [Number(uid), Number(gid)];
}
