/** `zk import-legacy --from YYYY-MM-DD [--to …] [--account …] [--dry-run] [--json]` */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { runAction } from '../exit.js';
import { usageError } from '../../ops/usage.js';
import { checkDate, runImportCommand, utcToday } from '../import-runtime.js';

export function registerImportLegacyCommand(program: Command, ctx: CliContext): void {
  program
    .command('import-legacy')
    .description('import older recordings in month-sized windows, in parallel; resumable, safe next to the daemon')
    .requiredOption('--from <date>', 'first day to import, YYYY-MM-DD (UTC)')
    .option('--to <date>', 'last day to import, YYYY-MM-DD (UTC; default today)')
    .option('--account <name>', 'only this account (default: every enabled account)')
    .option('--dry-run', 'list and print the plan; write nothing to Zoom, Kaltura or the database')
    .option('--json', 'print one JSON document (the plan, or the summary)')
    .action((opts: { from: string; to?: string; account?: string; dryRun?: boolean; json?: boolean }) =>
      runAction(ctx.io, async () => {
        const today = utcToday(ctx.clock.now());
        const from = checkDate('--from', opts.from, today);
        const to = checkDate('--to', opts.to ?? today, today);
        if (to < from) throw usageError(`--to ${to} is before --from ${from}; swap them or widen the range`, '--to');
        return runImportCommand(ctx, { from, to, account: opts.account, dryRun: opts.dryRun, json: opts.json, resume: true, label: 'import-legacy' });
      }),
    );
}
