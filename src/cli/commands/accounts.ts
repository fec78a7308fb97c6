/** `zk accounts list` and `zk accounts test` (the "Test connection"). */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { runAction } from '../exit.js';
import { EXIT } from '../../errors.js';
import { listAccounts, renderAccounts } from '../../ops/accounts-list.js';
import { renderChecks, testKaltura, testZoomAccount, type CheckResult } from '../../ops/accounts-test.js';
import { toJson } from '../../ops/format.js';
import { usageError } from '../../ops/usage.js';

export function registerAccountsCommand(program: Command, ctx: CliContext): void {
  const accounts = program.command('accounts').description('configured Zoom accounts and their connection test');

  accounts
    .command('list')
    .description('configured accounts (no secrets), with last successful poll and file counts')
    .option('--json', 'print one JSON document')
    .action((opts: { json?: boolean }) =>
      runAction(ctx.io, async () => {
        const { config } = ctx.loadConfig();
        const db = ctx.openStore(config);
        try {
          const listed = listAccounts(db, config);
          ctx.io.stdout.write(opts.json ? toJson({ accounts: listed }) : renderAccounts(listed));
          return EXIT.OK;
        } finally {
          db.close();
        }
      }),
    );

  accounts
    .command('test')
    .description('check Zoom credentials and every scope zk needs, the Kaltura session, categories and default users')
    .option('--account <name>', 'only this account (default: every configured account)')
    .option('--json', 'print one JSON document')
    .action((opts: { account?: string; json?: boolean }) =>
      runAction(ctx.io, async () => {
        const { config } = ctx.loadConfig();
        const chosen = opts.account === undefined ? config.accounts : config.accounts.filter((a) => a.name === opts.account);
        if (chosen.length === 0) {
          throw usageError(`unknown account "${opts.account}" in --account: use one of ${config.accounts.map((a) => a.name).join(', ')}`, '--account');
        }
        const checks: CheckResult[] = [];
        const now = ctx.clock.now();
        for (const account of chosen) {
          checks.push(...(await testZoomAccount(ctx.zoomSource(config, account), account, { now })));
        }
        checks.push(...(await testKaltura(() => ctx.kalturaSink(config), config, chosen)));
        const ok = checks.every((c) => c.status !== 'FAIL');
        ctx.io.stdout.write(opts.json ? toJson({ ok, checks }) : renderChecks(checks));
        return ok ? EXIT.OK : EXIT.PARTIAL;
      }),
    );
}
