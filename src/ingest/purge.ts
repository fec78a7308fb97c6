/**
 * Deletion from Zoom, only for accounts with delete.enabled. HANDLED files are
 * scheduled (PURGE_PENDING, purge_after = handled_at + delay); when due, the
 * Kaltura side is RE-VERIFIED right before the delete, and nothing unverified is
 * ever touched. COVERED audio is trashed after its segment's parent video was
 * purged. A per-run cap stops mass deletion; a failed delete stays PURGE_PENDING
 * with its error and retry time, never marked done.
 */
import { classify, isPermanent, isRetryable } from '../errors.js';
import type { EngineAccount, EngineContext } from './context.js';
import type { FileRow } from './store-port/files.js';
import { checkEntry, contentRecordOf } from './verify.js';
import { judgeEntry } from './verify-evidence.js';
import { orderBySegment, siblingKindsDue, type SegmentRead } from './purge-segment-read.js';
import { checkAsset } from './transfer-assets.js';
import { assetKindOf, assetNameOf, checkAssetIn, type AssetCheck } from './asset-check.js';
import { entryStatusInfo } from './entry-status.js';
import { ENTRY_STATUS, isSyntheticFileId, type AssetKind, type KalturaEntry } from './ports.js';
import type { RecordingRow } from './store-port/recordings.js';
import { isCoveredByVideo } from './plan-segment.js';
import { errorCode, errorMessage, haltAccount } from './failures.js';
import { retryDelay } from './backoff.js';
import { SimulatedCrash } from './crash-points.js';

/** Shared by every account in one purge run: deletions left before the circuit breaker trips. */
export interface PurgeBudget {
  remaining: number;
  capReached: boolean;
}

export interface PurgeResult {
  account: string;
  scheduled: number;
  purged: number;
  held: number;
  failed: number;
  capReached: boolean;
}

const MEDIA_ROLES = new Set(['parent', 'child']);
const ASSET_ROLES = new Set(['caption', 'attachment']);
const DONE_OR_VERIFIED = new Set(['HANDLED', 'PURGE_PENDING', 'PURGED']);

function schedule(ctx: EngineContext, acct: EngineAccount): number {
  const { files } = ctx.repos;
  const now = ctx.clock.now();
  let n = 0;
  const handled = files.listHandled(acct.config.name);
  // Media first: a caption or chat is scheduled only once its segment's parent is (below).
  for (const f of [...handled.filter((h) => !ASSET_ROLES.has(h.role ?? '')), ...handled.filter((h) => ASSET_ROLES.has(h.role ?? ''))]) {
    if (!MEDIA_ROLES.has(f.role ?? '') && !ASSET_ROLES.has(f.role ?? '')) continue;
    // A file Zoom lists without an id (CC, TIMELINE) cannot be deleted by id: it stays in Zoom.
    if (isSyntheticFileId(f.zoomFileId)) continue;
    let purgeAfter = (f.handledAt ?? now) + acct.config.delete.delay;
    if (ASSET_ROLES.has(f.role ?? '')) {
      // A caption or chat leaves Zoom with (right after) its segment's video, never before it: it is
      // scheduled once that parent is, and due no earlier, so one read re-checks both (purge-segment-read.ts).
      const parent = files.listByRecording(f.recordingId).find((s) => s.role === 'parent');
      if (parent?.state !== 'PURGE_PENDING' && parent?.state !== 'PURGED') continue;
      if (parent.state === 'PURGE_PENDING') purgeAfter = Math.max(purgeAfter, parent.purgeAfter ?? 0);
    }
    if (files.transition(f.id, 'HANDLED', 'PURGE_PENDING', `deletion from Zoom scheduled (${acct.config.delete.action})`, { purgeAfter, attempts: 0, nextAttemptAt: null }, { actor: ctx.actor })) n++;
  }
  // Audio skipped beside video leaves Zoom once that video has (verified, then) been purged.
  for (const f of files.list({ account: acct.config.name, state: 'COVERED' })) {
    const parent = files.listByRecording(f.recordingId).find((s) => s.role === 'parent');
    if (parent?.state !== 'PURGED' || !isCoveredByVideo(f.recordingType)) continue;
    if (files.transition(f.id, 'COVERED', 'PURGE_PENDING', `trashed with the segment video (file ${parent.id})`, { purgeAfter: now, attempts: 0, nextAttemptAt: null }, { actor: ctx.actor })) n++;
  }
  return n;
}

