/**
 * Resolves a segment's entry policy once (before its parent entry exists) and
 * persists it, so restarts and later files of the segment reuse it. An
 * ignoreReason turns every not-yet-ingested file of the segment IGNORED.
 */
import type { EngineAccount, EngineContext } from './context.js';
import type { EntryPolicy, ZoomMeeting } from './ports.js';
import type { RecordingRow } from './store-port/recordings.js';
import type { FileRow } from './store-port/files.js';
import type { FileState } from './states.js';
import { toZoomFile } from './to-zoom-file.js';

/** States a policy exclusion may still move to IGNORED (nothing of them is in Kaltura yet). */
const IGNORABLE: readonly FileState[] = ['DETECTED', 'PENDING', 'TRANSFERRING', 'RETRY_WAIT', 'COVERED'];

export function parsePolicy(rec: RecordingRow): EntryPolicy | undefined {
  return rec.policyJson ? (JSON.parse(rec.policyJson) as EntryPolicy) : undefined;
}

export function segmentMeeting(rec: RecordingRow, files: FileRow[]): ZoomMeeting {
  return {
    uuid: rec.meetingUuid,
    id: rec.meetingId,
    hostId: rec.hostId ?? '',
    hostEmail: rec.hostEmail ?? '',
    topic: rec.topic,
    type: rec.meetingType,
    startTime: rec.startTime,
    durationMin: rec.durationMin ?? 0,
    files: files.map((f) => toZoomFile(f, rec)),
  };
}

/** Marks every ignorable file of the segment IGNORED because of the policy. */
export function ignoreSegment(ctx: EngineContext, recordingId: number, reason: string): number {
  let n = 0;
  for (const f of ctx.repos.files.listByRecording(recordingId)) {
    if (!IGNORABLE.includes(f.state)) continue;
    if (ctx.repos.files.transition(f.id, f.state, 'IGNORED', `policy: ${reason}`, { role: 'none', leaseOwner: null, leaseUntil: null, nextAttemptAt: null }, { actor: ctx.actor })) n++;
  }
  return n;
}

/** The segment's policy, or null when the segment is excluded (its files are then IGNORED). */
export async function ensurePolicy(ctx: EngineContext, acct: EngineAccount, rec: RecordingRow): Promise<EntryPolicy | null> {
  let policy = parsePolicy(rec);
  if (!policy) {
    const meeting = segmentMeeting(rec, ctx.repos.files.listByRecording(rec.id));
    policy = await ctx.policy.resolve(meeting, acct.config);
    ctx.repos.recordings.setPolicy(rec.id, JSON.stringify(policy));
    ctx.crash('after-policy-resolved');
  }
  if (policy.ignoreReason) {
    ignoreSegment(ctx, rec.id, policy.ignoreReason);
    return null;
  }
  return policy;
}
