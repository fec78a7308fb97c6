/**
 * Poll: list an account's recordings in UTC day windows from (cursor −
 * lookback) to today, record every file idempotently, plan each segment, and
 * advance the durable cursor only after a window was listed completely. An
 * error fails the whole poll (recorded on the account); it never means "no
 * recordings" and nothing is marked missing.
 */
import type { EngineAccount, EngineContext } from './context.js';
import type { DateWindow, ZoomMeeting } from './ports.js';
import type { FileRow } from './store-port/files.js';
import { groupSegments, isComplete, planSegment, type FilePlan } from './plan-segment.js';
import { parsePolicy } from './segment-policy.js';
import { errorMessage } from './failures.js';
import { SimulatedCrash } from './crash-points.js';

const DAY_MS = 86_400_000;
/** Zoom lists at most one month per request; 28 days stays inside it even across February. */
export const MAX_WINDOW_DAYS = 28;

export interface PollResult {
  account: string;
  ok: boolean;
  skipped?: 'locked';
  windows: number;
  meetings: number;
  newFiles: number;
  error?: string;
}

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function addDays(day: string, n: number): string {
  return utcDay(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS);
}

/** Consecutive windows of at most `maxDays` days covering from..to (inclusive). */
export function splitWindows(from: string, to: string, maxDays = MAX_WINDOW_DAYS): DateWindow[] {
  const windows: DateWindow[] = [];
  for (let start = from; start <= to; start = addDays(start, maxDays)) {
    const end = addDays(start, maxDays - 1);
    windows.push({ from: start, to: end < to ? end : to });
  }
  return windows;
}

/** The days to list: from (cursor − lookback) — or today − lookback on a first poll — through today. */
export function pollRange(cursor: string | undefined, nowMs: number, lookbackMs: number): DateWindow {
  const today = utcDay(nowMs);
  const lookbackDays = Math.ceil(lookbackMs / DAY_MS);
  const base = cursor && cursor < today ? cursor : today;
  return { from: addDays(base, -lookbackDays), to: today };
}

/** `onAccountError` hears a failure that concerns the whole account (fatal, or a daily-limit pause). */
export async function runPollCycle(ctx: EngineContext, acct: EngineAccount, signal?: AbortSignal, onAccountError?: (err: unknown) => void): Promise<PollResult> {
  const name = acct.config.name;
  const result: PollResult = { account: name, ok: false, windows: 0, meetings: 0, newFiles: 0 };
  const lease = `poll:${name}`;
  if (!ctx.repos.leases.tryAcquire(lease, ctx.owner, ctx.settings.leaseTtlMs)) return { ...result, skipped: 'locked' };
  try {
    const range = pollRange(ctx.repos.cursors.get(name), ctx.clock.now(), ctx.settings.lookbackMs);
    for (const window of splitWindows(range.from, range.to)) {
      const meetings = await acct.source.listRecordings(window, signal);
      ctx.crash('after-window-listed');
      for (const meeting of meetings) result.newFiles += recordMeeting(ctx, acct, meeting);
      // Only a completely listed window moves the cursor; never past today (the range ends today).
      ctx.repos.cursors.advance(name, window.to);
      ctx.repos.leases.renew(lease, ctx.owner, ctx.settings.leaseTtlMs);
      result.windows++;
      result.meetings += meetings.length;
    }
    ctx.repos.accounts.recordPollOk(name);
    ctx.repos.accounts.clearError(name);
    result.ok = true;
    ctx.log.info('poll finished', { account: name, windows: result.windows, meetings: result.meetings, newFiles: result.newFiles });
  } catch (err) {
    if (err instanceof SimulatedCrash) throw err;
    result.error = errorMessage(err);
    if (signal?.aborted) {
      // A shutdown cut the listing short: not an account error (the cursor stays, the next start lists again).
      ctx.log.info('poll interrupted by shutdown', { account: name });
    } else {
      ctx.repos.accounts.recordError(name, `poll failed: ${errorMessage(err)}`);
      ctx.log.warn('poll failed', { account: name, error: errorMessage(err) });
      onAccountError?.(err);
    }
  } finally {
    ctx.repos.leases.release(lease, ctx.owner);
  }
  return result;
}

