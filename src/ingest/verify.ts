/**
 * Verification: a file is HANDLED only when its Kaltura entry is READY and the
 * entry's source holds Zoom's file_size (within 1 KiB, because Kaltura reports
 * sizes in KB); in upload mode the token must also have received every byte.
 * Import/conversion errors and imports stuck past importTimeout go back to retry,
 * after the errored entry is deleted.
 */
import { RetryableError } from '../errors.js';
import { ENTRY_STATUS } from './ports.js';
import type { EngineAccount, EngineContext } from './context.js';
import type { FileRow } from '../store/files-repo.js';
import { CLEARED_ENTRY, discardEntry, isErrored } from './transfer-entry.js';
import { recordFailure } from './failures.js';
import { describeEntryStatus } from './entry-status-text.js';

export const SIZE_TOLERANCE_BYTES = 1024;

export type EntryCheck =
  | { ok: true; size: number }
  | { ok: false; kind: 'missing' | 'errored' | 'processing' | 'size-mismatch'; detail: string; status?: number };

/** Reads the entry's status and source size and says whether it verifiably holds `expectedSize` bytes. */
export async function checkEntry(acct: EngineAccount, entryId: string, expectedSize: number): Promise<EntryCheck> {
  const entry = await acct.sink.getEntry(entryId);
  if (!entry || entry.status === ENTRY_STATUS.DELETED) return { ok: false, kind: 'missing', detail: `entry ${entryId} does not exist` };
  if (isErrored(entry)) return { ok: false, kind: 'errored', detail: `entry ${entryId} ${describeEntryStatus(entry.status)}`, status: entry.status };
  if (entry.status !== ENTRY_STATUS.READY) return { ok: false, kind: 'processing', detail: `entry ${entryId} ${describeEntryStatus(entry.status)}`, status: entry.status };
  const size = await acct.sink.getSourceSize(entryId);
  if (size === null || Math.abs(size - expectedSize) > SIZE_TOLERANCE_BYTES) {
    return { ok: false, kind: 'size-mismatch', detail: `entry ${entryId} holds ${size ?? 'no'} bytes, Zoom reported ${expectedSize}` };
  }
  return { ok: true, size };
}

export type VerifyOutcome = 'handled' | 'waiting' | 'retry' | 'failed' | 'fatal' | 'lost';

/** One verification pass over an IMPORTING file (the caller holds its lease). */
export async function verifyImport(ctx: EngineContext, acct: EngineAccount, file: FileRow, onFatal?: (err: unknown) => void): Promise<VerifyOutcome> {
  const entryId = file.kalturaEntryId;
  if (!entryId) {
    return recordFailure(ctx, acct, file.id, new RetryableError('IMPORTING file has no entry id', { code: 'ENTRY_MISSING', source: 'zk' }), CLEARED_ENTRY, onFatal);
  }
  const check = await checkEntry(acct, entryId, file.fileSize);
  if (check.ok) {
    if (file.uploadTokenId && file.uploadedBytes !== file.fileSize) {
      return recordFailure(ctx, acct, file.id, new RetryableError(`uploaded ${file.uploadedBytes} of ${file.fileSize} bytes`, { code: 'UPLOAD_INCOMPLETE', source: 'zk' }), {}, onFatal);
    }
    ctx.crash('before-handled-write', { fileId: file.id });
    const now = ctx.clock.now();
    ctx.repos.files.transition(file.id, 'IMPORTING', 'HANDLED', `entry ${entryId} READY with ${check.size} bytes (Zoom: ${file.fileSize})`,
      { handledAt: now, ingestedSize: check.size, leaseOwner: null, leaseUntil: null, nextAttemptAt: null, lastError: null, lastErrorCode: null }, { actor: ctx.actor });
    ctx.log.info('file handled', { account: acct.config.name, fileId: file.id, entryId, bytes: check.size, type: file.fileType, role: file.role });
    const end = Date.parse(ctx.repos.recordings.get(file.recordingId)?.recordingEnd ?? '');
    if (Number.isFinite(end)) ctx.observer.fileHandled?.({ account: acct.config.name, latencySeconds: Math.max(0, (now - end) / 1000) });
    return 'handled';
  }
  if (check.kind === 'processing') {
    const since = ctx.repos.events.lastEnteredAt(file.id, 'IMPORTING') ?? file.updatedAt;
    if (ctx.clock.now() - since < ctx.settings.importTimeoutMs) {
      ctx.repos.files.releaseLease(file.id, ctx.owner);
      return 'waiting';
    }
    await discardEntry(ctx, acct, file, entryId);
    return recordFailure(ctx, acct, file.id, new RetryableError(`import not finished after ${ctx.settings.importTimeoutMs} ms: ${check.detail}`, { code: 'IMPORT_TIMEOUT', source: 'kaltura' }), CLEARED_ENTRY, onFatal);
  }
  if (check.kind === 'missing') {
    ctx.repos.files.update(file.id, 'IMPORTING', CLEARED_ENTRY);
    return recordFailure(ctx, acct, file.id, new RetryableError(check.detail, { code: 'ENTRY_MISSING', source: 'kaltura' }), CLEARED_ENTRY, onFatal);
  }
  const code = check.kind === 'errored' ? (check.status === ENTRY_STATUS.ERROR_IMPORTING ? 'ERROR_IMPORTING' : 'ERROR_CONVERTING') : 'SIZE_MISMATCH';
  await discardEntry(ctx, acct, file, entryId);
  return recordFailure(ctx, acct, file.id, new RetryableError(check.detail, { code, source: 'kaltura' }), CLEARED_ENTRY, onFatal);
}
