/**
 * The one place Kaltura failures become zk errors: by the API exception's
 * `code` (HTTP is 200 for every API error) or by transport status.
 */
import { FatalError, PermanentError, RetryableError, type ZkError } from '../errors.js';

/**
 * ACTION_BLOCKED is Kaltura's rate limit (there is no HTTP 429). It names no wait, so zk waits
 * `kaltura.actionBlockedWait` (this default applies only where no config is given, e.g. tests);
 * carrying retryAfterMs makes it throttling, which the engine waits out without spending one of
 * the file's attempts until `kaltura.actionBlockedFreeRetries` consecutive blocks (a partner blocked
 * by an administrator must not retry forever, silently).
 */
export const DEFAULT_ACTION_BLOCKED_WAIT_MS = 60_000;

export interface ClassifyOptions {
  actionBlockedWaitMs?: number;
}

/**
 * Codes that mean "the same call may succeed later"; `throttle` marks the one that carries a wait.
 * UPLOAD_ERROR and UPLOAD_TOKEN_CANNOT_RESUME are transient on multi-node Kaltura (the chunk landed on
 * a node without the token's file); the upload step answers the latter with a new token.
 */
const RETRYABLE_CODES = new Map<string, { throttle: boolean }>([
  ['ACTION_BLOCKED', { throttle: true }],
  ['UPLOAD_TOKEN_CANNOT_MATCH_EXPECTED_SIZE', { throttle: false }],
  ['UPLOAD_ERROR', { throttle: false }],
  ['UPLOAD_TOKEN_CANNOT_RESUME', { throttle: false }],
  ['INTERNAL_SERVERL_ERROR', { throttle: false }],
]);
/** Retryable codes that the same request cannot cure: the caller must act (a new upload token) first. */
const NOT_REPEATABLE = new Set(['UPLOAD_TOKEN_CANNOT_RESUME']);

/** Whether the adapter may simply send the same request again (its quick retries of idempotent calls). */
export function repeatable(err: ZkError): boolean {
  return !NOT_REPEATABLE.has(err.code ?? '');
}

/** Codes that mean "these credentials or this session can never do this". */
const FATAL_CODES = new Set(['INVALID_KS', 'START_SESSION_ERROR', 'SERVICE_FORBIDDEN', 'MISSING_KS']);

export interface KalturaApiException {
  code: string;
  message: string;
  objectType: 'KalturaAPIException';
  args?: Record<string, string> | unknown[];
}

export function isApiException(body: unknown): body is KalturaApiException {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as { objectType?: unknown }).objectType === 'KalturaAPIException' &&
    typeof (body as { code?: unknown }).code === 'string'
  );
}

/** INVALID_KS echoes the rejected KS in its message; keep only the reason so no session reaches a log. */
function safeMessage(ex: KalturaApiException): string {
  if (ex.code !== 'INVALID_KS') return ex.message;
  const args = (Array.isArray(ex.args) ? {} : ex.args ?? {}) as Record<string, string>;
  const reason = /^[A-Z_]+$/.test(args.KSID ?? '') ? `${args.KSID} ` : '';
  return `session rejected (${reason}${args.ERR_CODE ?? ''},${args.ERR_DESC ?? ''})`;
}

export function errorFromException(ex: KalturaApiException, where: string, opts: ClassifyOptions = {}): ZkError {
  const details = { code: ex.code, source: 'kaltura' };
  const message = `kaltura ${where}: ${ex.code}: ${safeMessage(ex)}`;
  const retryable = RETRYABLE_CODES.get(ex.code);
  if (retryable) {
    return new RetryableError(message, { ...details, retryAfterMs: retryable.throttle ? opts.actionBlockedWaitMs ?? DEFAULT_ACTION_BLOCKED_WAIT_MS : undefined });
  }
  if (FATAL_CODES.has(ex.code)) return new FatalError(message, details);
  return new PermanentError(message, details);
}

export function errorFromHttpStatus(status: number, where: string): ZkError {
  const details = { status, source: 'kaltura', code: `HTTP_${status}` };
  const message = `kaltura ${where}: HTTP ${status}`;
  if (status >= 500 || status === 408 || status === 429) return new RetryableError(message, details);
  return new PermanentError(message, details);
}
