/**
 * Operator tests: both emulators over real HTTP, a real config file on disk
 * and a real SQLite file, and `zk` run in-process through buildZkProgram with
 * the production CliContext (createCliContext), so every command is exercised
 * exactly as the binary wires it, with captured output and exit code.
 */
import { buildZkProgram } from '../../src/cli/zk.js';
import { createCliContext } from '../../src/cli/runtime.js';
import { parseProgram } from '../../src/cli/program.js';
import type { Clock } from '../../src/util/clock.js';
import { capture, type CliRun } from '../helpers/capture.js';
import { sandboxWorld, type SandboxWorld, type SandboxWorldOptions, type SandboxWorldTuning } from '../helpers/sandbox-world.js';

import { shiftClock, type ShiftClock, silentLogger } from '../helpers/shift-clock.js';
export { shiftClock, type ShiftClock, silentLogger, type CliRun };


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

export interface World extends SandboxWorld {
  zk(args: string[]): Promise<CliRun>;
}

export type WorldOptions = SandboxWorldOptions;

const OPERATOR: SandboxWorldTuning = {
  tempPrefix: 'zk-op-',
  clockCapMs: 20,
  conversionDelayMs: 2,
  generatedFileSize: 2048,
  retry: { baseDelay: '10ms', maxDelay: '100ms', maxAttempts: 8 },
  workIntervalMs: 5,
};

/** The shared sandbox world plus `zk` against its config file, which is written at once. */
export async function world(opts: WorldOptions = {}): Promise<World> {
  const base = await sandboxWorld(opts, OPERATOR);
  const w: World = { ...base, zk: (args) => runZk([...args, '--config', base.configFile], { clock: base.clock }) };
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
