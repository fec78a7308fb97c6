/**
 * Shared by `zk import-legacy` and `zk backfill`: argument checks, the engine
 * for the chosen accounts (actor and lease owner 'import'), progress, output.
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Config, AccountConfig } from '../config/schema.js';
import { EXIT } from '../errors.js';
import { createEngine } from '../ingest/engine.js';
import type { EngineAccount } from '../ingest/context.js';
import { openDatabase } from '../store/db.js';
import { openConfiguredStore } from '../config/database-path.js';
import { usageError } from '../ops/usage.js';
import { toJson } from '../ops/format.js';
import { planImport, type ImportPlan } from '../ops/import/plan-import.js';
import { runImport, type ImportProgress, type ImportSummary } from '../ops/import/run-import.js';
import { barProgress, lineProgress, quietProgress } from '../ops/import/progress.js';
import { createFileTally } from '../ops/import/file-tally.js';
import { perAccountPolicy } from '../wiring/entry-policy.js';
import { adoptionLookup } from '../wiring/adoption-lookup.js';
import { renderAdoptionLines } from '../ops/import/render-adoption.js';
import { featureHealthFor } from '../ingest/feature-health.js';
import { createAccountStateRepo } from '../store/account-state-repo.js';
import { createRepos } from '../store/repos.js';
import type { CliContext } from './context.js';
import { sharedAbortController } from '../util/abort.js';

export interface ImportCliOptions {
  from: string;
  to: string;
  account?: string;
  dryRun?: boolean;
  json?: boolean;
  /** Legacy import resumes by window; a backfill always re-scans. */
  resume: boolean;
  label: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function utcToday(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

/** Validates a YYYY-MM-DD flag: a real calendar date, not in the future. */
export function checkDate(flag: string, value: string, today: string): string {
  const parsed = Date.parse(`${value}T00:00:00Z`);
  if (!DATE.test(value) || Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 10) !== value) {
    throw usageError(`${flag} must be a date written YYYY-MM-DD (e.g. 2023-01-01), got "${value}"`, flag);
  }
  if (value > today) throw usageError(`${flag} ${value} is in the future (today is ${today} UTC); use a date up to today`, flag);
  return value;
}

export function chooseAccounts(config: Config, name: string | undefined): AccountConfig[] {
  if (name !== undefined) {
    const acct = config.accounts.find((a) => a.name === name);
    if (!acct) throw usageError(`unknown account "${name}" in --account: use one of ${config.accounts.map((a) => a.name).join(', ')}`, '--account');
    if (!acct.enabled) throw usageError(`account "${name}" is disabled (accounts[].enabled: false); enable it first`, '--account');
    return [acct];
  }
  const enabled = config.accounts.filter((a) => a.enabled);
  if (enabled.length === 0) throw usageError('every account is disabled; enable one (accounts[].enabled) or name it with --account');
  return enabled;
}

function progressFor(ctx: CliContext, config: Config, opts: ImportCliOptions): ImportProgress & { close?(): void } {
  if (opts.json) return quietProgress();
  const stderr = ctx.io.stderr as NodeJS.WriteStream;
  if (stderr.isTTY) return barProgress({ out: stderr, clock: ctx.clock, label: opts.label, routeLogs: ctx.routeLogs?.bind(ctx) });
  return lineProgress({ out: ctx.io.stderr, clock: ctx.clock, everyMs: config.global.log.progressInterval, label: opts.label });
}

