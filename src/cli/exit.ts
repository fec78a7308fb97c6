/**
 * The single place where errors become exit codes and stderr text. Commands
 * throw; this maps. EXIT_CODES below is the one text of what each code means:
 * both binaries' --help derive from it, and tests/cli/exit-codes.test.ts fails
 * when README's exit-code table says otherwise.
 */
import { ConfigError, EXIT, FatalError, ZkError } from '../errors.js';

export interface ExitCodeDoc {
  code: (typeof EXIT)[keyof typeof EXIT];
  /** The few words `zk --help` prints. */
  label: string;
  /** `zk-daemon --help`'s words, where the daemon's reason for the code is narrower. */
  daemonLabel?: string;
  /** README's "Exit codes" table row (Markdown, pipes escaped). */
  meaning: string;
}

export const EXIT_CODES: readonly ExitCodeDoc[] = [
  { code: EXIT.OK, label: 'ok', meaning: 'success' },
  { code: EXIT.FAILURE, label: 'failure', meaning: 'failure (an unexpected error; the message says what)' },
  {
    code: EXIT.USAGE,
    label: 'usage',
    meaning: 'usage: a bad flag or argument; the message names it, the value and the fix (also: a `--dir`/`--sandbox-dir` that is not a sandbox folder)',
  },
  {
    code: EXIT.PARTIAL,
    label: 'partial',
    daemonLabel: 'an account halted (with --exit-when-idle)',
    meaning:
      'partial: the command ran but some items failed or were refused (e.g. `accounts test` with a failing check, `files retry` on a moving row; ' +
      'the daemon with `--exit-when-idle` when an account is halted: rejected Zoom credentials, a missing mandatory Zoom scope, an invalid Kaltura session; ' +
      '`zk status` names the reason and the fix)',
  },
  { code: EXIT.DB_TOO_NEW, label: 'database too new', meaning: 'the database was written by a newer zk (its schema version is ahead of this build)' },
  { code: EXIT.FATAL, label: 'fatal', meaning: 'fatal: zk cannot go on (e.g. credentials rejected)' },
  {
    code: EXIT.LOCKED,
    label: 'locked',
    daemonLabel: 'another daemon holds the database',
    meaning:
      'locked: another daemon holds this database (also: `zk sandbox`/`--sandbox` on a folder whose database a daemon holds; another import or backfill is running)',
  },
  {
    code: EXIT.CONFIG,
    label: 'config',
    meaning:
      'configuration invalid (every problem is listed, each with its key path, what was expected and what was found), including a `global.database` that cannot be created or opened, ' +
      'or lies under `/proc`, `/sys` or `/dev`, and a `global.log.file` that cannot be created',
  },
  { code: EXIT.FORCED, label: 'forced', daemonLabel: 'forced by a second signal', meaning: 'forced: a second SIGINT/SIGTERM during shutdown' },
];

/** The "Exit codes: 0 ok, 1 failure, …" paragraph after a binary's --help. */
export function exitCodesHelp(binary: 'zk' | 'zk-daemon'): string {
  const items = EXIT_CODES.map((c) => `${c.code} ${(binary === 'zk-daemon' && c.daemonLabel) || c.label}`);
  return `\nExit codes: ${items.join(', ')}.\n`;
}

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
