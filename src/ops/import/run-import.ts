/**
 * Legacy import and backfills: list explicit date windows (at most a month
 * each, in parallel; each account's Zoom source paces itself), record them
 * with the poller's rules through the engine, then transfer and verify with
 * the engine's own work loop. Everything goes through the same SQLite rows as
 * the daemon: row claims (leases) keep the two from working a file twice, and
 * referenceId lookups keep Kaltura free of duplicates. Deletion stays the
 * daemon's job (it applies the delay and the per-run cap).
 */
import PQueue from 'p-queue';
import { EXIT, FatalError } from '../../errors.js';
import type { Engine } from '../../ingest/engine.js';
import type { DateWindow } from '../../ingest/ports.js';
import { splitWindows } from '../../ingest/poller.js';
import { errorMessage } from '../../ingest/failures.js';
import type { Db } from '../../store/db.js';
import { createLeases } from '../../store/leases.js';
import { createImportWindowsRepo } from '../../store/import-windows-repo.js';
import { importFilesReader } from '../../store/import-files-query.js';
import type { Clock } from '../../util/clock.js';
import { createFileTally, OPEN_STATES, type FileTally, type TallyCounts } from './file-tally.js';

/** One lease for every import and backfill, so they never overlap each other. */
export const IMPORT_LEASE = 'import';
const LEASE_TTL_MS = 2 * 60_000;

export interface ImportProgress {
  windowsStarted(total: number, skipped: number): void;
  windowDone(info: { account: string; window: DateWindow; meetings: number; newFiles: number; error?: string }): void;
  transferStarted(files: number): void;
  /** After every file event (a file worked, or a round's re-count): the files done and the true total. */
  files(counts: TallyCounts): void;
  transferRound(info: { processed: number; remaining: number }): void;
  bytes(n: number): void;
  finished(summary: ImportSummary): void;
}

export interface ImportRequest {
  accounts: string[];
  from: string;
  to: string;
  /** Skip windows a previous run completed, and record completed ones (legacy import). Backfills re-scan. */
  resume: boolean;
  /** Transfer and verify here (CLI); false inside the daemon, whose own loop does the work. */
  work: boolean;
  /** Windows listed at once. */
  concurrency?: number;
  signal?: AbortSignal;
}

export interface ImportSummary {
  accounts: string[];
  from: string;
  to: string;
  windows: { total: number; skipped: number; listed: number; failed: number };
  meetings: number;
  newFiles: number;
  /** Work steps run (a file that is uploaded, then verified, counts twice). */
  processed: number;
  /** Files of these accounts that needed work when the transfer phase started (or appeared during it): done + remaining = total. */
  transfer: TallyCounts;
  /** File states of the imported accounts after the run. */
  states: Record<string, number>;
  /** Files left for later: retrying, or still converting in Kaltura (the daemon or a re-run finishes them). */
  pending: number;
  failed: number;
  errors: string[];
  durationMs: number;
}

export interface ImportDeps {
  db: Db;
  engine: Engine;
  clock: Clock;
  /** The engine's row-lease owner. */
  owner: string;
  /** Holder of the import lease: unique per process (e.g. import:host:pid). */
  lockOwner: string;
  progress: ImportProgress;
  /** Counts the transfer phase; give one wired to the engine's per-file events for live progress. */
  tally?: FileTally;
}

function lockImport(db: Db, clock: Clock, owner: string): () => void {
  const leases = createLeases(db, clock);
  if (!leases.tryAcquire(IMPORT_LEASE, owner, LEASE_TTL_MS)) {
    const holder = leases.holder(IMPORT_LEASE);
    throw new FatalError(`another import or backfill is running (${holder?.owner ?? 'unknown'}); wait for it to finish, it covers the same rows`, {
      code: 'IMPORT_LOCKED',
      source: 'cli',
      exitCode: EXIT.LOCKED,
    });
  }
  const timer = setInterval(() => leases.renew(IMPORT_LEASE, owner, LEASE_TTL_MS), LEASE_TTL_MS / 4);
  timer.unref();
  return () => {
    clearInterval(timer);
    leases.release(IMPORT_LEASE, owner);
  };
}

export async function runImport(deps: ImportDeps, req: ImportRequest): Promise<ImportSummary> {
  const { db, engine, clock, progress } = deps;
  const started = clock.now();
  const release = lockImport(db, clock, deps.lockOwner);
  const windowsRepo = createImportWindowsRepo(db, clock);
  const summary: ImportSummary = {
    accounts: req.accounts,
    from: req.from,
    to: req.to,
    windows: { total: 0, skipped: 0, listed: 0, failed: 0 },
    meetings: 0,
    newFiles: 0,
    processed: 0,
    transfer: { total: 0, done: 0, remaining: 0 },
    states: {},
    pending: 0,
    failed: 0,
    errors: [],
    durationMs: 0,
  };
  try {
    const todo: Array<{ account: string; window: DateWindow }> = [];
    for (const account of req.accounts) {
      for (const window of splitWindows(req.from, req.to)) {
        summary.windows.total++;
        if (req.resume && windowsRepo.isDone(account, window.from, window.to)) summary.windows.skipped++;
        else todo.push({ account, window });
      }
    }
    progress.windowsStarted(summary.windows.total, summary.windows.skipped);
    const queue = new PQueue({ concurrency: req.concurrency ?? 4 });
    await Promise.all(
      todo.map(({ account, window }) =>
        queue.add(async () => {
          if (req.signal?.aborted) return;
          try {
            const r = await engine.recordWindow(account, window, req.signal);
            if (req.resume) windowsRepo.markDone(account, window.from, window.to, { meetings: r.meetings, files: r.newFiles });
            summary.windows.listed++;
            summary.meetings += r.meetings;
            summary.newFiles += r.newFiles;
            progress.windowDone({ account, window, ...r });
          } catch (err) {
            // The window stays not-done, so a re-run lists it again; never read as "no recordings".
            summary.windows.failed++;
            summary.errors.push(`${account} ${window.from}..${window.to}: ${errorMessage(err)}`);
            progress.windowDone({ account, window, meetings: 0, newFiles: 0, error: errorMessage(err) });
          }
        }),
      ),
    );

    if (req.work) await workUntilDone(engine, deps, req, summary);
  } finally {
    release();
  }
  summary.states = importFilesReader(db, req.accounts).countsByState();
  summary.pending = OPEN_STATES.reduce((n, s) => n + (summary.states[s] ?? 0), 0);
  summary.failed = summary.states.FAILED ?? 0;
  summary.durationMs = clock.now() - started;
  progress.finished(summary);
  return summary;
}

async function workUntilDone(engine: Engine, deps: ImportDeps, req: ImportRequest, summary: ImportSummary): Promise<void> {
  const { clock, progress } = deps;
  const tally = deps.tally ?? createFileTally(deps.db, req.accounts, (c) => progress.files(c));
  const anyDue = () => req.accounts.some((a) => engine.repos.files.listDue(a, deps.owner, 1).length > 0);
  progress.transferStarted(tally.start().total);
  while (!req.signal?.aborted) {
    if (!anyDue()) break;
    const r = await engine.workOnce();
    summary.processed += r.processed;
    const c = tally.update()!;
    progress.transferRound({ processed: r.processed, remaining: c.remaining });
    // Only conversions are pending in Kaltura: check again shortly instead of spinning.
    if (r.processed === 0 || (r.outcomes.waiting ?? 0) === r.processed) await clock.sleep(500, req.signal).catch(() => undefined);
  }
  summary.transfer = { ...(tally.update() ?? tally.counts()) };
}
