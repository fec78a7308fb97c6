/**
 * Operator tests: both emulators over real HTTP, a real config file on disk
 * and a real SQLite file, and `zk` run in-process through buildZkProgram with
 * the production CliContext (createCliContext), so every command is exercised
 * exactly as the binary wires it, with captured output and exit code.
 */
import { Writable } from 'node:stream';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { stringify } from 'yaml';
import { buildZkProgram } from '../../src/cli/zk.js';
import { createCliContext } from '../../src/cli/runtime.js';
import { parseProgram } from '../../src/cli/program.js';
import { startSandbox, sandboxConfig, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { config as configSchema, type Config } from '../../src/config/schema.js';
import { startDaemon } from '../../src/daemon/daemon.js';
import type { Clock } from '../../src/util/clock.js';
import { tempDir } from '../helpers/tmp.js';

import { shiftClock, type ShiftClock, silentLogger } from '../helpers/shift-clock.js';
export { shiftClock, type ShiftClock, silentLogger };


function capture(): { stream: Writable; text(): string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      cb();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `zk <args>` in-process with the production context; `--config` is whatever the args say. */
export async function runZk(args: string[], opts: { clock?: Clock; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  const out = capture();
  const err = capture();
  const io = { stdout: out.stream, stderr: err.stream };
  const program = buildZkProgram(
    (p) =>
      createCliContext({
        io,
        isTTY: false,
        env: opts.env ?? {},
        clock: opts.clock ?? shiftClock(),
        configPath: () => p.opts<{ config?: string }>().config,
      }),
    io,
  );
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await parseProgram(program, args);
    const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
    return { code, stdout: out.text(), stderr: err.text() };
  } finally {
    process.exitCode = before;
  }
}

export interface World {
  dir: string;
  database: string;
  configFile: string;
  sandbox: Sandbox;
  clock: ShiftClock;
  raw: Record<string, any>;
  config(): Config;
  /** Rewrites the config file from `raw` (after a test changed it). */
  writeConfig(): string;
  zk(args: string[]): Promise<CliRun>;
  /** The in-process daemon until nothing is due. */
  runDaemon(): Promise<number>;
  db(): Database.Database;
  close(): Promise<void>;
}

export interface WorldOptions extends Pick<SandboxOptions, 'generate' | 'generateFrom' | 'generatedFileSize'> {
  deleteEnabled?: boolean;
  deleteDelay?: string;
  metricsEnabled?: boolean;
  mutate?: (raw: Record<string, any>) => void;
}

export async function world(opts: WorldOptions = {}): Promise<World> {
  const t = tempDir('zk-op-');
  const clock = shiftClock();
  const sandbox = await startSandbox({
    now: clock.now,
    conversionDelayMs: 2,
    storageDir: join(t.dir, 'kaltura'),
    generate: opts.generate,
    generateFrom: opts.generateFrom,
    generatedFileSize: opts.generatedFileSize ?? 2048,
  });
  const database = join(t.dir, 'zk.db');
  const raw = sandboxConfig(sandbox, {
    database,
    pollInterval: '1m',
    metricsEnabled: opts.metricsEnabled ?? false,
    deleteEnabled: opts.deleteEnabled ?? false,
    deleteDelay: opts.deleteDelay ?? '1d',
    logLevel: 'error',
  }) as Record<string, any>;
  raw.global.retry = { baseDelay: '10ms', maxDelay: '100ms', maxAttempts: 8 };
  raw.global.lookback = '3d';
  raw.kaltura.chunkSizeMb = 1;
  opts.mutate?.(raw);
  const configFile = join(t.dir, 'zk.yaml');
  const w: World = {
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
    zk: (args) => runZk([...args, '--config', configFile], { clock }),
    async runDaemon() {
      const d = await startDaemon({ config: w.config(), clock, logger: silentLogger, exitWhenIdle: true, workIntervalMs: 5, lockTtlMs: 5_000 });
      return d.done;
    },
    db: () => new Database(database, { readonly: true }),
    async close() {
      await sandbox.close();
      t.cleanup();
    },
  };
  w.writeConfig();
  return w;
}

export function statesOf(w: World): Record<string, number> {
  const db = w.db();
  try {
    const rows = db.prepare('SELECT state, COUNT(*) AS n FROM files GROUP BY state').all() as Array<{ state: string; n: number }>;
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  } finally {
    db.close();
  }
}

export function count(w: World, sql: string, ...params: unknown[]): number {
  const db = w.db();
  try {
    return (db.prepare(sql).get(...params) as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Kaltura entries by referenceId (deleted ones excluded): any value above 1 is a duplicate. */
export function duplicateEntries(w: World): Array<[string, number]> {
  const byRef = new Map<string, number>();
  for (const e of w.sandbox.kaltura.state.entries()) if (e.referenceId && e.status !== 3) byRef.set(e.referenceId, (byRef.get(e.referenceId) ?? 0) + 1);
  return [...byRef].filter(([, n]) => n > 1);
}

/** The Kaltura state that matters (entries, assets, users, categories), without the call log. */
export function kalturaState(w: World): string {
  const { callCounts: _calls, ...rest } = w.sandbox.kaltura.state.snapshot();
  return JSON.stringify(rest);
}

/** Zoom's recordings and trash (what zk could change), without the call log. */
export function zoomState(w: World): string {
  const { meetings, trashedFiles, accounts } = w.sandbox.zoom.state.snapshot();
  return JSON.stringify({ meetings, trashedFiles, accounts });
}
