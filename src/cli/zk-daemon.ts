/** The `zk-daemon` binary: `start` runs the ingest daemon until signalled. */
import { loadConfig } from '../config/load.js';
import { configSecrets } from '../config/effective.js';
import { crashPointFromEnv } from '../ingest/crash-points.js';
import { closeLogger, createLogger } from '../log/logger.js';
import { startDaemon } from '../daemon/daemon.js';
import { installSignalHandlers } from '../daemon/signals.js';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { systemClock } from '../util/clock.js';
import { exitCodesHelp, runAction, type Io } from './exit.js';
import { baseProgram, parseProgram } from './program.js';
import { packageVersion } from './version.js';
import { DEFAULT_SANDBOX_DIR, prepareSandboxWorkspace, writeSandboxConfig } from './sandbox-workspace.js';

interface StartOptions {
  config?: string;
  sandbox?: boolean;
  sandboxDir: string;
  exitWhenIdle?: boolean;
}

async function start(io: Io, opts: StartOptions): Promise<number> {
  const env = process.env;
  const clock = systemClock();
  let sandbox: Sandbox | undefined;
  let configPath = opts.config;
  if (opts.sandbox) {
    if (opts.config) io.stderr.write('zk-daemon: --sandbox writes its own config; ignoring --config\n');
    const ws = prepareSandboxWorkspace(opts.sandboxDir, { flag: '--sandbox-dir' });
    sandbox = await startSandbox();
    writeSandboxConfig(ws, sandbox, { metricsListen: '127.0.0.1:0' });
    configPath = ws.configPath;
    io.stderr.write(
      `zk-daemon: bundled sandbox running — Zoom ${sandbox.zoom.url}, Kaltura ${sandbox.kaltura.url}\n` +
        `zk-daemon: config ${ws.configPath}; in another shell try: npx zk status --config ${ws.configPath}\n`,
    );
  }
  try {
    const { config, warnings } = loadConfig({ path: configPath, env });
    const logger = createLogger({ level: config.global.log.level, format: config.global.log.format, file: config.global.log.file, stream: io.stderr, secrets: configSecrets(config) });
    for (const w of warnings) logger.warn(`config warning: ${w.key}: ${w.message}`, { key: w.key });
    try {
      const crashPoint = crashPointFromEnv(env.ZK_CRASH_AT, () => process.kill(process.pid, 'SIGKILL'));
      const daemon = await startDaemon({
        config,
        clock,
        logger,
        exitWhenIdle: opts.exitWhenIdle,
        crashPoint,
        workIntervalMs: env.ZK_WORK_INTERVAL_MS ? Number(env.ZK_WORK_INTERVAL_MS) : undefined,
        onStarted: ({ metricsUrl }) => {
          if (metricsUrl) io.stderr.write(`zk-daemon: metrics and health at ${metricsUrl}/metrics ${metricsUrl}/healthz ${metricsUrl}/readyz\n`);
        },
      });
      const uninstall = installSignalHandlers({
        onGraceful: (signal) => void daemon.stop(signal),
        onForced: (signal) => io.stderr.write(`zk-daemon: second ${signal}; exiting now (work resumes on restart)\n`),
      });
      try {
        return await daemon.done;
      } finally {
        uninstall();
      }
    } finally {
      await closeLogger(logger);
    }
  } finally {
    await sandbox?.close();
  }
}

export async function main(argv: readonly string[]): Promise<void> {
  const io: Io = { stdout: process.stdout, stderr: process.stderr };
  const program = baseProgram('zk-daemon', 'zk-daemon: poll Zoom, ingest into Kaltura, verify, then delete from Zoom', packageVersion(), io);
  program
    .command('start')
    .description('run the ingest daemon until SIGTERM/SIGINT (a second signal forces exit)')
    .option('-c, --config <path>', 'config file (default: $ZK_CONFIG, then ./config/zk.yaml)')
    .option('--sandbox', 'start the bundled Zoom and Kaltura emulators with demo data and ingest from them')
    .option('--sandbox-dir <path>', 'with --sandbox: where the generated config and database go; reset on each start, so only a folder zk made for a sandbox (or an empty one) is accepted', DEFAULT_SANDBOX_DIR)
    .option('--exit-when-idle', 'poll once, work until nothing is due (pending delays and retries excepted), then exit')
    .action((opts: StartOptions) => runAction(io, () => start(io, opts)));
  program.addHelpText('after', exitCodesHelp('zk-daemon'));
  await parseProgram(program, argv);
}
