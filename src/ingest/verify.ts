/**
 * Verification: a file is HANDLED only when its Kaltura entry is READY and verify-evidence.ts finds
 * proof that it holds this file (the source flavor's size, or zk's own records when the profile
 * dropped the source). What happens otherwise follows the entry-status table:
 * - still importing/converting: wait, up to importTimeout (then the unfinished entry is discarded);
 * - import error: discard and submit again; conversion error: once, then FAILED with Kaltura's message;
 * - infected: FAILED for good, never uploaded again, the entry kept for the partner's admins;
 * - anything zk cannot prove, or a status it does not know: NEEDS_REVIEW. A READY entry is never
 *   deleted because of a check: the operator decides, and the file stays in Zoom.
 */
import { PermanentError, RetryableError } from '../errors.js';
import type { EngineAccount, EngineContext } from './context.js';
import type { FileRow } from './store-port/files.js';
import { CLEARED_ENTRY, discardEntry } from './transfer-entry.js';
import { recordFailure } from './failures.js';
import { entryStatusInfo } from './entry-status.js';
import { judgeEntry, type ContentRecord, type EntryVerdict } from './verify-evidence.js';
import type { FlavorInfo, KalturaEntry } from './ports.js';

/** ERROR_CONVERTING outcomes a file may have before it is FAILED: the same bytes convert the same way. */
export const MAX_CONVERSION_FAILURES = 2;

/** What zk itself recorded about a file's content, for verify-evidence.ts. */
export function contentRecordOf(ctx: EngineContext, file: FileRow): ContentRecord {
  const rec = ctx.repos.recordings.get(file.recordingId);
  const start = Date.parse(rec?.recordingStart ?? '');
  const end = Date.parse(rec?.recordingEnd ?? '');
  return {
    fileSize: file.fileSize,
    uploadComplete: !!file.uploadTokenId && file.uploadedBytes === file.fileSize && file.contentSubmittedAt !== null,
    zoomDurationMs: Number.isFinite(start) && Number.isFinite(end) && end > start ? end - start : undefined,
  };
}

/** Reads the entry and its flavors and judges them against what zk recorded for `file`. */
export async function checkEntry(ctx: EngineContext, acct: EngineAccount, file: FileRow, entryId = file.kalturaEntryId ?? ''): Promise<EntryVerdict> {
  let entry: KalturaEntry | null;
  let flavors: FlavorInfo[];
  if (acct.sink.getEntryWithFlavors) {
    // One round trip; the flavors are read even when they turn out not to matter (still converting).
    ({ entry, flavors } = await acct.sink.getEntryWithFlavors(entryId));
  } else {
    entry = await acct.sink.getEntry(entryId);
    // Flavors matter only for a READY entry (the evidence) and a conversion error (Kaltura's message).
    const decision = entry ? entryStatusInfo(entry.status).decision : 'deleted';
    flavors = decision === 'ready' || decision === 'conversion-error' ? await acct.sink.listFlavors(entryId) : [];
  }
  return judgeEntry(entryId, entry, flavors, contentRecordOf(ctx, file), { durationToleranceMs: ctx.settings.durationToleranceMs });
}

export type VerifyOutcome = 'handled' | 'waiting' | 'retry' | 'failed' | 'fatal' | 'lost' | 'review';

const RELEASE = { leaseOwner: null, leaseUntil: null } as const;

/** Puts the file in front of an operator; the entry is kept as it is and nothing leaves Zoom. */
function toReview(ctx: EngineContext, acct: EngineAccount, file: FileRow, code: string, detail: string): VerifyOutcome {
  ctx.repos.files.transition(file.id, file.state, 'NEEDS_REVIEW', `needs review: ${detail}; the entry is kept and the file stays in Zoom`,
    { ...RELEASE, nextAttemptAt: null, lastError: detail.slice(0, 1000), lastErrorCode: code }, { actor: ctx.actor });
  ctx.log.warn('file needs review', { account: acct.config.name, fileId: file.id, entryId: file.kalturaEntryId, code, detail });
  return 'review';
}

