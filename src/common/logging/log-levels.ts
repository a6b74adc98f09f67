/** LOG_LEVEL values, most severe first (info is Nest's "log"). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The service's LOG_LEVEL, for what decides by level before building a line (the config module provides it). */
export const LOG_LEVEL = Symbol('LOG_LEVEL');

/** Whether `level` writes debug lines. */
export const logsDebug = (level: LogLevel): boolean => level === 'debug' || level === 'verbose';
