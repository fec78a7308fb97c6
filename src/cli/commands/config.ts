/** `zk config check`: validate the file and print the effective config, secrets redacted. */
import type { Command } from 'commander';
import { stringify } from 'yaml';
import type { CliContext } from '../context.js';
import { runAction } from '../exit.js';
import { EXIT } from '../../errors.js';
import { effectiveConfig } from '../../config/effective.js';
import { toJson } from '../../ops/format.js';
import { renderWarnings } from '../../config/warnings.js';

export function registerConfigCommand(program: Command, ctx: CliContext): void {
  const config = program.command('config').description('configuration file tools');
  config
    .command('check')
    .description('validate the config (every problem at once, exit 78) and print the effective config with secrets redacted')
    .option('--json', 'print the effective config as JSON instead of YAML')
    .option('--quiet', 'print nothing when the config is valid')
    .action((opts: { json?: boolean; quiet?: boolean }) =>
      runAction(ctx.io, async () => {
        const { config: loaded, file, warnings } = ctx.loadConfig();
        // Warnings never fail the check; they go to stderr so stdout stays the document.
        ctx.io.stderr.write(renderWarnings(warnings ?? []));
        if (opts.quiet) return EXIT.OK;
        const effective = effectiveConfig(loaded);
        ctx.io.stdout.write(opts.json ? toJson(effective) : `# ${file}: valid\n${stringify(effective)}`);
        return EXIT.OK;
      }),
    );
}
