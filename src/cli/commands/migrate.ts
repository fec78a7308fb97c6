/** `zk migrate`: create or upgrade the database (every command also does this on open). */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { runAction } from '../exit.js';
import { EXIT } from '../../errors.js';
import { schemaVersion } from '../../store/migrate.js';

export function registerMigrateCommand(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .description('create the database or apply pending migrations, then print the schema version')
    .action(() =>
      runAction(ctx.io, async () => {
        const { config } = ctx.loadConfig();
        const db = ctx.openStore(config);
        try {
          ctx.io.stdout.write(`${config.global.database}: schema version ${schemaVersion(db)}\n`);
          return EXIT.OK;
        } finally {
          db.close();
        }
      }),
    );
}