export function renderPlan(plan: ImportPlan, label = 'import'): string {
  const mb = (b: number) => `${(b / 1_000_000).toFixed(1)} MB`;
  const lines = [
    `dry run: ${label} ${plan.from}..${plan.to} (${plan.accounts.join(', ')}); nothing was written to Zoom, Kaltura or the database`,
    `  windows: ${plan.windows.total} (${plan.windows.alreadyImported} already imported, ${plan.windows.failed} failed to list)`,
    `  recordings listed: ${plan.meetings}`,
    `  would ingest: ${plan.totals.ingest.files} files, ${mb(plan.totals.ingest.bytes)}`,
    `  would skip:   ${plan.totals.skip.files} files, ${mb(plan.totals.skip.bytes)}`,
  ];
  for (const [reason, n] of Object.entries(plan.skipReasons).sort((a, b) => b[1] - a[1])) lines.push(`    ${String(n).padStart(6)}  ${reason}`);
  lines.push(...renderAdoptionLines(plan));
  lines.push(`  already tracked by zk: ${plan.totals.known.files} files; the run would also finish ${plan.unfinished} unfinished files zk tracks`);
  lines.push(`  would later delete from Zoom (after verification and the delay): ${plan.totals.laterDeleted} files`);
  lines.push('  owner and opt-in/opt-out group rules are applied at import time (they need Kaltura lookups); use --json for every file');
  for (const e of plan.errors) lines.push(`  error: ${e}`);
  return `${lines.join('\n')}\n`;
}

export async function runImportCommand(ctx: CliContext, opts: ImportCliOptions): Promise<number> {
  const { config } = ctx.loadConfig();
  const accounts = chooseAccounts(config, opts.account);
  const logger = ctx.logger(config);

  if (opts.dryRun) {
    // Read-only: open the database only if it exists, and never migrate it.
    const db = existsSync(config.global.database) ? openConfiguredStore(config.global.database, (path) => openDatabase(path, { readonly: true })) : undefined;
    try {
      const plan = await planImport(
        {
          accounts,
          sourceFor: (a) => ctx.zoomSource(config, a),
          db,
          resume: opts.resume,
          adoptionFor: () => adoptionLookup(config, ctx.kalturaSink(config)),
          now: ctx.clock.now(),
          importTimeoutMs: config.global.importTimeout,
        },
        opts.from,
        opts.to,
      );
      ctx.io.stdout.write(opts.json ? toJson(plan) : renderPlan(plan, opts.label));
      return plan.windows.failed > 0 || plan.errors.length > 0 ? EXIT.PARTIAL : EXIT.OK;
    } finally {
      db?.close();
    }
  }

  const db = ctx.openStore(config);
  try {
    const engineAccounts: EngineAccount[] = accounts.map((a) => {
      const sink = ctx.kalturaSink(config);
      return { config: a, source: ctx.zoomSource(config, a), sink, integration: adoptionLookup(config, sink) };
    });
    const progress = progressFor(ctx, config, opts);
    const tally = createFileTally(db, accounts.map((a) => a.name), (c) => progress.files(c));
    const engine = createEngine({
      repos: createRepos(db, ctx.clock),
      clock: ctx.clock,
      config: { global: config.global, kaltura: config.kaltura },
      accounts: engineAccounts,
      policy: perAccountPolicy(config, engineAccounts, logger, (name) => featureHealthFor(createAccountStateRepo(db, ctx.clock), name, logger)),
      actor: 'import',
      owner: 'import',
      log: logger,
      observer: { bytesTransferred: ({ bytes }) => progress.bytes(bytes), fileWorked: () => tally.update() },
    });
    const controller = sharedAbortController();
    const onSignal = () => controller.abort(new Error('interrupted'));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let summary: ImportSummary;
    try {
      summary = await runImport(
        { db, engine, clock: ctx.clock, owner: 'import', lockOwner: `${opts.label}:${hostname()}:${process.pid}`, progress, tally },
        { accounts: accounts.map((a) => a.name), from: opts.from, to: opts.to, resume: opts.resume, work: true, signal: controller.signal },
      );
    } finally {
      progress.close?.();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await engine.stop();
    }
    if (opts.json) ctx.io.stdout.write(toJson(summary));
    if (controller.signal.aborted) {
      ctx.io.stderr.write('zk: interrupted; run the same command again to continue where it stopped\n');
      return EXIT.PARTIAL;
    }
    return summary.windows.failed > 0 || summary.failed > 0 ? EXIT.PARTIAL : EXIT.OK;
  } finally {
    db.close();
  }
}
