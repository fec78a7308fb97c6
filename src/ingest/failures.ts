/**
 * Turns an error from one file's step into its next state, by class only:
 * retryable → RETRY_WAIT with backoff (FAILED once attempts run out),
 * permanent → FAILED now, fatal → the account stops (the row is left resumable).
 */
import { classify, isRetryable, ZkError } from '../errors.js';
import type { FilePatch, FileRow } from './store-port/files.js';
import type { EngineAccount, EngineContext } from './context.js';
import { retryDelay } from './backoff.js';
import type { FileState } from './states.js';

export type FailureOutcome = 'retry' | 'failed' | 'fatal' | 'lost';

export function errorCode(err: unknown): string {
  if (err instanceof ZkError && err.code) return err.code;
  if (err instanceof Error) return (err as Error & { code?: unknown }).code ? String((err as Error & { code?: unknown }).code) : err.name;
  return 'UNKNOWN';
}

export function errorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.slice(0, 1000);
}

/**
 * Records a failed step for `file` (whose current state is re-read, so the CAS
 * is against the truth). `patch` carries cleanup such as clearing an errored
 * entry id. Throttling (an error with retryAfterMs) is waited out without using
 * an attempt: it says nothing about the file.
 */
export function recordFailure(
  ctx: EngineContext,
  acct: EngineAccount,
  fileId: number,
  err: unknown,
  patch: FilePatch = {},
  onFatal?: (err: unknown) => void,
): FailureOutcome {
  const { files } = ctx.repos;
  const current = files.get(fileId);
  if (!current) return 'lost';
  const kind = classify(err);
  const meta = { account: acct.config.name, fileId, code: errorCode(err), error: errorMessage(err) };
  const release: FilePatch = { leaseOwner: null, leaseUntil: null };
  if (kind === 'fatal') return haltAccount(ctx, acct, fileId, err, onFatal);
  const from: FileState = current.state;
  // Kaltura's ACTION_BLOCKED is also how an administratively blocked partner answers: past
  // kaltura.actionBlockedFreeRetries consecutive blocks, each one spends an attempt so the file ends FAILED.
  const blocked = isRetryable(err) && err.code === 'ACTION_BLOCKED';
  const blockedStreak = blocked ? current.blockedStreak + 1 : 0;
  const base: FilePatch = { ...patch, ...release, lastError: errorMessage(err), lastErrorCode: errorCode(err), blockedStreak };
  if (kind === 'permanent') {
    files.transition(fileId, from, 'FAILED', `permanent error: ${errorMessage(err)}`, { ...base, nextAttemptAt: null }, { actor: ctx.actor });
    ctx.log.warn('file failed permanently', meta);
    return 'failed';
  }
  const throttled = isRetryable(err) && err.retryAfterMs !== undefined && !(blocked && blockedStreak > ctx.settings.actionBlockedFreeRetries);
  // Zoom's daily limit concerns the whole account: the engine pauses its polls and purges too.
  if (isRetryable(err) && err.pausesAccount) onFatal?.(err);
  const attempts = throttled ? current.attempts : current.attempts + 1;
  if (attempts >= ctx.settings.retry.maxAttempts) {
    files.transition(fileId, from, 'FAILED', `attempts exhausted (${attempts}): ${errorMessage(err)}`, { ...base, attempts, nextAttemptAt: null }, { actor: ctx.actor });
    ctx.log.warn('file failed after exhausting attempts', { ...meta, attempts });
    return 'failed';
  }
  const delay = retryDelay(Math.max(attempts, 1), ctx.settings.retry, ctx.random, isRetryable(err) ? err.retryAfterMs : undefined);
  const reason = throttled
    ? `throttled, waiting ${delay} ms: ${errorMessage(err)}`
    : blocked
      ? `attempt ${attempts} failed: ${blockedStreak} consecutive ACTION_BLOCKED answers (more than kaltura.actionBlockedFreeRetries=${ctx.settings.actionBlockedFreeRetries}): ${errorMessage(err)}`
      : `attempt ${attempts} failed: ${errorMessage(err)}`;
  files.transition(fileId, from, 'RETRY_WAIT', reason, { ...base, attempts, nextAttemptAt: ctx.clock.now() + delay }, { actor: ctx.actor });
  ctx.log.warn('file step failed; will retry', { ...meta, attempts, delayMs: delay });
  return 'retry';
}

/** A fatal error (rejected credentials, missing scope) stops the account; the row is left resumable, unleased. */
export function haltAccount(ctx: EngineContext, acct: EngineAccount, fileId: number, err: unknown, onFatal?: (err: unknown) => void): 'fatal' {
  ctx.repos.accounts.recordError(acct.config.name, errorMessage(err));
  ctx.log.error('account stopped by a fatal error', { account: acct.config.name, fileId, code: errorCode(err), error: errorMessage(err) });
  ctx.repos.files.releaseLease(fileId, ctx.owner);
  onFatal?.(err);
  return 'fatal';
}

export type { FileRow };
