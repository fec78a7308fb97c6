/**
 * Adoption, the step before zk creates anything for a Zoom file: if Kaltura's
 * own Zoom integration already ingested the file (same segment by its
 * referenceIds, then media by type and size, captions by label, chat by
 * filename), the file is recorded with that entry or asset and goes straight
 * to HANDLED. Nothing is uploaded and the integration's entries are never
 * changed. The file then follows the delete policy like any other: purge
 * re-verifies the entry (READY, matching size) immediately before the delete.
 *
 * The segment's decision comes first (at its parent file's step, since
 * children wait for a parent entry): a READY integration parent becomes the
 * segment's parent, so files the integration missed are added to it as
 * children, captions or attachments. An errored or incomplete parent is not
 * adopted: zk ingests the segment under its own referenceIds and reports it.
 */
import type { EngineAccount, EngineContext } from './context.js';
import type { FileRow } from './store-port/files.js';
import type { RecordingRow } from './store-port/recordings.js';
import type { ZoomIntegrationLookup } from './adopt-port.js';
import type { OwnLookupSlot } from './create-guard.js';
import { referenceIdFor } from './entry-fields.js';
import { decideSegment, integrationReferenceIds, madeByIntegration, matchAsset, matchMedia, type MatchResult } from './adopt-match.js';

export const ADOPTED_REASON = "adopted from Kaltura's Zoom integration";

export type AdoptionStep = 'handled' | 'waiting' | 'failed' | 'continue';

const STARTABLE = ['PENDING', 'RETRY_WAIT', 'TRANSFERRING'] as const;
const MEDIA = new Set(['parent', 'child']);
const ASSETS = new Set(['caption', 'attachment']);

/**
 * Runs before the file's transfer. 'continue' means: zk ingests the file itself. Throws only ZkErrors (the step records them).
 * When the segment's decision read Kaltura, zk's own referenceId lookup for `file` went in the same round trip
 * and is left in `looked` for the create that follows (create-guard.ts).
 */
export async function adoptBeforeTransfer(ctx: EngineContext, acct: EngineAccount, file: FileRow, rec: RecordingRow, looked?: OwnLookupSlot): Promise<AdoptionStep> {
  const lookup = acct.integration;
  if (!lookup) return 'continue';
  const role = file.role ?? '';
  if (!MEDIA.has(role) && !ASSETS.has(role)) return 'continue';
  if (file.kalturaEntryId || file.uploadTokenId || file.kalturaAssetId) return 'continue';
  const { adoptions } = ctx.repos;
  // Decided before; only an asset conflict (which FAILED the file until the operator acts) is looked at again.
  const before = adoptions.file(file.id);
  if (before && !(before.outcome === 'conflict' && ASSETS.has(role))) return 'continue';

  let segment = adoptions.segment(rec.id);
  if (!segment) {
    if (rec.parentEntryId) {
      // zk made this segment's parent before adoption ran (an older zk, or adoption turned on later).
      adoptions.decideSegment(rec.id, 'none', null, `segment already has zk's parent entry ${rec.parentEntryId}`);
      return 'continue';
    }
    if (role !== 'parent') return 'continue';
    if (ctx.repos.files.listByRecording(rec.id).some((f) => f.kalturaEntryId || f.uploadTokenId)) {
      adoptions.decideSegment(rec.id, 'none', null, 'zk had started this segment before adoption ran');
      return 'continue';
    }
    const wait = await decide(ctx, acct, lookup, rec, file, looked);
    if (wait) return waitFor(ctx, file, wait);
    segment = adoptions.segment(rec.id);
  }
  const current = ctx.repos.recordings.get(rec.id);
  if (segment?.decision !== 'adopt' || !segment.parentEntryId || current?.parentEntryId !== segment.parentEntryId) return 'continue';

  const fresh = ctx.repos.files.get(file.id)!;
  const result = MEDIA.has(role)
    ? await matchMediaFile(ctx, lookup, fresh, current, segment.parentEntryId)
    : matchAsset({ fileType: fresh.fileType, role: role as 'caption' | 'attachment' }, current.meetingId, await lookup.listIntegrationAssets(segment.parentEntryId));
  return apply(ctx, acct, fresh, current, segment.parentEntryId, result);
}

/** Decides the segment once; returns a wait reason when the integration's parent may still finish importing. */
async function decide(ctx: EngineContext, acct: EngineAccount, lookup: ZoomIntegrationLookup, rec: RecordingRow, file: FileRow, looked?: OwnLookupSlot): Promise<string | undefined> {
  let entries;
  if (looked && lookup.findIntegrationEntriesAndOwn) {
    // Both reads in one round trip: the integration's entries and zk's own referenceId lookup for the parent.
    const referenceId = file.referenceId ?? referenceIdFor(acct.config.credentials.accountId, file.meetingUuid, file.zoomFileId);
    const both = await lookup.findIntegrationEntriesAndOwn(integrationReferenceIds(rec), referenceId);
    entries = both.entries;
    looked.value = { referenceId, entry: both.own };
  } else entries = await lookup.findIntegrationEntries(integrationReferenceIds(rec));
  const d = decideSegment(entries, rec, ctx.clock.now(), ctx.settings.importTimeoutMs);
  if (d.decision === 'wait') return d.reason;
  ctx.crash('before-segment-adoption-write');
  const parent = d.decision === 'adopt' ? d.parent.id : null;
  if (!ctx.repos.adoptions.decideSegment(rec.id, d.decision, parent, d.reason)) return undefined;
  if (d.decision === 'conflict') {
    ctx.log.warn("not adopting: Kaltura's Zoom integration entry is errored or incomplete; zk ingests the segment itself", { account: acct.config.name, recordingId: rec.id, reason: d.reason });
    ctx.observer.adoptionConflict?.({ account: acct.config.name });
  } else if (d.decision === 'adopt') {
    ctx.log.info("segment parent adopted from Kaltura's Zoom integration", { account: acct.config.name, recordingId: rec.id, entryId: parent });
  }
  return undefined;
}

