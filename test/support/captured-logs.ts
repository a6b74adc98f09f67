import { LoggerService } from '@nestjs/common';
import { createServiceLogger } from '@app/common/logging/service-logger';

/**
 * The service's JSON logger at every level (verbose included), keeping each line it would
 * have written instead of printing it: pass it as `startTestApp({ logger })` to look at what
 * the service logs. TEST_LOGS=1 prints the lines as well.
 */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  private readonly inner = createServiceLogger('verbose', {
    write: (chunk: string) => {
      const line = chunk.replace(/\n$/, '');
      this.lines.push(line);
      if (process.env.TEST_LOGS) process.stdout.write(`${line}\n`);
    },
  });

  log(message: unknown, ...rest: unknown[]): void {
    this.inner.log(message, ...rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.inner.error(message, ...rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.inner.warn(message, ...rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.inner.debug?.(message, ...rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.inner.verbose?.(message, ...rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.inner.fatal?.(message, ...rest);
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
