import { ConsoleLogger, LogLevel as NestLogLevel } from '@nestjs/common';
import { LogLevel } from './log-levels';

const LEVELS: NestLogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Maps LOG_LEVEL (info = Nest's "log") to the levels at or above it. */
export function nestLogLevels(level: LogLevel): NestLogLevel[] {
  const wanted: NestLogLevel = level === 'info' ? 'log' : level;
  return LEVELS.slice(0, LEVELS.indexOf(wanted) + 1);
}

/** Structured JSON logs, one object per line (NestJS's built-in JSON mode). */
export function createJsonLogger(level: LogLevel): ConsoleLogger {
  return new ConsoleLogger({ json: true, logLevels: nestLogLevels(level) });
}
