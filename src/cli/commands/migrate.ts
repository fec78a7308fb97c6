/** `zk migrate`: create or upgrade the database (every command also does this on open). */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { runAction } from '../exit.js';
import { EXIT } from '../../errors.js';

export function registerMigrateCommand(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .description('create the database or apply pending migrations, then print the schema version')
    .action(() =>
      runAction(ctx.io, async () => {
        const { config } = ctx.loadConfig();
        const db = ctx.openStore(config);
        try {
          const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
          ctx.io.stdout.write(`${config.global.database}: schema version ${row.v ?? 0}\n`);
          return EXIT.OK;
        } finally {
          db.close();
        }
      }),
    );
}
