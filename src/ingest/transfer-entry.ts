/**
 * Exactly-once entry creation. The referenceId is deterministic per file, so
 * the protocol is: reuse the saved entry if it is alive; else look the
 * referenceId up (the sink's lookup sees in-flight and moderated entries); create only when
 * none exists, after recording that a create is in flight; save the id at once.
 * A crash between create and save is repaired by the lookup on the next attempt,
 * which waits out the search index's lag first (create-guard.ts).
 */
import { ENTRY_STATUS, type EntryPolicy, type KalturaEntry, type UploadTokenState } from './ports.js';
import { entryStatusInfo } from './entry-status.js';
import type { EngineAccount, EngineContext } from './context.js';
import type { FileRow } from './store-port/files.js';
import type { RecordingRow } from './store-port/recordings.js';
import { newEntryFor, referenceIdFor, uploadFileName } from './entry-fields.js';
import { firstFromSlot, lookupSeeingInFlight, markCreateInFlight, type OwnLookupSlot } from './create-guard.js';

/** Import and conversion errors: the entry never holds usable content (infected entries are kept, see entry-status.ts). */
export function isErrored(entry: KalturaEntry): boolean {
  const { decision } = entryStatusInfo(entry.status);
  return decision === 'import-error' || decision === 'conversion-error';
}

/** Forgets a file's entry and upload progress after the entry was deleted or lost. */
export const CLEARED_ENTRY = { kalturaEntryId: null, uploadTokenId: null, uploadedBytes: 0, contentSubmittedAt: null } as const;

/**
 * Deletes an errored entry (so its referenceId is free and it cannot be
 * mistaken for content) and forgets it. A parent's deletion also clears the
 * segment's parent entry, so children and captions wait for the new one.
 */
export async function discardEntry(ctx: EngineContext, acct: EngineAccount, file: FileRow, entryId: string): Promise<void> {
  await acct.sink.deleteEntry(entryId);
  ctx.crash('after-errored-entry-delete', { fileId: file.id });
  ctx.repos.files.update(file.id, file.state, CLEARED_ENTRY);
  const rec = ctx.repos.recordings.get(file.recordingId);
  if (file.role === 'parent' && rec?.parentEntryId === entryId) ctx.repos.recordings.setParentEntry(rec.id, null);
}

/** The file's entry and, when zk just created it together with its upload token, that token (saved on the row). */
export interface EnsuredEntry {
  entry: KalturaEntry;
  token?: UploadTokenState;
}

export async function ensureEntry(
  ctx: EngineContext,
  acct: EngineAccount,
  file: FileRow,
  rec: RecordingRow,
  policy: EntryPolicy,
  signal?: AbortSignal,
  looked?: OwnLookupSlot,
): Promise<EnsuredEntry> {
  const ensured = await findOrCreateEntry(ctx, acct, file, rec, policy, signal, looked);
  const { entry } = ensured;
  if (file.role === 'parent' && rec.parentEntryId !== entry.id) {
    // Relink before publishing the new parent id, so a crash in between repeats the (idempotent) relink.
    await relinkDependents(ctx, acct, rec.id, entry.id);
    ctx.repos.recordings.setParentEntry(rec.id, entry.id);
  }
  return ensured;
}

