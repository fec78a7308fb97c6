/**
 * The single place where errors become exit codes and stderr text. Commands
 * throw; this maps. Codes are documented in the README.
 */
import { ConfigError, EXIT, FatalError, ZkError } from '../errors.js';

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
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
    process.exitCode = exitCodeFor(err);
  }
}
