/**
 * The daemon's composition root: one instance per database (lease lock), one
 * engine over every enabled account, the health/metrics server, scheduled
 * backfills and signal handling. Everything is constructed here and torn down
 * in reverse order; nothing lives at module level.
 */
import type { Config } from '../config/schema.js';
import { EXIT } from '../errors.js';
import { createEngine, type Engine } from '../ingest/engine.js';
import type { EngineAccount } from '../ingest/context.js';
import type { CrashPoint } from '../ingest/crash-points.js';
import { createMetrics, type Metrics } from '../metrics/metrics.js';
import { startHealthServer, type HealthServer } from '../metrics/health-server.js';
import { openStore } from '../store/migrate.js';
import { openConfiguredStore } from '../config/database-path.js';
import { startBacklogLog } from './backlog.js';
import { createLeases } from '../store/leases.js';
import { createFilesRepo } from '../store/files-repo.js';
import { createAccountHealthRecorder } from '../store/account-health-repo.js';
import { createAccountStateRepo } from '../store/account-state-repo.js';
import { createRepos } from '../store/repos.js';
import { featureHealthFor } from '../ingest/feature-health.js';
import type { Db } from '../store/db.js';
import type { Clock } from '../util/clock.js';
import { kalturaSinkFor, zoomSourceFor } from '../wiring/adapters.js';
import { perAccountPolicy } from '../wiring/entry-policy.js';
import { adoptionLookup } from '../wiring/adoption-lookup.js';
import type { Log } from '../log/port.js';
import { acquireInstanceLock, type InstanceLock } from './instance-lock.js';
import { startBackfillSchedules, type BackfillSchedules } from './backfills.js';

export interface DaemonOptions {
  config: Config;
  clock: Clock;
  logger: Log;
  /** Run cycles until nothing is due, then exit (cron-style use, tests). */
  exitWhenIdle?: boolean;
  crashPoint?: CrashPoint;
  /** Called once the daemon holds the lock and serves health (tests, the sandbox banner). */
  onStarted?: (info: { metricsUrl?: string }) => void;
  /** Work loop period between polls; default 10 s. */
  workIntervalMs?: number;
  /** Lock heartbeat TTL; default 60 s (a SIGKILLed daemon's lock frees itself after this). */
  lockTtlMs?: number;
}

export interface Daemon {
  /** Resolves when the daemon has stopped (after stop(), or when idle with exitWhenIdle). */
  done: Promise<number>;
  /** Graceful stop: in-flight work finishes or is abandoned resumably, within global.shutdownTimeout. */
  stop(reason: string): Promise<number>;
  metricsUrl?: string;
}

/** Nothing is due now: no transfer, verification, retry or deletion (future retries and delays don't count). */
function isIdle(db: Db, clock: Clock, owner: string, accounts: string[]): boolean {
  const files = createFilesRepo(db, clock);
  return accounts.every((a) => files.listDue(a, owner, 1).length === 0 && files.listPurgeDue(a, owner, 1).length === 0);
}