async function findOrCreateEntry(ctx: EngineContext, acct: EngineAccount, file: FileRow, rec: RecordingRow, policy: EntryPolicy, signal?: AbortSignal, looked?: OwnLookupSlot): Promise<EnsuredEntry> {
  const { files } = ctx.repos;
  if (file.kalturaEntryId) {
    if (looked) looked.value = undefined;
    const saved = await acct.sink.getEntry(file.kalturaEntryId);
    if (saved && saved.status !== ENTRY_STATUS.DELETED && !isErrored(saved)) return { entry: saved };
    if (saved && isErrored(saved)) await discardEntry(ctx, acct, file, saved.id);
    else files.update(file.id, file.state, CLEARED_ENTRY);
  }
  const referenceId = file.referenceId ?? referenceIdFor(acct.config.credentials.accountId, file.meetingUuid, file.zoomFileId);
  // The referenceId is saved with the in-flight mark (below) or with the entry id: one write, not two.

  // The first lookup may have travelled with adoption's read in this step (create-guard.ts, OwnLookup).
  const lookup = firstFromSlot(looked, referenceId, () => acct.sink.findEntryByReferenceId(referenceId));
  let entry = await lookupSeeingInFlight(ctx, file.id, `entry ${referenceId}`, lookup, signal);
  if (entry && isErrored(entry)) {
    // Some sinks return an errored entry when no live one exists: it is never content, delete it.
    await acct.sink.deleteEntry(entry.id);
    ctx.crash('after-errored-entry-delete', { fileId: file.id });
    entry = null;
  }
  let token: UploadTokenState | undefined;
  if (!entry) {
    const parentEntryId = file.role === 'parent' ? undefined : rec.parentEntryId ?? undefined;
    markCreateInFlight(ctx, file, { referenceId });
    const fields = newEntryFor(file, rec, policy, referenceId, { conversionProfileId: ctx.settings.conversionProfileId, blockAutoTranscript: acct.config.transcripts.enabled }, parentEntryId);
    if (ctx.settings.transferMode === 'upload' && acct.sink.createEntryWithUploadToken) {
      // One round trip for the entry and its upload token. A lost answer is repaired like a lost
      // media.add (the lookup above adopts the entry); the token it made is then never used.
      const made = await acct.sink.createEntryWithUploadToken(fields, uploadFileName(file), file.fileSize);
      entry = made.entry;
      token = made.token ?? undefined;
      ctx.crash('after-entry-create', { fileId: file.id });
      if (token) ctx.crash('after-token-create', { fileId: file.id });
    } else {
      entry = await acct.sink.createEntry(fields);
      ctx.crash('after-entry-create', { fileId: file.id });
    }
    ctx.log.info('kaltura entry created', { account: acct.config.name, fileId: file.id, entryId: entry.id, topic: rec.topic, type: file.fileType, recordingType: file.recordingType, role: file.role });
  }
  // A new token replaces any earlier one: the upload starts over on the new entry.
  const tokenPatch = token ? { uploadTokenId: token.id, uploadedBytes: token.uploadedFileSize } : {};
  files.update(file.id, file.state, { kalturaEntryId: entry.id, referenceId, createStartedAt: null, ...tokenPatch });
  ctx.crash('after-entry-save', { fileId: file.id });
  if (token) ctx.crash('after-token-save', { fileId: file.id });
  return { entry, token };
}

/**
 * After a parent entry was re-created (its predecessor errored and was deleted),
 * children are pointed at the new parent and captions/attachments that lived on
 * the old one are planned again.
 */
export async function relinkDependents(ctx: EngineContext, acct: EngineAccount, recordingId: number, parentEntryId: string): Promise<void> {
  const { files } = ctx.repos;
  for (const f of files.listByRecording(recordingId)) {
    if (f.role === 'child' && f.kalturaEntryId) {
      const child = await acct.sink.getEntry(f.kalturaEntryId);
      if (child && child.status !== ENTRY_STATUS.DELETED && child.parentEntryId !== parentEntryId) {
        await acct.sink.updateEntry(f.kalturaEntryId, { parentEntryId });
      }
    } else if ((f.role === 'caption' || f.role === 'attachment') && f.kalturaEntryId && f.kalturaEntryId !== parentEntryId) {
      files.transition(f.id, ['HANDLED', 'PURGE_PENDING'], 'PENDING', 'parent entry was re-created; asset must be added again',
        { kalturaEntryId: null, kalturaAssetId: null, handledAt: null, purgeAfter: null }, { actor: ctx.actor });
    }
  }
}

/** Links the parent entry to the policy's categories, skipping links that exist (idempotent). */
export async function applyCategories(ctx: EngineContext, acct: EngineAccount, file: FileRow, entryId: string, policy: EntryPolicy): Promise<void> {
  if (policy.categoryIds.length === 0) return;
  const existing = new Set(await acct.sink.listCategoryIdsOfEntry(entryId));
  for (const id of policy.categoryIds) {
    if (existing.has(id)) continue;
    await acct.sink.addCategoryEntry(id, entryId);
    ctx.crash('after-category-add', { fileId: file.id });
  }
}
