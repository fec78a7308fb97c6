/** `zk users report`: the Zoom user and licence inventory (the Snow Zoom connector's data). */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { runAction } from '../exit.js';
import { EXIT } from '../../errors.js';
import {
  REPORT_FORMATS,
  collectUsersReport,
  renderUsersCsv,
  renderUsersTable,
  type ReportFormat,
} from '../../ops/users-report.js';
import { toJson } from '../../ops/format.js';
import { usageError } from '../../ops/usage.js';

export function registerUsersCommand(program: Command, ctx: CliContext): void {
  const users = program.command('users').description('Zoom users');
  users
    .command('report')
    .description('every Zoom user with plan type, status, last login and client version; totals per plan type')
    .option('--account <name>', 'only this account (default: every enabled account)')
    .option('--format <format>', `output format: ${REPORT_FORMATS.join(' | ')}`, 'table')
    .option('--json', 'same as --format json')
    .option('--include-inactive', 'also list deactivated users')
    .action((opts: { account?: string; format: string; json?: boolean; includeInactive?: boolean }) =>
      runAction(ctx.io, async () => {
        const format = (opts.json ? 'json' : opts.format) as ReportFormat;
        if (!REPORT_FORMATS.includes(format)) {
          throw usageError(`unknown --format "${opts.format}": use one of ${REPORT_FORMATS.join(', ')}`, '--format');
        }
        const { config } = ctx.loadConfig();
        const chosen = opts.account === undefined ? config.accounts.filter((a) => a.enabled) : config.accounts.filter((a) => a.name === opts.account);
        if (opts.account !== undefined && chosen.length === 0) {
          throw usageError(`unknown account "${opts.account}" in --account: use one of ${config.accounts.map((a) => a.name).join(', ')}`, '--account');
        }
        const report = await collectUsersReport(
          chosen.map((a) => ctx.zoomSource(config, a)),
          opts.includeInactive ?? false,
        );
        const out = format === 'json' ? toJson(report) : format === 'csv' ? renderUsersCsv(report) : renderUsersTable(report);
        ctx.io.stdout.write(out);
        return EXIT.OK;
      }),
    );
}
