/**
 * The drop-folder engine: poll → work (transfer, verify) → purge, per account,
 * isolated from each other. The daemon only wires it: `createEngine(deps)` and
 * `start()`/`stop()`; the CLI may call the one-shot methods.
 */
import PQueue from 'p-queue';
import type { Clock } from '../util/clock.js';
import type { Config } from '../config/schema.js';
import type { EventActor } from './store-port/events.js';
import { createAccountGate } from './account-gate.js';
import type { EntryPolicyResolver } from './ports.js';
import { basicPolicy } from './basic-policy.js';
import { wrapCrashPoint, type EngineAccount, type EngineContext, type EngineObserver, type Repos } from './context.js';
import { silentLog, type Log } from '../log/port.js';
import type { CrashPoint } from './crash-points.js';
import { SimulatedCrash } from './crash-points.js';
import { recordMeeting, runPollCycle, type PollResult } from './poller.js';
import type { DateWindow } from './ports.js';
import { processFile, type StepOutcome } from './process-file.js';
import { runPurgeCycle, type PurgeBudget, type PurgeResult } from './purge.js';
import { errorMessage } from './failures.js';
import { MAX_TEXT_BYTES } from './transfer-assets.js';
import { ignoreStrandedAssets } from './stranded-assets.js';
import { sharedAbortController } from '../util/abort.js';

export interface EngineDeps {
  /** Every repository the engine reads and writes (the composition root builds them with the store's createRepos). */
  repos: Repos;
  clock: Clock;
  /** The validated config's `global` and `kaltura` sections (only the keys used below are read). */
  config: {
    global: Pick<Config['global'], 'pollInterval' | 'lookback' | 'concurrency' | 'retry' | 'deleteCapPerRun' | 'importTimeout'> &
      Partial<Pick<Config['global'], 'haltRetryInterval' | 'parentViewWait' | 'maxTextAssetMb'>>;
    kaltura: Pick<Config['kaltura'], 'transferMode' | 'chunkSizeMb' | 'conversionProfileId' | 'durationTolerance' | 'actionBlockedFreeRetries'> & Partial<Pick<Config['kaltura'], 'indexLag'>>;
  };
  /** Enabled accounts, each with its own source and sink instances. */
  accounts: EngineAccount[];
  /** Defaults to basicPolicy(). */
  policy?: EntryPolicyResolver;
  /** Recorded on every event; also the default lease owner. Default 'daemon'. */
  actor?: EventActor;
  /** Lease owner for rows and scans. Keep it stable per role ('daemon', 'import') so a restart reclaims its own leases at once. */
  owner?: string;
  random?: () => number;
  crashPoint?: CrashPoint;
  log?: Log;
  /** Outcome hooks (metrics). */
  observer?: EngineObserver;
  /** Row/scan lease time-to-live, renewed after every chunk. Default 10 minutes. */
  leaseTtlMs?: number;
  /** How often the loop runs work and purge between polls. Default 10 s. */
  workIntervalMs?: number;
  /** Overrides the chunk size in bytes (tests); default kaltura.chunkSizeMb MiB. */
  chunkSizeBytes?: number;
  /** Largest caption/chat file accepted. Default 20 MiB. */
  maxCaptionBytes?: number;
}

export interface WorkResult {
  processed: number;
  outcomes: Partial<Record<StepOutcome, number>>;
}

export interface AccountStatus {
  name: string;
  /** Set while a FatalError keeps the account stopped (also between its periodic re-tries); cleared by a success or resumeAccount. */
  haltedBy?: string;
  /** Epoch ms until which polls and purges wait (Zoom's daily limit), while in force. */
  pausedUntil?: number;
}

export interface Engine {
  readonly repos: Repos;
  /** Lists and records one account's recordings (skips a halted account). */
  pollOnce(account: string, signal?: AbortSignal): Promise<PollResult>;
  /**
   * Lists one explicit date window (at most a month) of an account and records
   * it with the poller's rules; the cursor is untouched. Used by import-legacy
   * and backfills. Throws on any listing error: never "no recordings".
   */
  recordWindow(account: string, window: DateWindow, signal?: AbortSignal): Promise<{ meetings: number; newFiles: number }>;
  /** Polls every account concurrently; one account's failure never affects another. */
  pollAll(): Promise<PollResult[]>;
  /** Runs every due transfer/verification (parents before children) until nothing more is due. */
  workOnce(): Promise<WorkResult>;
  /** Schedules and performs due deletions, within the per-run cap. */
  purgeOnce(): Promise<PurgeResult[]>;
  /** Starts the interval loop (poll every pollInterval, work+purge every workInterval); ticks never overlap. */
  start(): void;
  /** Stops the loop and aborts in-flight transfers (rows stay resumable). Idempotent. */
  stop(): Promise<void>;
  reviveFailed(fileId: number, actor?: EventActor): boolean;
  accountStatus(): AccountStatus[];
  resumeAccount(name: string): void;
}

