/**
 * Scheduled backfills (global.backfills): node-cron re-scans each configured
 * window inside the daemon. A backfill only lists and records (the daemon's
 * own loop then transfers), under the shared 'import' lease, so it never
 * overlaps itself, another backfill or a `zk import-legacy`.
 */
import cron from 'node-cron';
import { hostname } from 'node:os';
import type { Config } from '../config/schema.js';
import type { Engine } from '../ingest/engine.js';
import type { Db } from '../store/db.js';
import type { Clock } from '../util/clock.js';
import type { Log } from '../log/port.js';
import { errorMessage } from '../ingest/failures.js';
import { runImport, type ImportSummary } from '../ops/import/run-import.js';
import { quietProgress } from '../ops/import/progress.js';
import { sharedAbortController } from '../util/abort.js';

export interface BackfillSchedules {
  stop(): void;
  /** Resolves when no backfill is running. */
  idle(): Promise<void>;
  /** Runs backfill `index` now (what the schedule does); for tests and operators. */
  runNow(index: number): Promise<ImportSummary | undefined>;
}

export interface BackfillDeps {
  config: Config;
  db: Db;
  clock: Clock;
  logger: Log;
  engine: Engine;
  /** Lease owner of the engine's rows ('daemon'). */
  owner: string;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function startBackfillSchedules(deps: BackfillDeps): BackfillSchedules {
  const { config, logger } = deps;
  const enabled = config.accounts.filter((a) => a.enabled).map((a) => a.name);
  const running = new Set<Promise<unknown>>();
  const controller = sharedAbortController();
  // Each run holds the shared lease under its own name: with one name per process, a schedule firing
  // while the previous run (or another schedule's run) is still going would re-acquire its own lease and overlap.
  let runs = 0;

  async function runNow(index: number): Promise<ImportSummary | undefined> {
    const b = config.global.backfills[index];
    if (!b) throw new RangeError(`no backfill #${index}`);
    const accounts = (b.accounts ?? enabled).filter((a) => enabled.includes(a));
    const now = deps.clock.now();
    try {
      const summary = await runImport(
        { db: deps.db, engine: deps.engine, clock: deps.clock, owner: deps.owner, lockOwner: `daemon-backfill:${hostname()}:${process.pid}:${index}:${++runs}`, progress: quietProgress() },
        { accounts, from: day(now - b.window), to: day(now), resume: false, work: false, signal: controller.signal },
      );
      logger.info('backfill finished', { schedule: b.schedule, from: summary.from, to: summary.to, windows: summary.windows, newFiles: summary.newFiles });
      return summary;
    } catch (err) {
      // Most often: an import or an earlier backfill still holds the lease. The next tick tries again.
      logger.warn('backfill skipped', { schedule: b.schedule, error: errorMessage(err) });
      return undefined;
    }
  }

  const tasks = config.global.backfills.map((b, i) =>
    cron.schedule(b.schedule, () => {
      const p = runNow(i).finally(() => running.delete(p));
      running.add(p);
    }, { timezone: 'UTC' } as Parameters<typeof cron.schedule>[2]),
  );

  return {
    stop() {
      controller.abort(new Error('daemon stopping'));
      for (const t of tasks) void t.stop();
    },
    async idle() {
      await Promise.allSettled([...running]);
    },
    runNow,
  };
}
