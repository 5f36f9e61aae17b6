import { pino, type DestinationStream, type Logger } from 'pino';

export type LogLevel = 'silent' | 'error' | 'info' | 'debug';

/**
 * Wherever a secret could sit in something logged: headers, GraphQL variables, a login's arguments. Request lines
 * carry none of these by construction; the redaction guards whatever an error or a debug line might pass along.
 */
export const REDACTED_PATHS = [
  'authorization',
  'cookie',
  'set-cookie',
  'password',
  'token',
  '*.authorization',
  '*.cookie',
  '*["set-cookie"]',
  '*.password',
  '*.token',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["set-cookie"]',
  '*.variables.password',
  '*.variables.token',
];

/** A JSON-lines logger (one object a line, `time` in ISO 8601) at `level`, to stdout unless given a stream. */
export function createLogger(level: LogLevel = 'info', destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'gatehouse' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // The level as a word ("info") rather than pino's number: log shippers and people both read it.
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * The process's logger. main.ts sets it from LOG_LEVEL; modules without a configuration of their own (error
 * paths deep in services) log through it. Tests may swap it to capture lines.
 */
const LEVELS: readonly string[] = ['silent', 'error', 'info', 'debug'];
const envLevel = process.env.LOG_LEVEL;
export let logger: Logger = createLogger(envLevel && LEVELS.includes(envLevel) ? (envLevel as LogLevel) : 'info');

export function setLogger(next: Logger): void {
  logger = next;
}

/** An error as a loggable object (pino's `err` serializer keeps the message, type and stack). */
export function errorFields(e: unknown): { err: unknown } {
  return { err: e instanceof Error ? e : new Error(String(e)) };
}
