/**
 * The dry run's view of adoption: for one segment as Zoom lists it, which
 * files zk would adopt from Kaltura's own Zoom integration, which it would
 * ingest itself despite an integration entry (a conflict, reported), using the
 * same decisions as the engine (src/ingest/adopt-match.ts). Read-only lookups.
 */
import type { IntegrationEntry, ZoomIntegrationLookup } from '../../ingest/adopt-port.js';
import type { ZoomMeeting, ZoomRecordingFile } from '../../ingest/ports.js';
import type { FilePlan } from '../../ingest/plan-segment.js';
import { decideSegment, integrationReferenceIds, madeByIntegration, matchAsset, matchMedia } from '../../ingest/adopt-match.js';
import { groupSegments } from '../../ingest/plan-segment.js';

/** One lookup for a whole listing (the lookup batches referenceIds), instead of one per segment. */
export async function prefetchIntegrationEntries(lookup: ZoomIntegrationLookup, meetings: readonly ZoomMeeting[]): Promise<IntegrationEntry[]> {
  const refs = meetings.flatMap((m) => groupSegments(m.files).flatMap((s) => integrationReferenceIds({ meetingUuid: m.uuid, recordingStart: s.recordingStart })));
  return refs.length === 0 ? [] : lookup.findIntegrationEntries(refs);
}

export interface AdoptionPreview {
  action: 'adopt' | 'conflict';
  reason: string;
}

export async function previewSegmentAdoption(
  lookup: ZoomIntegrationLookup,
  meeting: ZoomMeeting,
  segment: { recordingStart: string; files: ZoomRecordingFile[] },
  plans: Map<string, FilePlan>,
  opts: { now: number; importTimeoutMs: number },
  prefetched: readonly IntegrationEntry[],
): Promise<Map<string, AdoptionPreview>> {
  const out = new Map<string, AdoptionPreview>();
  const ingest = segment.files.filter((f) => plans.get(f.id)?.action === 'ingest');
  if (ingest.length === 0) return out;
  const key = { meetingUuid: meeting.uuid, recordingStart: segment.recordingStart, meetingId: meeting.id };
  const refs = new Set(integrationReferenceIds(key));
  const entries = prefetched.filter((e) => refs.has(e.referenceId));
  const d = decideSegment(entries, key, opts.now, opts.importTimeoutMs);
  if (d.decision === 'none') return out;
  if (d.decision !== 'adopt') {
    for (const f of ingest) out.set(f.id, { action: 'conflict', reason: d.reason });
    return out;
  }
  const parentId = d.parent.id;
  const candidates = entries.filter((e) => madeByIntegration(e) && (e.id === parentId || e.parentEntryId === parentId));
  const media = segment.files.filter((f) => ['MP4', 'M4A'].includes(f.fileType.toUpperCase()));
  const held = new Set<string>();
  let assets: Awaited<ReturnType<ZoomIntegrationLookup['listIntegrationAssets']>> | undefined;
  for (const f of ingest) {
    const role = plans.get(f.id)!.role;
    let r;
    if (role === 'caption' || role === 'attachment') {
      assets ??= await lookup.listIntegrationAssets(parentId);
      r = matchAsset({ fileType: f.fileType, role }, meeting.id, assets);
    } else {
      r = matchMedia(f, media.filter((p) => p.id !== f.id), candidates, held, { meetingUuid: meeting.uuid, ...opts });
      if (r.outcome === 'adopt') held.add(r.entryId);
    }
    if (r.outcome === 'adopt') out.set(f.id, { action: 'adopt', reason: `adopt from Kaltura's Zoom integration: ${r.evidence}` });
    else if (r.outcome === 'conflict' || r.outcome === 'wait') out.set(f.id, { action: 'conflict', reason: r.reason });
  }
  return out;
}
