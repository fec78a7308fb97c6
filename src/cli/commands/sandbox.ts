/** `zk sandbox`: run the bundled Zoom and Kaltura emulators until interrupted. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { runAction } from '../exit.js';
import { EXIT } from '../../errors.js';
import { startSandbox } from '../../sandbox/index.js';
import { usageError } from '../../ops/usage.js';
import { addDeploymentOptions, deploymentFromFlags, describeDeployment, type DeploymentFlags } from '../sandbox-deployment.js';
import { DEFAULT_SANDBOX_DIR, prepareSandboxWorkspace, writeSandboxConfig } from '../sandbox-workspace.js';

/** A fault flag's value: a JSON object, as `POST /_sandbox/faults` takes it. */
function faultsOption(name: string, value: string | undefined): Record<string, unknown> {
  if (value === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw usageError(`${name} must be a JSON object of fault settings such as '{"rate429":0.1}' (see the README's sandbox section), got ${JSON.stringify(value)}`);
  }
  return parsed as Record<string, unknown>;
}

function intOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw usageError(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
  return n;
}

export function registerSandboxCommand(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('sandbox')
    .description('run the bundled Zoom and Kaltura emulators with demo data and write a zk config for them; Ctrl-C stops')
    .option('--dir <path>', 'where the generated zk.yaml and zk.db go; reset on each start, so only a folder zk made for a sandbox (or an empty one) is accepted', DEFAULT_SANDBOX_DIR)
    .option('--zoom-port <port>', 'Zoom emulator port on 127.0.0.1 (default: a free port)')
    .option('--kaltura-port <port>', 'Kaltura emulator port on 127.0.0.1 (default: a free port)')
    .option('--generate <count>', 'also generate this many recordings spread over the past year', '0')
    .option('--generate-from <date>', 'start of the generated recordings (YYYY-MM-DD)')
    .option('--entry-moderation', 'Kaltura moderates new entries: they are PENDING_MODERATION, hidden from lists that name no moderation status')
    .option('--index-lag <ms>', 'Kaltura entry lists see a new entry only this many milliseconds after media.add', '0')
    .option('--zoom-faults <json>', 'initial Zoom faults as a JSON object, e.g. \'{"rate429":0.1,"resetMidDownloadRate":0.05}\' (POST /_sandbox/faults changes them later)')
    .option('--kaltura-faults <json>', 'initial Kaltura faults as a JSON object, e.g. \'{"slowMs":200,"actionBlockedRate":0.05}\'')
    .option('--zoom-integration', "seed Kaltura with entries made by Kaltura's own Zoom integration for about half of the demo recordings (to try switching over)");
  addDeploymentOptions(cmd)
    .action((opts: { dir: string; zoomPort?: string; kalturaPort?: string; generate: string; generateFrom?: string; entryModeration?: boolean; indexLag: string; zoomIntegration?: boolean; zoomFaults?: string; kalturaFaults?: string } & DeploymentFlags) =>
      runAction(ctx.io, async () => {
        const zoomPort = intOption('--zoom-port', opts.zoomPort, 1, 65535);
        const kalturaPort = intOption('--kaltura-port', opts.kalturaPort, 1, 65535);
        const generate = intOption('--generate', opts.generate, 0, 1_000_000) ?? 0;
        const indexLagMs = intOption('--index-lag', opts.indexLag, 0, 3_600_000) ?? 0;
        if (opts.generateFrom !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.generateFrom)) {
          throw usageError(`--generate-from must be a date such as 2023-01-01, got "${opts.generateFrom}"`);
        }
        const zoomFaults = faultsOption('--zoom-faults', opts.zoomFaults);
        const kalturaFaults = faultsOption('--kaltura-faults', opts.kalturaFaults);
        const kalturaDeployment = deploymentFromFlags(opts);
        const ws = prepareSandboxWorkspace(opts.dir, { flag: '--dir' });
        const sandbox = await startSandbox({ zoomPort, kalturaPort, generate, generateFrom: opts.generateFrom && `${opts.generateFrom}T00:00:00Z`,
          zoomFaults,
          kalturaFaults: { ...kalturaFaults, entryModeration: opts.entryModeration === true || kalturaFaults.entryModeration === true, indexLagMs: indexLagMs || Number(kalturaFaults.indexLagMs ?? 0) },
          zoomIntegration: opts.zoomIntegration === true,
          kalturaDeployment,
        });
        writeSandboxConfig(ws, sandbox);
        ctx.io.stdout.write(
          `Zoom emulator:    ${sandbox.zoom.url} (API ${sandbox.zoom.apiUrl})\n` +
            `Kaltura emulator: ${sandbox.kaltura.url}\n` +
            `Kaltura partner:  ${describeDeployment(kalturaDeployment)}\n` +
            `Inspect state:    ${sandbox.zoom.url}/_sandbox/state  ${sandbox.kaltura.url}/_sandbox/state\n` +
            `Config written:   ${ws.configPath}\n` +
            `Try:              zk-daemon start --config ${ws.configPath}\n` +
            `Stop with Ctrl-C.\n`,
        );
        await new Promise<void>((resolve) => {
          const onSignal = () => resolve();
          process.once('SIGINT', onSignal);
          process.once('SIGTERM', onSignal);
        });
        await sandbox.close();
        return EXIT.OK;
      }),
    );
}