type Verdict = { ok: true; verified: string } | { ok: false; why: string };

/**
 * Re-verifies, right before the delete, that Kaltura holds `f`:
 * - media (parent, child): its entry READY with Zoom's file size;
 * - caption, chat: the segment's parent verified, and the asset on that entry READY with the bytes zk sent;
 * - covered (audio_only beside a video): the segment video purged and its entry READY with its size again.
 * Anything else, and any file Zoom listed without an id, is never deleted.
 */
/** A pass's segment read (purge-segment-read.ts): the kinds to read with a parent, and the read last made. */
interface SegmentReads {
  kindsWithParent: AssetKind[];
  current?: SegmentRead;
}

async function verifyForDelete(ctx: EngineContext, acct: EngineAccount, f: FileRow, seg: SegmentReads): Promise<Verdict> {
  const role = f.role ?? '';
  if (isSyntheticFileId(f.zoomFileId)) return { ok: false, why: 'Zoom listed this file without an id; zk never deletes by a made-up id' };
  if (MEDIA_ROLES.has(role)) {
    if (!f.kalturaEntryId) return { ok: false, why: 'no Kaltura entry recorded' };
    const check = await checkMediaForDelete(ctx, acct, f, seg);
    return check.ok ? { ok: true, verified: `entry ${f.kalturaEntryId} READY, verified by ${check.by}: ${check.detail}` } : { ok: false, why: check.detail };
  }
  const siblings = ctx.repos.files.listByRecording(f.recordingId);
  const parent = siblings.find((s) => s.role === 'parent');
  if (role === 'covered') {
    if (!isCoveredByVideo(f.recordingType)) return { ok: false, why: `recording type ${f.recordingType || 'unknown'} is not covered by the segment video` };
    if (parent?.state !== 'PURGED') return { ok: false, why: 'segment video not purged' };
    if (!parent.kalturaEntryId) return { ok: false, why: 'segment video has no Kaltura entry recorded' };
    const check = await checkEntry(ctx, acct, parent);
    return check.ok
      ? { ok: true, verified: `audio_only covered by segment video entry ${parent.kalturaEntryId}, READY, verified by ${check.by}: ${check.detail}` }
      : { ok: false, why: `segment video: ${check.detail}` };
  }
  if (ASSET_ROLES.has(role)) {
    if (!parent || !DONE_OR_VERIFIED.has(parent.state)) return { ok: false, why: 'segment parent entry not verified' };
    const rec = ctx.repos.recordings.get(f.recordingId);
    if (!rec?.parentEntryId || rec.parentEntryId !== f.kalturaEntryId) return { ok: false, why: 'asset is not on the current parent entry' };
    const read = seg.current?.recordingId === f.recordingId && seg.current.entryId === rec.parentEntryId ? seg.current.assets[assetKindOf(f)] : undefined;
    // Read together with the parent's re-check just now (this pass, nothing in between), or on its own.
    const { entry, check } = read && seg.current
      ? { entry: seg.current.entry, check: checkAssetIn(read, assetNameOf(f, rec), f.kalturaAssetId, f.ingestedSize ?? f.fileSize, rec.parentEntryId) }
      : await readAssetAndParent(acct, f, rec, rec.parentEntryId);
    if (!entry || entry.status === ENTRY_STATUS.DELETED) return { ok: false, why: `parent entry ${rec.parentEntryId} not found in Kaltura` };
    if (entryStatusInfo(entry.status).decision !== 'ready') return { ok: false, why: `parent entry ${rec.parentEntryId} has status ${entry.status}, not READY` };
    return check.ok ? { ok: true, verified: `${role} on entry ${rec.parentEntryId} (READY): ${check.detail}` } : { ok: false, why: `${role}: ${check.detail}` };
  }
  return { ok: false, why: `role ${role || 'none'} is never deleted` };
}

