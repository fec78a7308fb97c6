/**
 * Pure decisions of adoption: which entry Kaltura's own Zoom integration made
 * for a segment, and whether a Zoom file is verifiably the content of one of its
 * entries or assets. Evidence rules (never adopt on weak evidence):
 * - media: same media type, READY entry and source flavor, and the source size:
 *   `sizeInBytes` equal to Zoom's file_size; or, when Kaltura reports only
 *   `size` in KB, the same KB AND no other file of the segment with that KB
 *   AND the entry's description naming the meeting UUID (as the integration writes it);
 * - captions by label (Zoom_TRANSCRIPT / Zoom_CC), chat by filename, READY only.
 * Anything else is not adopted: zk ingests the file itself and reports why.
 */
import type { IntegrationAsset, IntegrationEntry } from './adopt-port.js';
import { captionLabel, chatFilename, mediaTypeOf } from './entry-fields.js';

const ADMIN_TAG = 'zoomentry';
const READY = 2;
const ERRORED: ReadonlySet<number> = new Set([-1, -2]);
/** IMPORT, PRECONVERT, PENDING: the integration's import may still finish. */
const IN_FLIGHT: ReadonlySet<number> = new Set([0, 1, 4]);

export type MatchResult =
  | { outcome: 'adopt'; entryId: string; assetId?: string; bytes: number | null; evidence: string }
  | { outcome: 'wait'; reason: string }
  | { outcome: 'conflict'; reason: string }
  | { outcome: 'absent'; reason: string };

export type SegmentDecision =
  | { decision: 'adopt'; parent: IntegrationEntry; reason: string }
  | { decision: 'none'; reason: string }
  | { decision: 'conflict'; reason: string }
  | { decision: 'wait'; reason: string };

export interface SegmentKey {
  meetingUuid: string;
  /** Zoom's raw recording_start (the integration concatenates it as is). */
  recordingStart: string;
  meetingId: number;
}

export const parentReferenceId = (s: Pick<SegmentKey, 'meetingUuid' | 'recordingStart'>) => `Zoom_${s.meetingUuid}${s.recordingStart}`;
export const childReferenceId = (s: Pick<SegmentKey, 'meetingUuid'>) => `Zoom_${s.meetingUuid}`;

export function integrationReferenceIds(s: Pick<SegmentKey, 'meetingUuid' | 'recordingStart'>): string[] {
  return [parentReferenceId(s), childReferenceId(s)];
}

export function madeByIntegration(e: Pick<IntegrationEntry, 'adminTags'>): boolean {
  return e.adminTags.split(',').some((t) => t.trim().toLowerCase() === ADMIN_TAG);
}

function describeEntry(e: IntegrationEntry): string {
  return `${e.id} (status ${e.status})`;
}

/** Still importing, and young enough that it may finish (older than the import timeout counts as incomplete). */
function mayStillFinish(e: IntegrationEntry, now: number, importTimeoutMs: number): boolean {
  return IN_FLIGHT.has(e.status) && now - e.createdAt < importTimeoutMs;
}

/** Which integration entry (if any) is this segment's parent. */
export function decideSegment(entries: readonly IntegrationEntry[], seg: SegmentKey, now: number, importTimeoutMs: number): SegmentDecision {
  const ref = parentReferenceId(seg);
  const parents = entries.filter((e) => e.referenceId === ref && e.status !== 3 && madeByIntegration(e));
  if (parents.length === 0) return { decision: 'none', reason: "Kaltura's Zoom integration made no entry for this segment" };
  const live = parents.filter((e) => !ERRORED.has(e.status));
  if (live.length > 1) return { decision: 'conflict', reason: `several entries of Kaltura's Zoom integration claim this segment: ${live.map(describeEntry).join(', ')}` };
  if (live.length === 0) return { decision: 'conflict', reason: `the segment's entry from Kaltura's Zoom integration is errored: ${parents.map(describeEntry).join(', ')}` };
  const p = live[0];
  if (p.status === READY) return { decision: 'adopt', parent: p, reason: `parent entry ${p.id} of Kaltura's Zoom integration is READY` };
  if (mayStillFinish(p, now, importTimeoutMs)) return { decision: 'wait', reason: `entry ${p.id} of Kaltura's Zoom integration is still importing (status ${p.status})` };
  return { decision: 'conflict', reason: `the segment's entry from Kaltura's Zoom integration is incomplete: ${describeEntry(p)}` };
}

type SizeEvidence = 'bytes' | 'kb' | 'mismatch' | 'none';

function sizeEvidence(e: IntegrationEntry, bytes: number): SizeEvidence {
  const s = e.source;
  if (!s) return 'none';
  if (s.sizeInBytes !== undefined) return s.sizeInBytes === bytes ? 'bytes' : 'mismatch';
  if (s.sizeKb !== undefined) return s.sizeKb === Math.floor(bytes / 1024) ? 'kb' : 'mismatch';
  return 'none';
}

const matches = (ev: SizeEvidence) => ev === 'bytes' || ev === 'kb';

export interface MediaFileFacts {
  fileType: string;
  fileSize: number;
}

