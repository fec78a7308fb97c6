/** `zk backfill --window 7d [--account …] [--dry-run] [--json]`: a one-off re-scan for system cron. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { runAction } from '../exit.js';
import { usageError } from '../../ops/usage.js';
import { parseDuration } from '../../util/duration.js';
import { runImportCommand, utcToday } from '../import-runtime.js';

const DAY = 86_400_000;

export function registerBackfillCommand(program: Command, ctx: CliContext): void {
  program
    .command('backfill')
    .description('re-scan the last --window of recordings and ingest anything missing (never overlaps an import)')
    .requiredOption('--window <duration>', 'how far back from now, e.g. 7d or 2w')
    .option('--account <name>', 'only this account (default: every enabled account)')
    .option('--dry-run', 'print the plan; write nothing to Zoom, Kaltura or the database')
    .option('--json', 'print one JSON document')
    .action((opts: { window: string; account?: string; dryRun?: boolean; json?: boolean }) =>
      runAction(ctx.io, async () => {
        const ms = parseDuration(opts.window);
        if (ms === undefined || ms < DAY) throw usageError(`--window must be a duration of at least one day such as 7d or 2w, got "${opts.window}"`, '--window');
        const now = ctx.clock.now();
        return runImportCommand(ctx, { from: utcToday(now - ms), to: utcToday(now), account: opts.account, dryRun: opts.dryRun, json: opts.json, resume: false, label: 'backfill' });
      }),
    );
}
