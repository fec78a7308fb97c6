/**
 * `--dry-run`: list the windows and say what an import would do, writing
 * nothing anywhere. The database (if any) is only read, to report what zk
 * already holds. The plan applies the upload toggles and the recording-type
 * rules; owner and group rules need Kaltura lookups (and `onNoMatch: create`
 * would create users), so they are applied only by the real import.
 */
import PQueue from 'p-queue';
import type { AccountConfig } from '../../config/schema.js';
import type { DateWindow, RecordingSource, ZoomMeeting } from '../../ingest/ports.js';
import { groupSegments, isComplete, planSegment } from '../../ingest/plan-segment.js';
import { splitWindows } from '../../ingest/poller.js';
import { uploadDisabledReason } from '../../ingest/policy/is-webinar.js';
import { errorMessage } from '../../ingest/failures.js';
import type { Db } from '../../store/db.js';

export type PlannedAction = 'ingest' | 'skip' | 'known';

export interface PlannedFile {
  account: string;
  meetingUuid: string;
  meetingId: number;
  topic: string;
  startTime: string;
  fileId: string;
  fileType: string;
  recordingType: string;
  bytes: number;
  action: PlannedAction;
  /** Why a file is skipped, or its current zk state when already known. */
  reason: string;
  /** Would be deleted from Zoom after verification and the account's delay. */
  laterDeleted: boolean;
}

export interface ImportPlan {
  accounts: string[];
  from: string;
  to: string;
  windows: { total: number; alreadyImported: number; failed: number };
  meetings: number;
  totals: { ingest: { files: number; bytes: number }; skip: { files: number; bytes: number }; known: { files: number; bytes: number }; laterDeleted: number };
  /** Files zk already tracks that are not finished (PENDING, TRANSFERRING, IMPORTING, RETRY_WAIT): the real run works these too. */
  unfinished: number;
  skipReasons: Record<string, number>;
  errors: string[];
  files: PlannedFile[];
}

export interface PlanDeps {
  accounts: AccountConfig[];
  sourceFor(account: AccountConfig): RecordingSource;
  /** Read-only database, or undefined when none exists yet. */
  db?: Db;
  concurrency?: number;
  /** As the real run: legacy import skips windows a previous run finished; a backfill (false) re-scans every window. */
  resume?: boolean;
}

export async function planImport(deps: PlanDeps, from: string, to: string): Promise<ImportPlan> {
  const plan: ImportPlan = {
    accounts: deps.accounts.map((a) => a.name),
    from,
    to,
    windows: { total: 0, alreadyImported: 0, failed: 0 },
    meetings: 0,
    totals: { ingest: { files: 0, bytes: 0 }, skip: { files: 0, bytes: 0 }, known: { files: 0, bytes: 0 }, laterDeleted: 0 },
    skipReasons: {},
    errors: [],
    files: [],
    unfinished: 0,
  };
  if (deps.db) {
    const names = deps.accounts.map((a) => a.name);
    plan.unfinished = (
      deps.db
        .prepare(`SELECT COUNT(*) AS n FROM files WHERE account IN (${names.map(() => '?').join(',')}) AND state IN ('PENDING','TRANSFERRING','IMPORTING','RETRY_WAIT')`)
        .get(...names) as { n: number }
    ).n;
  }
  const knownState = deps.db?.prepare('SELECT state FROM files WHERE account = ? AND meeting_uuid = ? AND zoom_file_id = ?');
  const windowDone = deps.db?.prepare(`SELECT 1 FROM import_windows WHERE account = ? AND window_from = ? AND window_to = ? AND state = 'done'`);
  const queue = new PQueue({ concurrency: deps.concurrency ?? 4 });
  const jobs: Array<Promise<void>> = [];
  for (const account of deps.accounts) {
    const source = deps.sourceFor(account);
    for (const window of splitWindows(from, to)) {
      plan.windows.total++;
      if (deps.resume !== false && windowDone?.get(account.name, window.from, window.to)) {
        plan.windows.alreadyImported++;
        continue;
      }
      jobs.push(
        queue.add(async () => {
          try {
            const meetings = await source.listRecordings(window);
            plan.meetings += meetings.length;
            for (const m of meetings) planMeeting(plan, account, m, (fileId) => (knownState?.get(account.name, m.uuid, fileId) as { state: string } | undefined)?.state);
          } catch (err) {
            plan.windows.failed++;
            plan.errors.push(`${account.name} ${describe(window)}: ${errorMessage(err)}`);
          }
        }),
      );
    }
  }
  await Promise.all(jobs);
  plan.files.sort((a, b) => a.startTime.localeCompare(b.startTime) || a.meetingUuid.localeCompare(b.meetingUuid) || a.fileId.localeCompare(b.fileId));
  return plan;
}

function describe(w: DateWindow): string {
  return `${w.from}..${w.to}`;
}

function planMeeting(plan: ImportPlan, account: AccountConfig, m: ZoomMeeting, stateOf: (fileId: string) => string | undefined): void {
  const disabled = uploadDisabledReason(m, account);
  for (const segment of groupSegments(m.files)) {
    const plans = planSegment(
      segment.files.map((f) => ({ zoomFileId: f.id, fileType: f.fileType, recordingType: f.recordingType })),
      {
        meetingType: m.type,
        meetingsUpload: account.meetings.upload,
        webinarsUpload: account.webinars.upload,
        transcriptsEnabled: account.transcripts.enabled,
        chatEnabled: account.chat.enabled,
        hasParentEntry: false,
      },
    );
    for (const f of segment.files) {
      const known = stateOf(f.id);
      const p = plans.get(f.id);
      let action: PlannedAction;
      let reason: string;
      // A file zk saw still processing that Zoom now lists complete is ingested by the real run: plan it as such.
      if (known && !(known === 'DETECTED' && isComplete({ zoomStatus: f.status, fileSize: f.fileSize }))) {
        action = 'known';
        reason = `already tracked by zk (${known})`;
      } else if (disabled) {
        action = 'skip';
        reason = disabled;
      } else if (!isComplete({ zoomStatus: f.status, fileSize: f.fileSize })) {
        action = 'skip';
        reason = 'still processing in Zoom (ingested once complete)';
      } else if (!p || p.action === 'ignore') {
        action = 'skip';
        reason = p?.reason ?? 'not planned';
      } else if (p.action === 'cover') {
        action = 'skip';
        reason = p.reason;
      } else {
        action = 'ingest';
        reason = p.reason;
      }
      // Ingested files, and audio covered by its segment's video, are deleted after verification.
      const laterDeleted = account.delete.enabled && (action === 'ingest' || p?.action === 'cover') && action !== 'known';
      const bucket = plan.totals[action];
      bucket.files++;
      bucket.bytes += f.fileSize;
      if (action === 'skip') plan.skipReasons[reason] = (plan.skipReasons[reason] ?? 0) + 1;
      if (laterDeleted) plan.totals.laterDeleted++;
      plan.files.push({
        account: account.name,
        meetingUuid: m.uuid,
        meetingId: m.id,
        topic: m.topic,
        startTime: m.startTime,
        fileId: f.id,
        fileType: f.fileType,
        recordingType: f.recordingType,
        bytes: f.fileSize,
        action,
        reason,
        laterDeleted,
      });
    }
  }
}