/**
 * Matches one media file against the segment's integration entries (the
 * adopted parent and its children). `peers` are the segment's other media
 * files; `held` the entry ids other zk files already stand for.
 */
export function matchMedia(
  file: MediaFileFacts,
  peers: readonly MediaFileFacts[],
  candidates: readonly IntegrationEntry[],
  held: ReadonlySet<string>,
  ctx: { meetingUuid: string; now: number; importTimeoutMs: number },
): MatchResult {
  const type = mediaTypeOf(file);
  const sameType = candidates.filter((c) => c.mediaType === type && !held.has(c.id) && c.status !== 3 && madeByIntegration(c));
  const samePeers = peers.filter((p) => mediaTypeOf(p) === type && p.fileSize > 0);
  const usable = (c: IntegrationEntry) => c.status === READY && (c.source?.status === undefined || c.source.status === READY);

  const exact = sameType.filter((c) => usable(c) && sizeEvidence(c, file.fileSize) === 'bytes');
  if (exact.length === 1 && samePeers.some((p) => p.fileSize === file.fileSize)) {
    return { outcome: 'conflict', reason: `another file of the segment has the same ${file.fileSize} bytes: which one entry ${exact[0].id} holds is a guess` };
  }
  if (exact.length === 1) {
    return { outcome: 'adopt', entryId: exact[0].id, bytes: file.fileSize, evidence: `source flavor sizeInBytes ${file.fileSize} equals Zoom's file_size` };
  }
  if (exact.length > 1) return { outcome: 'conflict', reason: `several entries of Kaltura's Zoom integration hold ${file.fileSize} bytes: ${exact.map(describeEntry).join(', ')}` };

  const kb = sameType.filter((c) => usable(c) && sizeEvidence(c, file.fileSize) === 'kb');
  if (kb.length > 0) {
    const myKb = Math.floor(file.fileSize / 1024);
    const twins = samePeers.filter((p) => Math.floor(p.fileSize / 1024) === myKb);
    const named = kb.length === 1 && kb[0].description.includes(`UUID: ${ctx.meetingUuid}`);
    if (kb.length === 1 && twins.length === 0 && named) {
      return {
        outcome: 'adopt',
        entryId: kb[0].id,
        bytes: myKb * 1024,
        evidence: `source flavor size ${myKb} KB matches Zoom's file_size ${file.fileSize} (no sizeInBytes; unique in the segment; description names the meeting UUID)`,
      };
    }
    const why = kb.length > 1 ? `${kb.length} entries match` : twins.length > 0 ? 'another file of the segment has the same size in KB' : "the entry's description does not name the meeting UUID";
    return { outcome: 'conflict', reason: `weak evidence only (Kaltura reports size in KB, ${why}): ${kb.map(describeEntry).join(', ')}` };
  }

  // No match: is some entry of this type unexplained by the segment's other files?
  const explained = (c: IntegrationEntry) => samePeers.some((p) => matches(sizeEvidence(c, p.fileSize)));
  const unexplained = sameType.filter((c) => !explained(c));
  const pending = unexplained.filter((c) => mayStillFinish(c, ctx.now, ctx.importTimeoutMs));
  if (pending.length > 0) return { outcome: 'wait', reason: `entry ${pending.map(describeEntry).join(', ')} of Kaltura's Zoom integration is still importing` };
  if (unexplained.length > 0) {
    const noEvidence = (c: IntegrationEntry) => sizeEvidence(c, file.fileSize) === 'none';
    const what = unexplained.map(
      (c) => `${describeEntry(c)}${ERRORED.has(c.status) ? ' errored' : c.status !== READY ? ' incomplete' : noEvidence(c) ? ' has no source size to compare' : ' holds a different size'}`,
    );
    return { outcome: 'conflict', reason: `entries of Kaltura's Zoom integration do not verifiably hold this file: ${what.join(', ')}` };
  }
  return { outcome: 'absent', reason: "Kaltura's Zoom integration did not ingest this file" };
}

/** Captions by label, chat by filename, on the adopted parent. */
export function matchAsset(file: { fileType: string; role: 'caption' | 'attachment' }, meetingId: number, assets: readonly IntegrationAsset[]): MatchResult {
  const wanted = file.role === 'caption' ? captionLabel(file.fileType) : chatFilename(meetingId);
  const same = assets.filter((a) => (file.role === 'caption' ? a.kind === 'caption' && a.label === wanted : a.kind === 'attachment' && a.filename === wanted));
  const what = file.role === 'caption' ? `caption labelled ${wanted}` : `attachment "${wanted}"`;
  if (same.length === 0) return { outcome: 'absent', reason: `Kaltura's Zoom integration added no ${what}` };
  const ready = same.filter((a) => a.status === READY);
  if (ready.length === 1 && same.length === 1) return { outcome: 'adopt', entryId: '', assetId: ready[0].id, bytes: null, evidence: `${what} is READY` };
  return { outcome: 'conflict', reason: `the ${what} of Kaltura's Zoom integration is not verifiably usable: ${same.map((a) => `${a.id} (status ${a.status})`).join(', ')}` };
}