/** Records one meeting's files and plans each of its segments. Returns how many file rows are new. */
export function recordMeeting(ctx: EngineContext, acct: EngineAccount, meeting: ZoomMeeting): number {
  const { files, recordings } = ctx.repos;
  let created = 0;
  for (const segment of groupSegments(meeting.files)) {
    const recordingId = recordings.upsert({
      account: acct.config.name,
      meetingUuid: meeting.uuid,
      meetingId: meeting.id,
      recordingStart: segment.recordingStart,
      recordingEnd: segment.files.map((f) => f.recordingEnd).filter(Boolean).sort().pop(),
      topic: meeting.topic,
      hostId: meeting.hostId,
      hostEmail: meeting.hostEmail,
      meetingType: meeting.type,
      startTime: meeting.startTime,
      durationMin: meeting.durationMin,
    });
    for (const f of segment.files) {
      const r = files.upsertListed(
        {
          account: acct.config.name,
          recordingId,
          meetingUuid: meeting.uuid,
          zoomFileId: f.id,
          fileType: f.fileType,
          fileExtension: f.fileExtension,
          recordingType: f.recordingType,
          zoomStatus: f.status,
          fileSize: f.fileSize,
          downloadUrl: f.downloadUrl,
        },
        ctx.actor,
      );
      if (r.created) created++;
    }
    planRecording(ctx, acct, recordingId);
  }
  return created;
}

/** Applies the planner to a segment's rows: roles, DETECTED → PENDING/IGNORED/COVERED. */
export function planRecording(ctx: EngineContext, acct: EngineAccount, recordingId: number): void {
  const { files, recordings } = ctx.repos;
  const rec = recordings.get(recordingId);
  if (!rec) return;
  const rows = files.listByRecording(recordingId);
  // The segment's wait for a better view runs from its first file's detection.
  const firstSeen = Math.min(...rows.map((r) => r.detectedAt));
  const plans = planSegment(rows.map((r) => ({ ...r, processing: !isComplete(r) })), {
    meetingType: rec.meetingType,
    meetingsUpload: acct.config.meetings.upload,
    webinarsUpload: acct.config.webinars.upload,
    transcriptsEnabled: acct.config.transcripts.enabled,
    chatEnabled: acct.config.chat.enabled,
    hasParentEntry: rec.parentEntryId !== null,
    viewWaitExpired: ctx.clock.now() - firstSeen >= ctx.settings.parentViewWaitMs,
  });
  const policyIgnore = parsePolicy(rec)?.ignoreReason;
  for (const row of rows) {
    const plan = plans.get(row.zoomFileId);
    if (!plan) continue;
    if (plan.waitExpired && row.role !== 'parent') {
      ctx.log.warn('segment parent chosen after the wait for a better view expired', {
        account: acct.config.name,
        recordingId,
        fileId: row.id,
        parent: row.recordingType,
        stillProcessing: plan.waitExpired.over,
        waitedMs: ctx.clock.now() - firstSeen,
      });
    }
    applyPlan(ctx, row, plan, policyIgnore);
  }
}

function applyPlan(ctx: EngineContext, row: FileRow, plan: FilePlan, policyIgnore: string | undefined): void {
  const { files } = ctx.repos;
  const opts = { actor: ctx.actor };
  const notStarted = row.state === 'DETECTED' || (row.state === 'PENDING' && !row.kalturaEntryId && !row.uploadTokenId);
  if (!notStarted) return;
  if (policyIgnore) {
    files.transition(row.id, row.state, 'IGNORED', `policy: ${policyIgnore}`, { role: 'none' }, opts);
    return;
  }
  switch (plan.action) {
    case 'ignore':
      files.transition(row.id, row.state, 'IGNORED', plan.reason, { role: 'none' }, opts);
      return;
    case 'cover':
      files.transition(row.id, row.state, 'COVERED', plan.reason, { role: 'covered' }, opts);
      return;
    case 'wait':
      return;
    case 'ingest':
      if (row.state === 'DETECTED' && isComplete(row)) {
        files.transition(row.id, 'DETECTED', 'PENDING', `complete in Zoom; planned as ${plan.reason}`, { role: plan.role }, opts);
      } else if (row.role !== plan.role && row.state === 'PENDING' && plan.waitExpired) {
        // The bounded wait for a better view decided the parent: recorded as an event, with the reason.
        files.transition(row.id, 'PENDING', 'PENDING', plan.reason, { role: plan.role }, opts);
      } else if (row.role !== plan.role) {
        files.update(row.id, row.state, { role: plan.role });
      }
  }
}
