/**
 * The one place Kaltura failures become zk errors: by the API exception's
 * `code` (HTTP is 200 for every API error) or by transport status.
 */
import { FatalError, PermanentError, RetryableError, type ZkError } from '../errors.js';

/**
 * ACTION_BLOCKED is Kaltura's rate limit (there is no HTTP 429). It names no wait, so zk waits a
 * minute; carrying retryAfterMs makes it throttling, which the engine waits out without spending
 * one of the file's attempts (a long block must not fail files that did nothing wrong).
 */
export const ACTION_BLOCKED_WAIT_MS = 60_000;

/** Codes that mean "the same call may succeed later", with the wait a throttling code implies. */
const RETRYABLE_CODES = new Map<string, number | undefined>([
  ['ACTION_BLOCKED', ACTION_BLOCKED_WAIT_MS],
  ['UPLOAD_TOKEN_CANNOT_MATCH_EXPECTED_SIZE', undefined],
  ['INTERNAL_SERVERL_ERROR', undefined],
]);
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

export function errorFromException(ex: KalturaApiException, where: string): ZkError {
  const details = { code: ex.code, source: 'kaltura' };
  const message = `kaltura ${where}: ${ex.code}: ${safeMessage(ex)}`;
  if (RETRYABLE_CODES.has(ex.code)) return new RetryableError(message, { ...details, retryAfterMs: RETRYABLE_CODES.get(ex.code) });
  if (FATAL_CODES.has(ex.code)) return new FatalError(message, details);
  return new PermanentError(message, details);
}

export function errorFromHttpStatus(status: number, where: string): ZkError {
  const details = { status, source: 'kaltura', code: `HTTP_${status}` };
  const message = `kaltura ${where}: HTTP ${status}`;
  if (status >= 500 || status === 408 || status === 429) return new RetryableError(message, details);
  return new PermanentError(message, details);
}
