/**
 * One unit of work on one file, under its row lease: transfer a media file,
 * add a caption/chat asset, or verify an import. Every state change goes
 * through files-repo.transition; no transaction spans network I/O.
 */
import { ENTRY_STATUS, type EntryStatus } from './ports.js';
import { ZkError } from '../errors.js';
import type { EngineAccount, EngineContext } from './context.js';
import type { FileRow } from './store-port/files.js';
import type { RecordingRow } from './store-port/recordings.js';
import type { FileState } from './states.js';
import { ensurePolicy } from './segment-policy.js';
import { applyCategories, ensureEntry } from './transfer-entry.js';
import { TOKEN_STATUS, uploadContent, type ContentWithFinalChunk } from './transfer-upload.js';
import { submitUrl } from './transfer-url.js';
import { ensureAsset } from './transfer-assets.js';
import { verifyImport } from './verify.js';
import { recordFailure } from './failures.js';
import { SimulatedCrash } from './crash-points.js';
import { adoptBeforeTransfer } from './adopt.js';
import type { OwnLookupSlot } from './create-guard.js';

export type StepOutcome = 'importing' | 'handled' | 'waiting' | 'retry' | 'failed' | 'fatal' | 'ignored' | 'skipped' | 'aborted' | 'lost' | 'review';

const STARTABLE: readonly FileState[] = ['PENDING', 'RETRY_WAIT', 'TRANSFERRING'];
const RELEASE = { leaseOwner: null, leaseUntil: null } as const;

/** Moves a due file into TRANSFERRING (or records that an interrupted transfer resumes). */
function begin(ctx: EngineContext, file: FileRow): FileRow | undefined {
  const reason =
    file.state === 'TRANSFERRING' ? 'resuming an interrupted transfer' : file.attempts > 0 ? `retry (attempt ${file.attempts + 1})` : 'transfer started';
  const ok = ctx.repos.files.transition(file.id, file.state, 'TRANSFERRING', reason, { nextAttemptAt: null }, { actor: ctx.actor, leaseOwner: ctx.owner });
  return ok ? ctx.repos.files.get(file.id) : undefined;
}

/** Puts a file back to PENDING without an error count (its parent entry does not exist yet). */
function waitForParent(ctx: EngineContext, file: FileRow): StepOutcome {
  ctx.repos.files.transition(file.id, file.state, 'PENDING', 'waiting for the segment parent entry', { ...RELEASE }, { actor: ctx.actor });
  return 'waiting';
}

async function transferMedia(ctx: EngineContext, acct: EngineAccount, file: FileRow, rec: RecordingRow, signal?: AbortSignal, looked?: OwnLookupSlot): Promise<StepOutcome> {
  const policy = await ensurePolicy(ctx, acct, rec);
  if (!policy) return 'ignored';
  if (file.role !== 'parent' && !rec.parentEntryId) return waitForParent(ctx, file);
  const { entry, token } = await ensureEntry(ctx, acct, file, rec, policy, signal, looked);
  const current = ctx.repos.files.get(file.id)!;
  const already = await contentSubmitted(ctx, acct, current, entry.id, entry.status);
  // When zk submits an upload itself, the parent's category links travel with addContent in one round trip.
  const combine = !already && ctx.settings.transferMode === 'upload' && !!acct.sink.addContentAndCategories;
  if (file.role === 'parent' && !combine) await applyCategories(ctx, acct, file, entry.id, policy);
  let how = already ? `entry ${entry.id} already has content (${already})` : `content submitted (${ctx.settings.transferMode})`;
  if (!already) {
    try {
      if (ctx.settings.transferMode === 'upload') {
        const categoryIds = file.role === 'parent' ? policy.categoryIds : [];
        // The final chunk carries addContent and the category links when the sink can send them together.
        const finish: ContentWithFinalChunk | undefined = combine ? { entryId: entry.id, categoryIds } : undefined;
        const tokenId = await uploadContent(ctx, acct, current, rec, signal, token, finish);
        let outcome = finish?.outcome;
        if (!outcome) {
          ctx.crash('before-add-content', { fileId: file.id });
          if (combine) {
            try {
              outcome = await acct.sink.addContentAndCategories!(entry.id, tokenId, categoryIds);
            } catch (err) {
              outcome = { error: err as Error };
            }
          } else {
            await acct.sink.addContentFromUploadToken(entry.id, tokenId);
          }
        }
        ctx.crash('after-add-content', { fileId: file.id });
        if (outcome) {
          // A failed link outranks addContent's own error: the retry then links categories (applyCategories).
          if (outcome.error) throw outcome.categoryError ?? outcome.error;
          if (categoryIds.length > 0) ctx.crash('after-category-add', { fileId: file.id });
          if (outcome.categoryError) {
            // The content is in: record that, so the retry only links the categories.
            ctx.repos.files.update(file.id, 'TRANSFERRING', { contentSubmittedAt: ctx.clock.now() });
            throw outcome.categoryError;
          }
        }
      } else {
        await submitUrl(ctx, acct, current, rec, entry.id);
      }
      ctx.repos.files.update(file.id, 'TRANSFERRING', { contentSubmittedAt: ctx.clock.now() });
    } catch (err) {
      // Kaltura's own answer that this entry holds content (submitted before a crash lost our record).
      // Nothing is recorded: what it holds is unknown to zk, so only Kaltura's flavors can verify it.
      if (!(err instanceof ZkError && err.code === 'ENTRY_ALREADY_WITH_CONTENT')) throw err;
      how = `entry ${entry.id} already has content (Kaltura answered ENTRY_ALREADY_WITH_CONTENT)`;
    }
  }
  ctx.crash('before-importing-write', { fileId: file.id });
  ctx.repos.files.transition(file.id, 'TRANSFERRING', 'IMPORTING', how, { ...RELEASE, lastError: null, lastErrorCode: null, blockedStreak: 0 }, { actor: ctx.actor });
  return 'importing';
}