/** A media file's re-check; a parent whose captions or chat are due next reads their assets in the same round trip. */
async function checkMediaForDelete(ctx: EngineContext, acct: EngineAccount, f: FileRow, seg: SegmentReads) {
  const entryId = f.kalturaEntryId ?? '';
  if (seg.kindsWithParent.length === 0 || !acct.sink.getEntryWithFlavorsAndAssets) return checkEntry(ctx, acct, f);
  const { entry, flavors, assets } = await acct.sink.getEntryWithFlavorsAndAssets(entryId, seg.kindsWithParent);
  seg.current = { recordingId: f.recordingId, entryId, entry, assets };
  return judgeEntry(entryId, entry, flavors, contentRecordOf(ctx, f), { durationToleranceMs: ctx.settings.durationToleranceMs });
}

/** The asset's check and its parent entry, read together (one round trip when the sink can). */
async function readAssetAndParent(acct: EngineAccount, f: FileRow, rec: RecordingRow, parentEntryId: string): Promise<{ entry: KalturaEntry | null; check: AssetCheck }> {
  if (!acct.sink.getEntryWithAssets) return { entry: await acct.sink.getEntry(parentEntryId), check: await checkAsset(acct, f, rec, parentEntryId) };
  const { entry, assets } = await acct.sink.getEntryWithAssets(assetKindOf(f), parentEntryId);
  return { entry, check: checkAssetIn(assets, assetNameOf(f, rec), f.kalturaAssetId, f.ingestedSize ?? f.fileSize, parentEntryId) };
}

function holdOrFail(ctx: EngineContext, f: FileRow, reason: string, err?: unknown): void {
  const attempts = f.attempts + 1;
  // A throttled verification (Kaltura's ACTION_BLOCKED) waits at least as long as the adapter asked.
  const delay = retryDelay(attempts, ctx.settings.retry, ctx.random, isRetryable(err) ? err.retryAfterMs : undefined);
  ctx.repos.files.transition(f.id, 'PURGE_PENDING', 'PURGE_PENDING', reason,
    { attempts, nextAttemptAt: ctx.clock.now() + delay, lastError: err ? errorMessage(err) : reason, lastErrorCode: err ? errorCode(err) : 'NOT_VERIFIED', leaseOwner: null, leaseUntil: null },
    { actor: ctx.actor });
}

