/**
 * Errors are classified by what the caller should do next, never by where they
 * came from. Adapters (src/zoom, src/kaltura) classify once, at their boundary;
 * everything above them only looks at the class (or `kind`, which survives
 * structured cloning and logging).
 */

export type ErrorKind = 'retryable' | 'permanent' | 'fatal';

export interface ErrorDetails {
  /** Machine-readable code from the remote API or from zk (e.g. 'INVALID_KS', 'ZOOM_124'). */
  code?: string;
  /** HTTP status, when the error came from an HTTP exchange. */
  status?: number;
  /** Which API produced it: 'zoom', 'kaltura', 'store', 'config', ... */
  source?: string;
  /** The config key or command-line flag at fault, when there is one (reported in --json errors). */
  key?: string;
  cause?: unknown;
}

export abstract class ZkError extends Error {
  abstract readonly kind: ErrorKind;
  readonly code?: string;
  readonly status?: number;
  readonly source?: string;
  readonly key?: string;

  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = details.code;
    this.status = details.status;
    this.source = details.source;
    this.key = details.key;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** Try again later; `retryAfterMs` is the earliest sensible moment when the remote said so. */
export class RetryableError extends ZkError {
  readonly kind = 'retryable' as const;
  readonly retryAfterMs?: number;
  /** The remote refuses every call of the account until retryAfterMs (e.g. Zoom's daily limit): pause the account, not just this item. */
  readonly pausesAccount: boolean;
  constructor(message: string, details: ErrorDetails & { retryAfterMs?: number; pausesAccount?: boolean } = {}) {
    super(message, details);
    this.retryAfterMs = details.retryAfterMs;
    this.pausesAccount = details.pausesAccount ?? false;
  }
}

/** This item cannot succeed as things stand (bad data, not found, forbidden); move on. */
export class PermanentError extends ZkError {
  readonly kind = 'permanent' as const;
}

/** The process cannot continue (bad credentials, schema newer than code, bad config). */
export class FatalError extends ZkError {
  readonly kind = 'fatal' as const;
  /** Exit code the CLI should use; defaults to EXIT.FATAL. */
  readonly exitCode: number;
  /** What a human should do about it (shown by `zk status` for a halted account). */
  readonly fix?: string;
  constructor(message: string, details: ErrorDetails & { exitCode?: number; fix?: string } = {}) {
    super(message, details);
    this.exitCode = details.exitCode ?? EXIT.FATAL;
    this.fix = details.fix;
  }
}

/**
 * The credentials work but lack a permission (a Zoom scope) the call needs:
 * fatal for the account when the call is mandatory; an optional feature that
 * gets it is degraded instead (the caller decides which it is).
 */
export class MissingPermissionError extends FatalError {
  /** The permissions the remote named (may be empty when it named none). */
  readonly permissions: string[];
  constructor(message: string, details: ErrorDetails & { permissions: string[]; fix?: string }) {
    super(message, details);
    this.permissions = details.permissions;
  }
}

/** One problem found in a config file: where, what was expected, what was found. */
export interface ConfigIssue {
  path: string;
  expected: string;
  found: string;
}

export class ConfigError extends FatalError {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[], file?: string) {
    super(
      `invalid configuration${file ? ` in ${file}` : ''}:\n` +
        issues.map((i) => `  - ${i.path}: expected ${i.expected}, found ${i.found}`).join('\n'),
      { code: 'CONFIG_INVALID', source: 'config', exitCode: EXIT.CONFIG, key: issues[0]?.path },
    );
    this.issues = issues;
  }
}

/**
 * Process exit codes. What each means (README's table, both binaries' --help)
 * is written once, in EXIT_CODES (src/cli/exit.ts). 78 is sysexits' EX_CONFIG
 * so systemd and cron wrappers can tell "fix the config" from "try again".
 */
export const EXIT = {
  OK: 0,
  FAILURE: 1,
  USAGE: 2,
  PARTIAL: 3,
  DB_TOO_NEW: 65,
  LOCKED: 75,
  FATAL: 70,
  CONFIG: 78,
  FORCED: 130,
} as const;

/** Normalise anything thrown into an Error, keeping ZkErrors as they are. */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === 'string' ? value : JSON.stringify(value));
}

export function isRetryable(err: unknown): err is RetryableError {
  return err instanceof ZkError && err.kind === 'retryable';
}

export function isPermanent(err: unknown): err is PermanentError {
  return err instanceof ZkError && err.kind === 'permanent';
}

export function isFatal(err: unknown): err is FatalError {
  return err instanceof ZkError && err.kind === 'fatal';
}

/**
 * Anything unclassified is treated as retryable: an unknown failure must never
 * be read as "done" or "nothing there", and the attempt budget bounds the cost.
 */
export function classify(err: unknown): ErrorKind {
  if (err instanceof ZkError) return err.kind;
  return 'retryable';
}