/**
 * Whether `entryId` already holds this file's content, from zk's own records or the flavors Kaltura
 * lists, never from the entry status alone (media.add may answer READY for a draft entry without
 * content). Returns how it is known, or undefined when the content must be sent.
 */
async function contentSubmitted(ctx: EngineContext, acct: EngineAccount, file: FileRow, entryId: string, status: EntryStatus): Promise<string | undefined> {
  if (file.contentSubmittedAt !== null) return 'zk recorded the submission';
  if (status === ENTRY_STATUS.NO_CONTENT) return undefined;
  if (ctx.settings.transferMode === 'upload' && file.uploadTokenId) {
    // addContent closes the token: a closed token holding every byte was taken by Kaltura before a crash
    // (or before a lost answer: the final chunk travels with addContent, so zk may not have recorded it).
    const token = await acct.sink.getUploadToken(file.uploadTokenId);
    if (token?.status === TOKEN_STATUS.CLOSED && token.uploadedFileSize === file.fileSize) {
      ctx.repos.files.update(file.id, 'TRANSFERRING', { uploadedBytes: token.uploadedFileSize, contentSubmittedAt: ctx.clock.now() });
      return 'zk\'s upload token was closed with every byte';
    }
  }
  const flavors = await acct.sink.listFlavors(entryId);
  if (flavors.length > 0) return `${flavors.length} flavor(s) present`;
  return undefined;
}

async function transferAsset(ctx: EngineContext, acct: EngineAccount, file: FileRow, rec: RecordingRow, signal?: AbortSignal): Promise<StepOutcome> {
  const policy = await ensurePolicy(ctx, acct, rec);
  if (!policy) return 'ignored';
  const parentEntryId = rec.parentEntryId;
  if (!parentEntryId) return waitForParent(ctx, file);
  const result = await ensureAsset(ctx, acct, file, rec, parentEntryId, signal);
  ctx.crash('before-handled-write', { fileId: file.id });
  ctx.repos.files.transition(file.id, 'TRANSFERRING', 'HANDLED', `${file.role} on entry ${parentEntryId}: ${result.verified}`,
    { ...RELEASE, kalturaEntryId: parentEntryId, kalturaAssetId: result.assetId, handledAt: ctx.clock.now(), ingestedSize: result.bytes, createStartedAt: null, lastError: null, lastErrorCode: null },
    { actor: ctx.actor });
  ctx.log.info('file handled', { account: acct.config.name, fileId: file.id, entryId: parentEntryId, assetId: result.assetId, type: file.fileType, role: file.role });
  return 'handled';
}

/**
 * Runs the next step for `fileId`. The caller has claimed the row's lease.
 * Errors are recorded on the row (never thrown), except a SimulatedCrash,
 * which leaves everything as a killed process would.
 */
export async function processFile(ctx: EngineContext, acct: EngineAccount, fileId: number, signal: AbortSignal | undefined, onFatal: (err: unknown) => void): Promise<StepOutcome> {
  let crashed = false;
  try {
    return await step(ctx, acct, fileId, signal, onFatal);
  } catch (err) {
    crashed = err instanceof SimulatedCrash;
    throw err;
  } finally {
    // Early returns ('skipped': another process handled the row between listing and claiming it) change no
    // state, so no transition released the lease; without this the row stayed leased until the lease expired.
    if (!crashed) ctx.repos.files.releaseLease(fileId, ctx.owner);
  }
}

async function step(ctx: EngineContext, acct: EngineAccount, fileId: number, signal: AbortSignal | undefined, onFatal: (err: unknown) => void): Promise<StepOutcome> {
  let file = ctx.repos.files.get(fileId);
  if (!file) return 'lost';
  try {
    if (file.state === 'IMPORTING') return await verifyImport(ctx, acct, file, onFatal);
    if (!STARTABLE.includes(file.state)) return 'skipped';
    let rec = ctx.repos.recordings.get(file.recordingId);
    if (!rec) return 'lost';
    // Kaltura's own Zoom integration may already hold this file: adopt it instead of ingesting it again.
    const looked: OwnLookupSlot = {};
    const adoption = await adoptBeforeTransfer(ctx, acct, file, rec, looked);
    if (adoption !== 'continue') return adoption;
    file = ctx.repos.files.get(fileId)!;
    rec = ctx.repos.recordings.get(file.recordingId)!;
    if (file.role !== 'parent' && !rec.parentEntryId) {
      if (file.state === 'PENDING') return 'skipped';
      return waitForParent(ctx, file);
    }
    file = begin(ctx, file);
    if (!file) return 'skipped';
    if (file.role === 'parent' || file.role === 'child') return await transferMedia(ctx, acct, file, rec, signal, looked);
    if (file.role === 'caption' || file.role === 'attachment') return await transferAsset(ctx, acct, file, rec, signal);
    return 'skipped';
  } catch (err) {
    if (err instanceof SimulatedCrash) throw err;
    if (signal?.aborted) {
      // Stopping: leave the row as it is (TRANSFERRING resumes from the token on restart).
      return 'aborted';
    }
    return recordFailure(ctx, acct, fileId, err, {}, onFatal);
  }
}
