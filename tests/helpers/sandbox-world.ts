/**
 * The core every end-to-end harness shares: both emulators on a shift clock, a
 * real SQLite file, the sandbox's zk config with test-speed retries, and the
 * in-process daemon run until idle. Harnesses differ only in `SandboxWorldTuning`
 * and in what they add on top.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { stringify } from 'yaml';
import { startSandbox, sandboxConfig, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { config as configSchema, type Config } from '../../src/config/schema.js';
import { startDaemon } from '../../src/daemon/daemon.js';
import { shiftClock, silentLogger, type ShiftClock } from './shift-clock.js';
import { tempDir } from './tmp.js';

export interface SandboxWorld {
  dir: string;
  database: string;
  configFile: string;
  sandbox: Sandbox;
  clock: ShiftClock;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  raw: Record<string, any>;
  config(): Config;
  /** Writes `raw` to `configFile` (after a test changed it) and returns its path. */
  writeConfig(): string;
  /** Runs the in-process daemon until idle; resolves with its exit code. */
  runDaemon(): Promise<number>;
  db(): Database.Database;
  close(): Promise<void>;
}

export interface SandboxWorldOptions extends Pick<SandboxOptions, 'generate' | 'generateFrom' | 'generatedFileSize' | 'zoomIntegration' | 'kalturaDeployment'> {
  deleteEnabled?: boolean;
  deleteDelay?: string;
  metricsEnabled?: boolean;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  mutate?: (raw: Record<string, any>) => void;
}

/** How fast a harness runs: clock sleep cap, emulator conversion delay, retry backoff, daemon work interval. */
export interface SandboxWorldTuning {
  tempPrefix: string;
  clockCapMs: number;
  conversionDelayMs: number;
  generatedFileSize: number;
  retry: { baseDelay: string; maxDelay: string; maxAttempts: number };
  workIntervalMs: number;
}

export async function sandboxWorld(opts: SandboxWorldOptions, tuning: SandboxWorldTuning): Promise<SandboxWorld> {
  const t = tempDir(tuning.tempPrefix);
  const clock = shiftClock(tuning.clockCapMs);
  const sandbox = await startSandbox({
    now: clock.now,
    conversionDelayMs: tuning.conversionDelayMs,
    storageDir: join(t.dir, 'kaltura'),
    generate: opts.generate,
    generateFrom: opts.generateFrom,
    generatedFileSize: opts.generatedFileSize ?? tuning.generatedFileSize,
    zoomIntegration: opts.zoomIntegration,
    kalturaDeployment: opts.kalturaDeployment,
  });
  const database = join(t.dir, 'zk.db');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const raw = sandboxConfig(sandbox, {
    database,
    pollInterval: '1m',
    metricsEnabled: opts.metricsEnabled ?? false,
    deleteEnabled: opts.deleteEnabled ?? false,
    deleteDelay: opts.deleteDelay ?? '1d',
    logLevel: 'error',
  }) as Record<string, any>;
  raw.global.retry = { ...tuning.retry };
  raw.global.lookback = '3d';
  raw.kaltura.chunkSizeMb = 1;
  opts.mutate?.(raw);
  const configFile = join(t.dir, 'zk.yaml');
  const w: SandboxWorld = {
    dir: t.dir,
    database,
    configFile,
    sandbox,
    clock,
    raw,
    config: () => configSchema.parse(raw),
    writeConfig() {
      writeFileSync(configFile, stringify(raw));
      return configFile;
    },
    async runDaemon() {
      const d = await startDaemon({ config: w.config(), clock, logger: silentLogger, exitWhenIdle: true, workIntervalMs: tuning.workIntervalMs, lockTtlMs: 5_000 });
      return d.done;
    },
    db: () => new Database(database, { readonly: true }),
    async close() {
      await sandbox.close();
      t.cleanup();
    },
  };
  return w;
}