async function matchMediaFile(ctx: EngineContext, lookup: ZoomIntegrationLookup, file: FileRow, rec: RecordingRow, parentId: string): Promise<MatchResult> {
  const entries = await lookup.findIntegrationEntries(integrationReferenceIds(rec));
  const candidates = entries.filter((e) => madeByIntegration(e) && (e.id === parentId || e.parentEntryId === parentId));
  const peers = ctx.repos.files
    .listByRecording(rec.id)
    .filter((f) => f.id !== file.id && (f.fileType.toUpperCase() === 'MP4' || f.fileType.toUpperCase() === 'M4A'));
  return matchMedia(file, peers, candidates, ctx.repos.adoptions.heldEntryIds(rec.id, file.id), {
    meetingUuid: rec.meetingUuid,
    now: ctx.clock.now(),
    importTimeoutMs: ctx.settings.importTimeoutMs,
  });
}

function apply(ctx: EngineContext, acct: EngineAccount, file: FileRow, rec: RecordingRow, parentId: string, result: MatchResult): AdoptionStep {
  const account = acct.config.name;
  if (result.outcome === 'wait') return waitFor(ctx, file, result.reason);
  if (result.outcome === 'conflict' && ASSETS.has(file.role ?? '')) return assetConflict(ctx, acct, file, result.reason);
  if (result.outcome !== 'adopt') {
    ctx.repos.adoptions.recordFile(file.id, account, result.outcome, result.reason);
    if (result.outcome === 'conflict') {
      ctx.log.warn("not adopting: no verifiable copy in Kaltura's Zoom integration; zk ingests the file itself", { account, fileId: file.id, reason: result.reason });
      ctx.observer.adoptionConflict?.({ account });
    }
    return 'continue';
  }
  const isAsset = ASSETS.has(file.role ?? '');
  const entryId = isAsset ? parentId : result.entryId;
  // The file holding the integration's parent is the segment's parent (purge of captions and covered audio follows it).
  const role = isAsset ? file.role! : entryId === parentId ? 'parent' : 'child';
  const now = ctx.clock.now();
  ctx.crash('before-adoption-write', { fileId: file.id });
  const ok = ctx.repos.adoptions.adopt(
    { id: file.id, account },
    STARTABLE,
    {
      role,
      kalturaEntryId: entryId,
      kalturaAssetId: result.assetId ?? null,
      handledAt: now,
      ingestedSize: result.bytes ?? file.fileSize,
      nextAttemptAt: null,
      lastError: null,
      lastErrorCode: null,
      leaseOwner: null,
      leaseUntil: null,
    },
    `${ADOPTED_REASON}: ${isAsset ? `asset ${result.assetId} on entry ${entryId}` : `entry ${entryId}`} (${result.evidence})`,
    result.evidence,
    { actor: ctx.actor, leaseOwner: ctx.owner },
  );
  if (!ok) return 'continue';
  ctx.log.info("file adopted from Kaltura's Zoom integration", { account, fileId: file.id, entryId, assetId: result.assetId });
  ctx.observer.adopted?.({ account, kind: file.role === 'caption' ? 'caption' : file.role === 'attachment' ? 'chat' : 'media' });
  return 'handled';
}

/** The integration's import may still finish: look again after a poll interval, without spending an attempt. */
function waitFor(ctx: EngineContext, file: FileRow, reason: string): AdoptionStep {
  ctx.repos.files.transition(file.id, file.state, 'RETRY_WAIT', `waiting before adoption: ${reason}`,
    { nextAttemptAt: ctx.clock.now() + ctx.settings.pollIntervalMs, leaseOwner: null, leaseUntil: null }, { actor: ctx.actor });
  return 'waiting';
}

/**
 * A caption or chat the integration left errored (or twice) on the adopted parent: zk keys assets by label or
 * filename on that entry, so it can neither add its own beside it without a duplicate nor trust it. It never
 * changes the integration's asset, so the operator decides; FAILED is never deleted from Zoom.
 */
function assetConflict(ctx: EngineContext, acct: EngineAccount, file: FileRow, reason: string): AdoptionStep {
  const account = acct.config.name;
  ctx.repos.adoptions.recordFile(file.id, account, 'conflict', reason);
  const why = `not adopted: ${reason}; zk does not change the integration's assets: delete or repair it in Kaltura, then run \`zk files retry ${file.id}\``;
  ctx.repos.files.transition(file.id, file.state, 'FAILED', why,
    { nextAttemptAt: null, lastError: why.slice(0, 1000), lastErrorCode: 'ADOPTION_CONFLICT', leaseOwner: null, leaseUntil: null }, { actor: ctx.actor });
  ctx.log.warn("not adopting: Kaltura's Zoom integration left an unusable asset on the adopted parent", { account, fileId: file.id, reason });
  ctx.observer.adoptionConflict?.({ account });
  return 'failed';
}
