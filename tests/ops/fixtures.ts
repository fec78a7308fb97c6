/** Shared test fixtures for the operator commands: a real SQLite store, a config, a CLI context with captured output. */
import { join } from 'node:path';
import { Command } from 'commander';
import { config as configSchema, type Config, type AccountConfig } from '../../src/config/schema.js';
import { openStore } from '../../src/store/migrate.js';
import type { Db } from '../../src/store/db.js';
import type { CliContext } from '../../src/cli/context.js';
import type { MediaSink, RecordingSource } from '../../src/ingest/ports.js';
import type { FileState } from '../../src/ingest/states.js';
import { tempDir } from '../helpers/tmp.js';
import { capture, type CliRun } from '../helpers/capture.js';

export { capture, type CliRun };

export const NOW = Date.parse('2024-06-10T12:00:00Z');

export function makeConfig(database: string, accounts: Array<Record<string, unknown>> = [{ name: 'main' }, { name: 'med' }], extra: Record<string, unknown> = {}): Config {
  return configSchema.parse({
    global: { database },
    kaltura: { partnerId: 1234, adminSecret: 'secret-not-printed' },
    accounts: accounts.map((a) => ({
      credentials: { accountId: `acc-${String(a.name)}`, clientId: `cid-${String(a.name)}`, clientSecret: 'zoom-secret' },
      owner: { defaultUserId: 'fallback' },
      ...a,
    })),
    ...extra,
  });
}

export interface Fixture {
  dir: string;
  dbPath: string;
  db: Db;
  cleanup(): void;
}

export function makeStore(): Fixture {
  const t = tempDir('zk-ops-');
  const dbPath = join(t.dir, 'zk.db');
  const db = openStore(dbPath);
  return {
    dir: t.dir,
    dbPath,
    db,
    cleanup() {
      if (db.open) db.close();
      t.cleanup();
    },
  };
}

export function insertAccount(db: Db, name: string, fields: { lastPollOkAt?: number; lastError?: string; lastErrorAt?: number; cursor?: string } = {}): void {
  db.prepare(
    `INSERT INTO accounts (name, zoom_account_id, description, enabled, last_poll_ok_at, last_error, last_error_at, created_at, updated_at)
     VALUES (?, ?, '', 1, ?, ?, ?, ?, ?)`,
  ).run(name, `acc-${name}`, fields.lastPollOkAt ?? null, fields.lastError ?? null, fields.lastErrorAt ?? null, NOW - 86_400_000, NOW);
  if (fields.cursor) db.prepare('INSERT INTO poll_cursors (account, scanned_through, updated_at) VALUES (?, ?, ?)').run(name, fields.cursor, NOW);
}

export function insertRecording(db: Db, account: string, meetingUuid: string, recordingStart: string, topic = 'Weekly sync'): number {
  return Number(
    db
      .prepare(
        `INSERT INTO recordings (account, meeting_uuid, meeting_id, recording_start, recording_end, topic, host_id, host_email, meeting_type, start_time, duration_min, created_at, updated_at)
         VALUES (?, ?, 81234567890, ?, ?, ?, 'host1', 'host@example.edu', 2, ?, 30, ?, ?)`,
      )
      .run(account, meetingUuid, recordingStart, recordingStart, topic, recordingStart, NOW, NOW).lastInsertRowid,
  );
}

export interface FileFields {
  state: FileState;
  fileType?: string;
  zoomFileId?: string;
  attempts?: number;
  nextAttemptAt?: number | null;
  lastError?: string | null;
  leaseOwner?: string | null;
  leaseUntil?: number | null;
  detectedAt?: number;
  fileSize?: number;
}

let fileSeq = 0;
export function insertFile(db: Db, recordingId: number, f: FileFields): number {
  const rec = db.prepare('SELECT account, meeting_uuid FROM recordings WHERE id = ?').get(recordingId) as { account: string; meeting_uuid: string };
  fileSeq += 1;
  return Number(
    db
      .prepare(
        `INSERT INTO files (account, meeting_uuid, zoom_file_id, recording_id, file_type, file_extension, file_size, state, attempts,
           next_attempt_at, last_error, lease_owner, lease_until, detected_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'MP4', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        rec.account,
        rec.meeting_uuid,
        f.zoomFileId ?? `zf-${fileSeq}`,
        recordingId,
        f.fileType ?? 'MP4',
        f.fileSize ?? 1_048_576,
        f.state,
        f.attempts ?? 0,
        f.nextAttemptAt ?? null,
        f.lastError ?? null,
        f.leaseOwner ?? null,
        f.leaseUntil ?? null,
        f.detectedAt ?? NOW - 3_600_000,
        NOW - 60_000,
      ).lastInsertRowid,
  );
}

export function insertEvent(db: Db, fileId: number, at: number, from: FileState | null, to: FileState, reason: string, actor = 'daemon'): void {
  const account = (db.prepare('SELECT account FROM files WHERE id = ?').get(fileId) as { account: string }).account;
  db.prepare('INSERT INTO events (file_id, account, at, from_state, to_state, reason, actor) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    fileId,
    account,
    at,
    from,
    to,
    reason,
    actor,
  );
}


export interface TestContextOptions {
  config: Config;
  zoomSource?: (account: AccountConfig) => RecordingSource;
  kalturaSink?: () => MediaSink;
  now?: number;
}

/**
 * Runs one zk command line through commander with the given register
 * functions, against a real store file, capturing output and the exit code.
 */
export async function runCli(
  register: Array<(program: Command, ctx: CliContext) => void>,
  args: string[],
  opts: TestContextOptions,
): Promise<CliRun> {
  const out = capture();
  const err = capture();
  const ctx: CliContext = {
    io: { stdout: out.stream, stderr: err.stream },
    isTTY: false,
    env: {},
    clock: { now: () => opts.now ?? NOW, sleep: async () => {} },
    configPath: () => undefined,
    loadConfig: () => ({ config: opts.config, file: '/test/zk.yaml' }),
    openStore: (config) => openStore(config.global.database),
    logger: () => ({ error() {}, warn() {}, info() {}, debug() {} }),
    zoomSource: (_config, account) => {
      if (!opts.zoomSource) throw new Error('no zoom source in this test');
      return opts.zoomSource(account);
    },
    kalturaSink: () => {
      if (!opts.kalturaSink) throw new Error('no kaltura sink in this test');
      return opts.kalturaSink();
    },
  };
  const program = new Command('zk').exitOverride();
  program.configureOutput({ writeOut: (s) => out.stream.write(s), writeErr: (s) => err.stream.write(s) });
  for (const r of register) r(program, ctx);
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'zk', ...args]);
    const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
    return { code, stdout: out.text(), stderr: err.text() };
  } finally {
    // runAction reports through process.exitCode; never let a test leak it into jest's own exit status.
    process.exitCode = before;
  }
}
