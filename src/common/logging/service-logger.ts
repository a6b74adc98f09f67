import { LoggerService } from '@nestjs/common';
import { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
import pino, { DestinationStream, Level } from 'pino';
import { LogLevel } from './log-levels';

/** LOG_LEVEL → pino's level (Nest's verbose is pino's trace). */
const PINO_LEVEL: Record<LogLevel, Level> = { fatal: 'fatal', error: 'error', warn: 'warn', info: 'info', debug: 'debug', verbose: 'trace' };

/**
 * Nest's start-up chatter: one line per module, controller and route (about ninety). Kept at
 * debug, where it helps to see what is mapped; at info the service's own "started" line says it.
 */
const STARTUP_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

class ServiceLogger extends NestPinoLogger {
  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams[optionalParams.length - 1];
    if (typeof context === 'string' && STARTUP_CONTEXTS.has(context)) this.debug(message, ...optionalParams);
    else super.log(message, ...optionalParams);
  }
}

/**
 * An Error as name, message and stack only: pino's default would add every enumerable
 * property, and an HTTP client's error carries the request, credentials included.
 */
function errorFields(err: unknown): unknown {
  return err instanceof Error ? { type: err.name, message: err.message, stack: err.stack } : err;
}

/**
 * The service's logger: JSON, one object per line (`level` as a word, ISO `time`), written
 * by pino, with nestjs-pino translating Nest's logger contract (context, error stacks).
 * No per-request middleware: request ids and the access line come from RequestIdMiddleware,
 * which also serves the direct routes. `destination`: stdout, written synchronously so that
 * nothing is lost on process.exit; tests pass one that keeps the lines.
 */
export function createServiceLogger(level: LogLevel, destination: DestinationStream = pino.destination({ dest: 1, sync: true })): LoggerService {
  const root = pino(
    {
      level: PINO_LEVEL[level],
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: errorFields },
    },
    destination,
  );
  // nestjs-pino's own PinoLogger keeps the first root it builds for the whole process (one
  // per test file would be wrong); the adapter only calls the level methods, which pino has.
  return new ServiceLogger(root as unknown as PinoLogger, {});
}
