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
import { groupSegments, isComplete, planSegment, type FilePlan } from '../../ingest/plan-segment.js';
import type { ZoomIntegrationLookup } from '../../ingest/adopt-port.js';
import type { ZoomRecordingFile } from '../../ingest/ports.js';
import { prefetchIntegrationEntries, previewSegmentAdoption, type AdoptionPreview } from './plan-adoption.js';
import type { IntegrationEntry } from '../../ingest/adopt-port.js';

interface PrefetchedAdoption {
  lookup: ZoomIntegrationLookup;
  entries: IntegrationEntry[];
}

/** The window's integration entries in one batched lookup; a failure is the plan's error (the window's files show as to ingest). */
async function prefetchAdoption(plan: ImportPlan, account: AccountConfig, lookup: ZoomIntegrationLookup, meetings: ZoomMeeting[]): Promise<PrefetchedAdoption | undefined> {
  try {
    return { lookup, entries: await prefetchIntegrationEntries(lookup, meetings) };
  } catch (err) {
    plan.errors.push(`${account.name}: Kaltura lookup for adoption failed: ${errorMessage(err)}`);
    return undefined;
  }
}
import { splitWindows } from '../../ingest/poller.js';
import { uploadDisabledReason } from '../../ingest/policy/is-webinar.js';
import { errorMessage } from '../../ingest/failures.js';
import type { Db } from '../../store/db.js';
import { importFilesReader } from '../../store/import-files-query.js';
import { createImportWindowsRepo } from '../../store/import-windows-repo.js';
import { OPEN_STATES } from './file-tally.js';

/** adopt: Kaltura's own Zoom integration verifiably holds it; conflict: it has an entry zk cannot adopt, so zk ingests the file itself. */
export type PlannedAction = 'ingest' | 'skip' | 'known' | 'adopt' | 'conflict';

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
  totals: Record<PlannedAction, { files: number; bytes: number }> & { laterDeleted: number };
  /** Files zk already tracks that are not finished (PENDING, TRANSFERRING, IMPORTING, RETRY_WAIT): the real run works these too. */
  unfinished: number;
  /** Files per action, per account. */
  perAccount: Record<string, Record<PlannedAction, number>>;
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
  /** Kaltura's Zoom integration lookup when `kaltura.adopt` is on: the plan then shows what would be adopted. */
  adoptionFor?(account: AccountConfig): ZoomIntegrationLookup | undefined;
  /** For adoption's "still importing" rule. */
  now?: number;
  importTimeoutMs?: number;
}

export async function planImport(deps: PlanDeps, from: string, to: string): Promise<ImportPlan> {
  const plan: ImportPlan = {
    accounts: deps.accounts.map((a) => a.name),
    from,
    to,
    windows: { total: 0, alreadyImported: 0, failed: 0 },
    meetings: 0,
    totals: { ingest: { files: 0, bytes: 0 }, skip: { files: 0, bytes: 0 }, known: { files: 0, bytes: 0 }, adopt: { files: 0, bytes: 0 }, conflict: { files: 0, bytes: 0 }, laterDeleted: 0 },
    perAccount: Object.fromEntries(deps.accounts.map((a) => [a.name, { ingest: 0, skip: 0, known: 0, adopt: 0, conflict: 0 }])),
    skipReasons: {},
    errors: [],
    files: [],
    unfinished: 0,
  };
  const known = deps.db ? importFilesReader(deps.db, deps.accounts.map((a) => a.name)) : undefined;
  // Only read: the clock would stamp a window marked done, which a plan never does.
  const windows = deps.db ? createImportWindowsRepo(deps.db, { now: () => deps.now ?? Date.now() }) : undefined;
  if (known) plan.unfinished = known.countIn(OPEN_STATES);
  const queue = new PQueue({ concurrency: deps.concurrency ?? 4 });
  const jobs: Array<Promise<void>> = [];
  for (const account of deps.accounts) {
    const source = deps.sourceFor(account);
    const adoption = deps.adoptionFor?.(account);
    const adoptOpts = { now: deps.now ?? Date.now(), importTimeoutMs: deps.importTimeoutMs ?? 6 * 3_600_000 };
    for (const window of splitWindows(from, to)) {
      plan.windows.total++;
      if (deps.resume !== false && windows?.isDone(account.name, window.from, window.to)) {
        plan.windows.alreadyImported++;
        continue;
      }
      jobs.push(
        queue.add(async () => {
          try {
            const meetings = await source.listRecordings(window);
            plan.meetings += meetings.length;
            const integration = adoption ? await prefetchAdoption(plan, account, adoption, meetings) : undefined;
            for (const m of meetings) {
              await planMeeting(plan, account, m, (fileId) => known?.stateOf(account.name, m.uuid, fileId), integration, adoptOpts);
            }
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

async function planMeeting(
  plan: ImportPlan,
  account: AccountConfig,
  m: ZoomMeeting,
  stateOf: (fileId: string) => string | undefined,
  adoption: PrefetchedAdoption | undefined,
  adoptOpts: { now: number; importTimeoutMs: number },
): Promise<void> {
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
    const adopted = await previewAdoption(plan, account, m, segment, plans, stateOf, adoption, adoptOpts);
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
      } else if (adopted.has(f.id)) {
        ({ action, reason } = adopted.get(f.id)!);
      } else {
        action = 'ingest';
        reason = p.reason;
      }
      // Ingested files, and audio covered by its segment's video, are deleted after verification.
      const laterDeleted = account.delete.enabled && (action === 'ingest' || action === 'adopt' || action === 'conflict' || p?.action === 'cover') && action !== 'known';
      const bucket = plan.totals[action];
      bucket.files++;
      bucket.bytes += f.fileSize;
      plan.perAccount[account.name][action]++;
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

/** Adoption preview of a segment's not-yet-tracked files; a failed lookup is an error of the plan, never "nothing to adopt". */
async function previewAdoption(
  plan: ImportPlan,
  account: AccountConfig,
  m: ZoomMeeting,
  segment: { recordingStart: string; files: ZoomRecordingFile[] },
  plans: Map<string, FilePlan>,
  stateOf: (fileId: string) => string | undefined,
  adoption: PrefetchedAdoption | undefined,
  opts: { now: number; importTimeoutMs: number },
): Promise<Map<string, AdoptionPreview>> {
  // Files zk does not track yet, or only as DETECTED (the real run plans those afresh).
  const untracked = (id: string) => stateOf(id) === undefined || stateOf(id) === 'DETECTED';
  if (!adoption || uploadDisabledReason(m, account) || segment.files.every((f) => !untracked(f.id))) return new Map();
  const complete = new Map([...plans].filter(([id]) => {
    const f = segment.files.find((x) => x.id === id)!;
    return untracked(id) && isComplete({ zoomStatus: f.status, fileSize: f.fileSize });
  }));
  try {
    return await previewSegmentAdoption(adoption.lookup, m, segment, complete, opts, adoption.entries);
  } catch (err) {
    plan.errors.push(`${account.name} ${m.uuid} ${segment.recordingStart}: Kaltura lookup for adoption failed: ${errorMessage(err)}`);
    return new Map();
  }
}
