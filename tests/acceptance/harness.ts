/**
 * End-to-end harness: both emulators over real HTTP, a real SQLite file, and
 * the daemon composition (`startDaemon`) or the compiled binary. The clock is
 * real time plus an offset the test can move, shared by the emulators and
 * zk, so delays (delete after 1d) pass without sleeping.
 */
import { join, resolve } from 'node:path';
import { spawn } from 'node:child_process';
import { contentKindForExtension, contentSha256 } from '../../src/sandbox/content.js';
import { sandboxWorld, type SandboxWorld, type SandboxWorldOptions, type SandboxWorldTuning } from '../helpers/sandbox-world.js';

export const ROOT = resolve(new URL('.', import.meta.url).pathname, '..', '..');
export const DAEMON_BIN = join(ROOT, 'bin', 'zk-daemon.js');

import { shiftClock, type ShiftClock, silentLogger } from '../helpers/shift-clock.js';
export { shiftClock, type ShiftClock, silentLogger };


/** The shared sandbox world; `writeConfig()` writes the YAML for the binary. */
export type World = SandboxWorld;

export interface WorldOptions extends SandboxWorldOptions {
  transferMode?: 'upload' | 'url';
}

const ACCEPTANCE: SandboxWorldTuning = {
  tempPrefix: 'zk-acc-',
  clockCapMs: 50,
  conversionDelayMs: 5,
  generatedFileSize: 64 * 1024,
  retry: { baseDelay: '20ms', maxDelay: '200ms', maxAttempts: 8 },
  workIntervalMs: 10,
};

export function world(opts: WorldOptions = {}): Promise<World> {
  return sandboxWorld(
    {
      ...opts,
      mutate: (raw) => {
        raw.kaltura.transferMode = opts.transferMode ?? 'upload';
        opts.mutate?.(raw);
      },
    },
    ACCEPTANCE,
  );
}

export interface FileRowLite {
  id: number;
  state: string;
  role: string | null;
  meeting_uuid: string;
  zoom_file_id: string;
  file_size: number;
  file_extension: string;
  kaltura_entry_id: string | null;
  attempts: number;
  last_error_code: string | null;
  next_attempt_at: number | null;
}

export function fileRows(w: World): FileRowLite[] {
  const db = w.db();
  try {
    return db.prepare('SELECT id, state, role, meeting_uuid, zoom_file_id, file_size, file_extension, kaltura_entry_id, attempts, last_error_code, next_attempt_at FROM files ORDER BY id').all() as FileRowLite[];
  } finally {
    db.close();
  }
}

export function statesOf(w: World): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of fileRows(w)) out[f.state] = (out[f.state] ?? 0) + 1;
  return out;
}

const VERIFIED = new Set(['HANDLED', 'PURGE_PENDING', 'PURGED']);
const MEDIA_ROLES = new Set(['parent', 'child', 'audio']);

/**
 * The exactly-once invariants, whatever happened on the way:
 * - at most one Kaltura entry per referenceId, in any status;
 * - every verified media file has a READY entry holding exactly Zoom's bytes;
 * - no caption or attachment is duplicated on an entry;
 * - nothing is gone from Zoom unless its row is PURGED (or COVERED by a purged video) and verified.
 */
export async function assertExactlyOnce(w: World, expect: (v: unknown) => any): Promise<{ verifiedMedia: number }> {
  const entries = w.sandbox.kaltura.state.entries();
  const byRef = new Map<string, number>();
  // Deleted entries (status 3) are invisible to users; zk deletes an errored entry before retrying.
  for (const e of entries) if (e.referenceId && e.status !== 3) byRef.set(e.referenceId, (byRef.get(e.referenceId) ?? 0) + 1);
  expect([...byRef.entries()].filter(([, n]) => n > 1)).toEqual([]);

  const rows = fileRows(w);
  let verifiedMedia = 0;
  for (const f of rows) {
    if (!VERIFIED.has(f.state) || !MEDIA_ROLES.has(f.role ?? '')) continue;
    verifiedMedia++;
    const entry = w.sandbox.kaltura.state.entry(f.kaltura_entry_id!);
    expect({ file: f.id, status: entry?.status }).toEqual({ file: f.id, status: 2 });
    const want = await contentSha256(f.zoom_file_id, f.file_size, contentKindForExtension(f.file_extension));
    expect({ file: f.id, content: w.sandbox.kaltura.state.contentOf(f.kaltura_entry_id!) }).toEqual({ file: f.id, content: { size: f.file_size, sha256: want } });
  }
  for (const e of entries) {
    const labels = e.captions.map((c) => `${c.label}/${c.language}`);
    expect({ entry: e.id, captions: labels.length }).toEqual({ entry: e.id, captions: new Set(labels).size });
    expect({ entry: e.id, attachments: e.attachments.length }).toEqual({ entry: e.id, attachments: new Set(e.attachments.map((a) => a.filename)).size });
  }
  // Nothing left Zoom that zk did not verify and purge.
  const rowByFile = new Map(rows.map((r) => [`${r.meeting_uuid}/${r.zoom_file_id}`, r]));
  for (const m of w.sandbox.zoom.state.snapshot().meetings) {
    for (const file of m.files) {
      if (file.state === 'live') continue;
      const row = rowByFile.get(`${m.uuid}/${file.id}`);
      expect({ file: file.id, state: row?.state }).toEqual({ file: file.id, state: 'PURGED' });
    }
  }
  return { verifiedMedia };
}

const ACTIVE = new Set(['PENDING', 'TRANSFERRING', 'IMPORTING', 'RETRY_WAIT']);

/** Runs the in-process daemon until no file is in flight or waiting to retry (backoff is milliseconds here). */
export async function settle(w: World, maxRuns = 40): Promise<void> {
  for (let i = 0; i < maxRuns; i++) {
    await w.runDaemon();
    if (!fileRows(w).some((f) => ACTIVE.has(f.state))) return;
    await new Promise((r) => setTimeout(r, 60));
  }
  throw new Error(`not settled after ${maxRuns} runs: ${JSON.stringify(statesOf(w))}`);
}

/** Runs the compiled daemon binary until it exits; returns its exit code or signal. */
export function runBinary(configFile: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [DAEMON_BIN, 'start', '--config', configFile, '--exit-when-idle'], {
      cwd: ROOT,
      env: { ...process.env, ZK_WORK_INTERVAL_MS: '20', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      res({ code, signal, stderr });
    });
  });
}
