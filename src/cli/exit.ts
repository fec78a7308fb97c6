/**
 * The single place where errors become exit codes and stderr text. Commands
 * throw; this maps. Codes are documented in the README.
 */
import { ConfigError, EXIT, FatalError, ZkError } from '../errors.js';

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Set when the running command was given --json (or --format json): errors then also go to stdout as one JSON document. */
  json?: boolean;
}

/** The one JSON error document: `{"error": {"code", "message", "key"?, "issues"?}}`. */
export function jsonError(err: unknown): string {
  const e = err instanceof Error ? err : new Error(String(err));
  const body: Record<string, unknown> = {
    code: err instanceof ZkError && err.code ? err.code : 'UNEXPECTED',
    message: e.message,
  };
  if (err instanceof ZkError && err.key) body.key = err.key;
  if (err instanceof ConfigError) body.issues = err.issues;
  return `${JSON.stringify({ error: body }, null, 2)}\n`;
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof FatalError) return err.exitCode;
  if (err instanceof ZkError) return EXIT.FAILURE;
  return EXIT.FAILURE;
}

export function describeError(err: unknown): string {
  if (err instanceof ConfigError) return `zk: ${err.message}\n`;
  if (err instanceof ZkError) return `zk: ${err.message}${err.code ? ` [${err.code}]` : ''}\n`;
  if (err instanceof Error) return `zk: unexpected error: ${err.message}\n`;
  return `zk: unexpected error: ${String(err)}\n`;
}

/** Runs a command body and turns its outcome into process.exitCode. */
export async function runAction(io: Io, body: () => Promise<number | void>): Promise<void> {
  try {
    const code = await body();
    process.exitCode = code ?? EXIT.OK;
  } catch (err) {
    io.stderr.write(describeError(err));
    if (io.json) io.stdout.write(jsonError(err));
    process.exitCode = exitCodeFor(err);
  }
}