const DEFAULT_LEASE_TTL = 10 * 60_000;
const DEFAULT_HALT_RETRY = 15 * 60_000;
const DEFAULT_PARENT_VIEW_WAIT = 12 * 3_600_000;
const MAX_WORK_ROUNDS = 4;
const DUE_BATCH = 200;

export function createEngine(deps: EngineDeps): Engine {
  const clock = deps.clock;
  const repos = deps.repos;
  const g = deps.config.global;
  const actor = deps.actor ?? 'daemon';
  const ctx: EngineContext = {
    repos,
    clock,
    actor,
    owner: deps.owner ?? actor,
    random: deps.random ?? Math.random,
    log: deps.log ?? silentLog(),
    observer: deps.observer ?? {},
    policy: deps.policy ?? basicPolicy(),
    crash: wrapCrashPoint(deps.crashPoint),
    settings: {
      retry: g.retry,
      pollIntervalMs: g.pollInterval,
      lookbackMs: g.lookback,
      importTimeoutMs: g.importTimeout,
      deleteCapPerRun: g.deleteCapPerRun,
      transferMode: deps.config.kaltura.transferMode,
      chunkSizeBytes: deps.chunkSizeBytes ?? deps.config.kaltura.chunkSizeMb * 1024 * 1024,
      conversionProfileId: deps.config.kaltura.conversionProfileId,
      leaseTtlMs: deps.leaseTtlMs ?? DEFAULT_LEASE_TTL,
      maxCaptionBytes: deps.maxCaptionBytes ?? (g.maxTextAssetMb !== undefined ? g.maxTextAssetMb * 1024 * 1024 : MAX_TEXT_BYTES),
      indexLagMs: deps.config.kaltura.indexLag ?? 0,
      parentViewWaitMs: g.parentViewWait ?? DEFAULT_PARENT_VIEW_WAIT,
      durationToleranceMs: deps.config.kaltura.durationTolerance,
      actionBlockedFreeRetries: deps.config.kaltura.actionBlockedFreeRetries,
    },
  };
  const byName = new Map(deps.accounts.map((a) => [a.config.name, a]));
  for (const a of deps.accounts) {
    repos.accounts.ensure({ name: a.config.name, zoomAccountId: a.config.credentials.accountId, description: a.config.description, enabled: a.config.enabled });
  }
  const globalQueue = new PQueue({ concurrency: g.concurrency.transfers });
  const accountQueues = new Map(deps.accounts.map((a) => [a.config.name, new PQueue({ concurrency: g.concurrency.perAccount })]));
  const gate = createAccountGate({ state: repos.accountState, clock, log: ctx.log, haltRetryMs: g.haltRetryInterval ?? DEFAULT_HALT_RETRY });
  // A start is a deliberate retry (the config may have been fixed).
  gate.probeAllNow(deps.accounts.map((a) => a.config.name));
  const halted = { has: (name: string) => gate.haltedNow(name) !== undefined };
  let controller = sharedAbortController();
  let loop: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;

  const haltAccount = (name: string) => (err: unknown) => gate.onAccountError(name, err);

  function account(name: string): EngineAccount {
    const acct = byName.get(name);
    if (!acct) throw new TypeError(`unknown account ${JSON.stringify(name)}; configured: ${[...byName.keys()].join(', ')}`);
    return acct;
  }

  async function pollOnce(name: string, signal?: AbortSignal): Promise<PollResult> {
    const acct = account(name);
    const halt = gate.haltedNow(name);
    if (halt) return { account: name, ok: false, windows: 0, meetings: 0, newFiles: 0, error: `halted: ${halt.reason}` };
    const paused = gate.pausedUntil(name);
    if (paused !== undefined) return { account: name, ok: false, windows: 0, meetings: 0, newFiles: 0, error: `paused until ${new Date(paused).toISOString()}` };
    const started = clock.now();
    const result = await runPollCycle(ctx, acct, signal ?? controller.signal, haltAccount(name));
    if (result.ok) gate.onSuccess(name, 'zoom');
    ctx.observer.pollCycle?.({ account: name, durationMs: clock.now() - started, ok: result.ok });
    return result;
  }

  async function recordWindow(name: string, window: DateWindow, signal?: AbortSignal): Promise<{ meetings: number; newFiles: number }> {
    const acct = account(name);
    const meetings = await acct.source.listRecordings(window, signal ?? controller.signal);
    ctx.crash('after-window-listed');
    let newFiles = 0;
    for (const meeting of meetings) newFiles += recordMeeting(ctx, acct, meeting);
    return { meetings: meetings.length, newFiles };
  }

  async function workOnce(): Promise<WorkResult> {
    const result: WorkResult = { processed: 0, outcomes: {} };
    const seen = new Set<number>();
    let crash: SimulatedCrash | undefined;
    for (const acct of deps.accounts) if (!halted.has(acct.config.name)) ignoreStrandedAssets(ctx, acct.config.name);
    for (let round = 0; round < MAX_WORK_ROUNDS && !crash; round++) {
      const tasks: Array<Promise<void>> = [];
      for (const acct of deps.accounts) {
        const name = acct.config.name;
        if (halted.has(name)) continue;
        for (const row of repos.files.listDue(name, ctx.owner, DUE_BATCH)) {
          // IMPORTING files are checked once per cycle; a transfer is attempted once per cycle.
          if (seen.has(row.id)) continue;
          seen.add(row.id);
          const task = accountQueues.get(name)!.add(() =>
            globalQueue.add(async () => {
              if (halted.has(name) || controller.signal.aborted || crash) return;
              if (!repos.files.claim(row.id, ctx.owner, ctx.settings.leaseTtlMs)) return;
              const outcome = await processFile(ctx, acct, row.id, controller.signal, haltAccount(name));
              // Kaltura took the file: a Kaltura halt on record (e.g. an invalid KS, since fixed) is over.
              if (outcome === 'importing' || outcome === 'handled') gate.onSuccess(name, 'kaltura');
              result.processed++;
              result.outcomes[outcome] = (result.outcomes[outcome] ?? 0) + 1;
              ctx.observer.fileWorked?.({ account: name, fileId: row.id, outcome });
            }),
          );
          tasks.push(
            task.catch((err: unknown) => {
              if (err instanceof SimulatedCrash) {
                crash = err;
                controller.abort(err);
                return;
              }
              ctx.log.error('unexpected work error', { account: name, fileId: row.id, error: errorMessage(err) });
            }),
          );
        }
      }
      if (tasks.length === 0) break;
      await Promise.all(tasks);
    }
    if (crash) throw crash;
    return result;
  }

  async function purgeOnce(): Promise<PurgeResult[]> {
    const budget: PurgeBudget = { remaining: g.deleteCapPerRun, capReached: false };
    const results: PurgeResult[] = [];
    for (const acct of deps.accounts) {
      const name = acct.config.name;
      if (halted.has(name) || gate.pausedUntil(name) !== undefined) continue;
      try {
        results.push(await runPurgeCycle(ctx, acct, budget, haltAccount(name)));
      } catch (err) {
        if (err instanceof SimulatedCrash) throw err;
        repos.accounts.recordError(name, `purge failed: ${errorMessage(err)}`);
        ctx.log.error('purge failed', { account: name, error: errorMessage(err) });
      }
    }
    return results;
  }

  async function pollAll(): Promise<PollResult[]> {
    const settled = await Promise.allSettled(deps.accounts.map((a) => pollOnce(a.config.name)));
    const crash = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected' && s.reason instanceof SimulatedCrash);
    if (crash) throw crash.reason;
    return settled.map((s, i) =>
      s.status === 'fulfilled' ? s.value : { account: deps.accounts[i].config.name, ok: false, windows: 0, meetings: 0, newFiles: 0, error: errorMessage(s.reason) },
    );
  }

  async function run(signal: AbortSignal): Promise<void> {
    let nextPoll = 0;
    const workInterval = deps.workIntervalMs ?? 10_000;
    while (!signal.aborted) {
      try {
        if (clock.now() >= nextPoll) {
          nextPoll = clock.now() + g.pollInterval;
          await pollAll();
        }
        if (!signal.aborted) await workOnce();
        if (!signal.aborted) await purgeOnce();
      } catch (err) {
        if (err instanceof SimulatedCrash) throw err;
        ctx.log.error('engine tick failed', { error: errorMessage(err) });
      }
      const wait = Math.max(0, Math.min(workInterval, nextPoll - clock.now()));
      await clock.sleep(wait, signal).catch(() => undefined);
    }
  }

  return {
    repos,
    pollOnce,
    recordWindow,
    pollAll,
    workOnce,
    purgeOnce,
    start() {
      if (loop) return;
      if (controller.signal.aborted) controller = sharedAbortController();
      stopping = undefined;
      loop = run(controller.signal);
    },
    stop() {
      if (stopping) return stopping;
      controller.abort(new Error('engine stopping'));
      stopping = (async () => {
        try {
          await loop;
        } catch (err) {
          ctx.log.error('engine loop ended with an error', { error: errorMessage(err) });
        }
        await Promise.all([globalQueue.onIdle(), ...[...accountQueues.values()].map((q) => q.onIdle())]);
        loop = undefined;
      })();
      return stopping;
    },
    reviveFailed: (fileId, by = 'cli') => repos.files.reviveFailed(fileId, by),
    accountStatus: () =>
      deps.accounts.map((a) => ({ name: a.config.name, haltedBy: gate.halt(a.config.name)?.reason, pausedUntil: gate.pausedUntil(a.config.name) })),
    resumeAccount(name) {
      gate.resume(name);
      repos.accounts.clearError(name);
    },
  };
}
