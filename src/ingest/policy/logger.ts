/**
 * The logging surface the policies need. winston's Logger (and the CLI's
 * LogSink) satisfy it structurally, so the policy does not import either.
 */
export interface PolicyLogger {
  warn(message: string, meta?: Record<string, unknown>): unknown;
  info(message: string, meta?: Record<string, unknown>): unknown;
  debug(message: string, meta?: Record<string, unknown>): unknown;
}

export function silentLogger(): PolicyLogger {
  return { warn: () => undefined, info: () => undefined, debug: () => undefined };
}