async function purgeOne(ctx: EngineContext, acct: EngineAccount, f: FileRow, seg: SegmentReads, onFatal: (err: unknown) => void): Promise<'purged' | 'held' | 'failed' | 'fatal'> {
  let verdict: Verdict;
  try {
    verdict = await verifyForDelete(ctx, acct, f, seg);
  } catch (err) {
    // Kaltura could not be asked (ACTION_BLOCKED, 5xx, network): not verified, so held with backoff like any
    // other hold. Thrown on, it aborted the account's whole purge run and left this row due at once, forever.
    if (err instanceof SimulatedCrash) throw err;
    if (classify(err) === 'fatal') return haltAccount(ctx, acct, f.id, err, onFatal);
    holdOrFail(ctx, f, `not deleting from Zoom: verification failed: ${errorMessage(err)}`, err);
    ctx.log.warn('deletion held: verification failed', { account: acct.config.name, fileId: f.id, error: errorMessage(err) });
    return 'held';
  }
  if (!verdict.ok) {
    holdOrFail(ctx, f, `not deleting from Zoom: ${verdict.why}`);
    ctx.log.warn('deletion held: not verified', { account: acct.config.name, fileId: f.id, zoomFileId: f.zoomFileId, reason: verdict.why });
    return 'held';
  }
  let outcome: 'removed' | 'absent';
  try {
    ctx.crash('before-delete', { fileId: f.id });
    outcome = await acct.source.deleteRecordingFile(f.meetingUuid, f.zoomFileId, acct.config.delete.action);
    ctx.crash('after-delete-before-write', { fileId: f.id });
  } catch (err) {
    if (err instanceof SimulatedCrash) throw err;
    // Already gone (e.g. deleted before a crash let us record it): Kaltura was verified just now.
    if (!(isPermanent(err) && err.status === 404)) {
      if (classify(err) === 'fatal') return haltAccount(ctx, acct, f.id, err, onFatal);
      // Zoom's daily limit: the engine pauses the account's purges until it ends.
      if (isRetryable(err) && err.pausesAccount) onFatal(err);
      holdOrFail(ctx, f, `delete from Zoom failed: ${errorMessage(err)}`, err);
      return 'failed';
    }
    outcome = 'absent';
  }
  if (outcome === 'absent') {
    // Gone already: recorded as such, and not counted as a deletion zk made.
    ctx.repos.files.transition(f.id, 'PURGE_PENDING', 'PURGED', `already absent from Zoom (404) after verification: ${verdict.verified}`,
      { purgedAt: ctx.clock.now(), nextAttemptAt: null, lastError: null, lastErrorCode: null, leaseOwner: null, leaseUntil: null }, { actor: ctx.actor });
    ctx.log.info('file already absent from Zoom', { account: acct.config.name, fileId: f.id });
    return 'purged';
  }
  ctx.repos.files.transition(f.id, 'PURGE_PENDING', 'PURGED', `${acct.config.delete.action === 'trash' ? 'trashed' : 'deleted'} from Zoom after verification: ${verdict.verified}`,
    { purgedAt: ctx.clock.now(), nextAttemptAt: null, lastError: null, lastErrorCode: null, leaseOwner: null, leaseUntil: null }, { actor: ctx.actor });
  ctx.log.info('file removed from Zoom', { account: acct.config.name, fileId: f.id, action: acct.config.delete.action });
  ctx.observer.deletion?.({ account: acct.config.name, action: acct.config.delete.action });
  return 'purged';
}

export async function runPurgeCycle(ctx: EngineContext, acct: EngineAccount, budget: PurgeBudget, onFatal: (err: unknown) => void): Promise<PurgeResult> {
  const result: PurgeResult = { account: acct.config.name, scheduled: 0, purged: 0, held: 0, failed: 0, capReached: false };
  if (!acct.config.delete.enabled) return result;
  // Two passes: covered audio becomes due only after its video was purged in pass one.
  for (let pass = 0; pass < 2; pass++) {
    result.scheduled += schedule(ctx, acct);
    const due = orderBySegment(ctx.repos.files.listPurgeDue(acct.config.name, ctx.owner, 1000));
    let current: SegmentRead | undefined;
    for (const f of due) {
      // A segment read serves only the files right behind its parent (orderBySegment puts them there).
      if (current?.recordingId !== f.recordingId) current = undefined;
      if (budget.remaining <= 0) {
        if (!budget.capReached) {
          ctx.repos.events.append({ account: acct.config.name, at: ctx.clock.now(), toState: 'PURGE_PENDING', reason: `deletion cap of ${ctx.settings.deleteCapPerRun} per run reached; the rest wait for the next run`, actor: ctx.actor });
          ctx.log.warn('deletion cap reached', { account: acct.config.name, cap: ctx.settings.deleteCapPerRun });
        }
        budget.capReached = true;
        result.capReached = true;
        return result;
      }
      if (!ctx.repos.files.claim(f.id, ctx.owner, ctx.settings.leaseTtlMs)) continue;
      const seg: SegmentReads = { kindsWithParent: f.role === 'parent' ? siblingKindsDue(f, due) : [], current: f.role === 'parent' ? undefined : current };
      const outcome = await purgeOne(ctx, acct, f, seg, onFatal);
      current = seg.current;
      ctx.repos.files.releaseLease(f.id, ctx.owner);
      if (outcome === 'purged') {
        result.purged++;
        budget.remaining--;
      } else if (outcome === 'held') result.held++;
      else if (outcome === 'failed') result.failed++;
      else return result;
    }
  }
  return result;
}
