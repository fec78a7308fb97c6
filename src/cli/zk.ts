/** The `zk` CLI: every operator command, registered on one commander program. */
import type { Command } from 'commander';
import { systemClock } from '../util/clock.js';
import { createCliContext } from './runtime.js';
import type { CliContext } from './context.js';
import { exitCodesHelp, type Io } from './exit.js';
import { baseProgram, parseProgram } from './program.js';
import { packageVersion } from './version.js';
import { registerConfigCommand } from './commands/config.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerSandboxCommand } from './commands/sandbox.js';
import { registerStatusCommand } from './commands/status.js';
import { registerFilesCommand } from './commands/files.js';
import { registerAccountsCommand } from './commands/accounts.js';
import { registerUsersCommand } from './commands/users.js';
import { registerImportLegacyCommand } from './commands/import-legacy.js';
import { registerBackfillCommand } from './commands/backfill.js';

/** Builds the program around a context; tests pass their own context and Io. */
export function buildZkProgram(ctxFor: (program: Command) => CliContext, io: Io): Command {
  const program = baseProgram('zk', 'zk: move Zoom cloud recordings into Kaltura (operator commands)', packageVersion(), io)
    .option('-c, --config <path>', 'config file (default: $ZK_CONFIG, then ./config/zk.yaml)')
    // -c/--config belongs to the program but works after any sub-command, so every sub-command's help lists it.
    .configureHelp({ showGlobalOptions: true });
  const ctx = ctxFor(program);
  registerConfigCommand(program, ctx);
  registerMigrateCommand(program, ctx);
  registerStatusCommand(program, ctx);
  registerFilesCommand(program, ctx);
  registerAccountsCommand(program, ctx);
  registerUsersCommand(program, ctx);
  registerImportLegacyCommand(program, ctx);
  registerBackfillCommand(program, ctx);
  registerSandboxCommand(program, ctx);
  program.addHelpText('after', exitCodesHelp('zk'));
  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  const io: Io = { stdout: process.stdout, stderr: process.stderr };
  const program = buildZkProgram(
    (p) =>
      createCliContext({
        io,
        isTTY: process.stdout.isTTY === true,
        env: process.env,
        clock: systemClock(),
        configPath: () => p.opts<{ config?: string }>().config,
      }),
    io,
  );
  await parseProgram(program, argv, io);
}
