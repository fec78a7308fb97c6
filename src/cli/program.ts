/**
 * Shared commander setup for both binaries: usage errors exit 2 (not
 * commander's 1), --help/--version exit 0, output goes to the given Io.
 */
import { Command, CommanderError } from 'commander';
import { EXIT } from '../errors.js';
import type { Io } from './exit.js';

export function baseProgram(name: string, description: string, version: string, io: Io): Command {
  const program = new Command(name);
  program
    .description(description)
    .version(version, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    // Errors of a command run with --json (or --format json) are JSON on stdout as well.
    .hook('preAction', (_program, command) => {
      const o = command.opts<{ json?: boolean; format?: string }>();
      io.json = o.json === true || o.format === 'json';
    });
  return program;
}

/** Parses argv; commander's own exits become exit codes instead of process.exit. */
export async function parseProgram(program: Command, argv: readonly string[], io?: Io): Promise<void> {
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      const ok = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help';
      process.exitCode = ok ? EXIT.OK : EXIT.USAGE;
      // A script that asked for JSON gets its usage error as JSON too (commander already wrote the text to stderr).
      if (!ok && io && argv.includes('--json')) {
        io.stdout.write(`${JSON.stringify({ error: { code: 'USAGE', message: err.message.replace(/^error: /, '') } }, null, 2)}\n`);
      }
      return;
    }
    throw err;
  }
}
