/** `zk status [--account A] [--json]`: per-account state read from the database. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { runAction } from '../exit.js';
import { EXIT } from '../../errors.js';
import { collectStatus, renderStatus } from '../../ops/status.js';
import { assertKnownAccount } from '../../ops/files-query.js';
import { toJson } from '../../ops/format.js';

export function registerStatusCommand(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('per account: enabled, last successful poll, cursor, files per state, oldest pending file, last error')
    .option('--account <name>', 'only this account')
    .option('--json', 'print one JSON document')
    .action((opts: { account?: string; json?: boolean }) =>
      runAction(ctx.io, async () => {
        const { config } = ctx.loadConfig();
        const db = ctx.openStore(config);
        try {
          if (opts.account !== undefined) assertKnownAccount(db, config.accounts.map((a) => a.name), opts.account);
          const now = ctx.clock.now();
          const report = collectStatus(db, config, now, opts.account);
          ctx.io.stdout.write(opts.json ? toJson(report) : renderStatus(report, now));
          return EXIT.OK;
        } finally {
          db.close();
        }
      }),
    );
}