export async function startDaemon(opts: DaemonOptions): Promise<Daemon> {
  const { config, clock, logger } = opts;
  const g = config.global;
  const db = openConfiguredStore(g.database, (path) => openStore(path));
  let lock: InstanceLock | undefined;
  let health: HealthServer | undefined;
  let backfills: BackfillSchedules | undefined;
  let engine: Engine | undefined;
  try {
    lock = acquireInstanceLock(createLeases(db, clock), { ttlMs: opts.lockTtlMs ?? 60_000, now: () => clock.now() });
    const metrics: Metrics | undefined = g.metrics.enabled ? createMetrics(db, { now: () => clock.now() }) : undefined;
    // Token and rate-limit health per account, for `zk status` (written to SQLite, read by any process).
    const zoomHealth = createAccountHealthRecorder(db, clock);
    const accountState = createAccountStateRepo(db, clock);
    const accounts: EngineAccount[] = config.accounts
      .filter((a) => a.enabled)
      .map((a) => {
        const sink = kalturaSinkFor(config, { clock, logger, metrics });
        return { config: a, source: zoomSourceFor(config, a, { clock, logger, metrics, health: zoomHealth }), sink, integration: adoptionLookup(config, sink) };
      });
    engine = createEngine({
      repos: createRepos(db, clock),
      clock,
      config: { global: g, kaltura: config.kaltura },
      accounts,
      // A missing scope on an optional feature degrades that feature only (recorded for status and metrics).
      policy: perAccountPolicy(config, accounts, logger, (name) => featureHealthFor(accountState, name, logger)),
      actor: 'daemon',
      owner: 'daemon',
      log: logger,
      observer: metrics,
      crashPoint: opts.crashPoint,
      workIntervalMs: opts.workIntervalMs,
    });
    const running = engine;
    if (metrics) {
      health = await startHealthServer({
        listen: g.metrics.listen,
        metrics,
        // Not ready while any account is halted by a fatal error: each halted account is named.
        ready: () => {
          const halted = running.accountStatus().filter((a) => a.haltedBy);
          return { ready: halted.length === 0, detail: halted.map((a) => `account ${a.name} halted: ${a.haltedBy}`) };
        },
      });
    }
    backfills = startBackfillSchedules({ config, db, clock, logger, engine, owner: 'daemon' });
  } catch (err) {
    backfills?.stop();
    await health?.close();
    lock?.release();
    db.close();
    throw err;
  }

  const eng = engine;
  logger.info('zk daemon started', {
    accounts: config.accounts.filter((a) => a.enabled).map((a) => a.name),
    database: g.database,
    metrics: health?.url,
    transferMode: config.kaltura.transferMode,
  });
  opts.onStarted?.({ metricsUrl: health?.url });
  const stopBacklog = startBacklogLog({ db, clock, logger, accounts: config.accounts.filter((a) => a.enabled).map((a) => a.name), intervalMs: g.log.backlogInterval });

  let finish!: (code: number) => void;
  const done = new Promise<number>((resolve) => (finish = resolve));
  let stopping: Promise<number> | undefined;
  const idleAbort = new AbortController();

  const stop = (reason: string, code: number = EXIT.OK): Promise<number> => {
    if (stopping) return stopping;
    logger.info('zk daemon stopping', { reason });
    idleAbort.abort();
    stopBacklog();
    stopping = (async () => {
      backfills?.stop();
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), g.shutdownTimeout).unref());
      const outcome = await Promise.race([eng.stop().then(() => 'stopped' as const), timeout]);
      if (outcome === 'timeout') {
        // Rows keep their state and leases; the next start reclaims them.
        logger.warn('shutdown timeout reached; abandoning in-flight work (it resumes on restart)', { timeoutMs: g.shutdownTimeout });
      }
      await backfills?.idle();
      await health?.close();
      lock?.release();
      db.close();
      logger.info('zk daemon stopped', { reason });
      finish(code);
      return code;
    })();
    return stopping;
  };

  if (opts.exitWhenIdle) {
    void (async () => {
      try {
        await eng.pollAll();
        while (!idleAbort.signal.aborted) {
          await eng.workOnce();
          await eng.purgeOnce();
          // A halted or paused account's due rows wait for it; they must not keep a one-shot run alive.
          const active = eng.accountStatus().filter((a) => !a.haltedBy && a.pausedUntil === undefined).map((a) => a.name);
          if (isIdle(db, clock, 'daemon', active)) break;
          await clock.sleep(Math.min(opts.workIntervalMs ?? 250, 1000), idleAbort.signal).catch(() => undefined);
        }
        const halted = eng.accountStatus().filter((a) => a.haltedBy);
        for (const a of halted) logger.error('account halted', { account: a.name, reason: a.haltedBy });
        await stop('idle', halted.length > 0 ? EXIT.PARTIAL : EXIT.OK);
      } catch (err) {
        logger.error('daemon cycle failed', { error: err instanceof Error ? err.message : String(err) });
        await stop('error', EXIT.FAILURE);
      }
    })();
  } else {
    eng.start();
  }

  return { done, stop, metricsUrl: health?.url };
}