/** One verification pass over an IMPORTING file (the caller holds its lease). */
export async function verifyImport(ctx: EngineContext, acct: EngineAccount, file: FileRow, onFatal?: (err: unknown) => void): Promise<VerifyOutcome> {
  const entryId = file.kalturaEntryId;
  if (!entryId) {
    return recordFailure(ctx, acct, file.id, new RetryableError('IMPORTING file has no entry id', { code: 'ENTRY_MISSING', source: 'zk' }), CLEARED_ENTRY, onFatal);
  }
  const check = await checkEntry(ctx, acct, file, entryId);
  if (check.ok) {
    if (file.uploadTokenId && file.uploadedBytes !== file.fileSize) {
      return recordFailure(ctx, acct, file.id, new RetryableError(`uploaded ${file.uploadedBytes} of ${file.fileSize} bytes`, { code: 'UPLOAD_INCOMPLETE', source: 'zk' }), {}, onFatal);
    }
    ctx.crash('before-handled-write', { fileId: file.id });
    const now = ctx.clock.now();
    ctx.repos.files.transition(file.id, 'IMPORTING', 'HANDLED', `verified by ${check.by}: ${check.detail}`,
      { handledAt: now, ingestedSize: check.size, verifiedBy: check.by, blockedStreak: 0, ...RELEASE, nextAttemptAt: null, lastError: null, lastErrorCode: null }, { actor: ctx.actor });
    ctx.log.info('file handled', { account: acct.config.name, fileId: file.id, entryId, bytes: check.size, verifiedBy: check.by, type: file.fileType, role: file.role });
    const end = Date.parse(ctx.repos.recordings.get(file.recordingId)?.recordingEnd ?? '');
    if (Number.isFinite(end)) ctx.observer.fileHandled?.({ account: acct.config.name, latencySeconds: Math.max(0, (now - end) / 1000) });
    return 'handled';
  }
  switch (check.kind) {
    case 'in-progress':
    case 'no-content':
    case 'moderation': {
      const since = ctx.repos.events.lastEnteredAt(file.id, 'IMPORTING') ?? file.updatedAt;
      if (ctx.clock.now() - since < ctx.settings.importTimeoutMs) {
        ctx.repos.files.releaseLease(file.id, ctx.owner);
        return 'waiting';
      }
      // Only an entry still importing or converting holds nothing worth keeping; a READY or moderated one is reviewed.
      if (check.kind !== 'in-progress') return toReview(ctx, acct, file, 'IMPORT_TIMEOUT', `not verified after ${ctx.settings.importTimeoutMs} ms: ${check.detail}`);
      await discardEntry(ctx, acct, file, entryId);
      return recordFailure(ctx, acct, file.id, new RetryableError(`import not finished after ${ctx.settings.importTimeoutMs} ms: ${check.detail}`, { code: 'IMPORT_TIMEOUT', source: 'kaltura' }), CLEARED_ENTRY, onFatal);
    }
    case 'missing':
      ctx.repos.files.update(file.id, 'IMPORTING', CLEARED_ENTRY);
      return recordFailure(ctx, acct, file.id, new RetryableError(check.detail, { code: 'ENTRY_MISSING', source: 'kaltura' }), CLEARED_ENTRY, onFatal);
    case 'import-error':
      await discardEntry(ctx, acct, file, entryId);
      return recordFailure(ctx, acct, file.id, new RetryableError(check.detail, { code: 'ERROR_IMPORTING', source: 'kaltura' }), CLEARED_ENTRY, onFatal);
    case 'conversion-error': {
      const failures = file.conversionFailures + 1;
      if (failures >= MAX_CONVERSION_FAILURES) {
        // The errored entry stays for the operator to inspect; `zk files retry` replaces it.
        return recordFailure(ctx, acct, file.id, new PermanentError(`conversion failed ${failures} times: ${check.detail}`, { code: 'ERROR_CONVERTING', source: 'kaltura' }), { conversionFailures: failures }, onFatal);
      }
      await discardEntry(ctx, acct, file, entryId);
      return recordFailure(ctx, acct, file.id, new RetryableError(check.detail, { code: 'ERROR_CONVERTING', source: 'kaltura' }), { ...CLEARED_ENTRY, conversionFailures: failures }, onFatal);
    }
    case 'infected':
      return recordFailure(ctx, acct, file.id, new PermanentError(`${check.detail}; not uploaded again, kept in Zoom`, { code: 'ENTRY_INFECTED', source: 'kaltura' }), {}, onFatal);
    case 'review':
      return toReview(ctx, acct, file, check.code ?? 'NOT_VERIFIED', check.detail);
  }
}
