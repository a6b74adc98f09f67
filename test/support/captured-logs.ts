import { ConsoleLogger, LogLevel } from '@nestjs/common';

/**
 * The service's JSON logger at every level (verbose included), keeping each line it would
 * have written instead of printing it: pass it as `startTestApp({ logger })` to look at what
 * the service logs. TEST_LOGS=1 prints the lines as well.
 */
export class CapturingLogger extends ConsoleLogger {
  readonly lines: string[] = [];

  constructor() {
    super({ json: true, logLevels: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] });
  }

  protected override printAsJson(message: unknown, options: { context: string; logLevel: LogLevel; writeStreamType?: 'stdout' | 'stderr'; errorStack?: unknown }): void {
    const line = this.stringifyJsonLogObject(this.getJsonLogObject(message, options));
    this.lines.push(line);
    if (process.env.TEST_LOGS) process.stdout.write(`${line}\n`);
  }

  /** The lines logged since `from` (an earlier `lines.length`) at error level or above. */
  errorsSince(from: number): string[] {
    return this.lines.slice(from).filter((l) => /"level":"(error|fatal)"/.test(l));
  }
}

/**
 * Everything written to this process's stdout and stderr until `restore()`, besides the
 * logger (libraries and stray console calls write there directly). Writes still go through.
 */
export function captureProcessOutput(): { text: () => string; restore: () => void } {
  const chunks: string[] = [];
  const originals = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  const tap = (original: typeof process.stdout.write) =>
    ((chunk: unknown, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
  process.stdout.write = tap(originals.out);
  process.stderr.write = tap(originals.err);
  return {
    text: () => chunks.join(''),
    restore: () => {
      process.stdout.write = originals.out;
      process.stderr.write = originals.err;
    },
  };
}
