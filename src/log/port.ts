/**
 * The one logging surface every layer uses: the engine, the policies, the
 * Zoom and Kaltura adapters, the CLI and the daemon. winston's Logger (built
 * by ./logger.ts) satisfies it structurally, so this file imports nothing and
 * the domain and adapters never depend on winston. Messages are static; data
 * goes in meta.
 */
export interface Log {
  error(message: string, meta?: Record<string, unknown>): unknown;
  warn(message: string, meta?: Record<string, unknown>): unknown;
  info(message: string, meta?: Record<string, unknown>): unknown;
  debug(message: string, meta?: Record<string, unknown>): unknown;
}

/** A Log that drops everything (the default where no logger is given). */
export function silentLog(): Log {
  return { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };
}
