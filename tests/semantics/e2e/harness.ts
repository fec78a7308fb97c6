/**
 * Issue 5 harness: the Kaltura-integration settings proven end to end. Both
 * emulators over real HTTP, a real SQLite file in a temp dir, and the daemon
 * composition (`startDaemon` with exitWhenIdle), so every setting goes through
 * the config schema, the real Zoom/Kaltura adapters, the policy and the engine.
 *
 * Each world starts with the demo users of both sandboxes (every owner path:
 * blocked mallory, a host without email, cms_user_id, >30 group memberships)
 * and only the meetings a test asks for, so a run takes a few hundred ms.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { config as configSchema, type Config } from '../../../src/config/schema.js';
import { startDaemon } from '../../../src/daemon/daemon.js';
import { referenceIdFor } from '../../../src/ingest/entry-fields.js';
import { sandboxConfig } from '../../../src/sandbox/index.js';
import { startKalturaSandbox, type EntryView, type KalturaSandbox, type KalturaSeed } from '../../../src/sandbox/kaltura/server.js';
import { startZoomSandbox, type ZoomSandbox, type ZoomSeedFile, type ZoomSeedMeeting, type ZoomSeedUser } from '../../../src/sandbox/zoom/server.js';
import { KALTURA_DEMO_PARTNER_ID, kalturaDemoSandboxOptions } from '../../../src/sandbox/seed/kaltura-demo.js';
import { ZOOM_DEMO_ACCOUNT, ZOOM_DEMO_USERS, zoomDemoMeetings } from '../../../src/sandbox/seed/zoom-demo.js';
import { tempDir } from '../../helpers/tmp.js';

export const ZU = ZOOM_DEMO_USERS;
export const MIN = 60_000;
export const HOUR = 60 * MIN;

import { shiftClock, type ShiftClock } from '../../helpers/shift-clock.js';
export { shiftClock, type ShiftClock };

// ------------------------------------------------------------------ Zoom data builders

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Start of the test meetings: three hours ago, on a whole minute. */
export function baseTime(): number {
  return Math.floor((Date.now() - 3 * HOUR) / MIN) * MIN;
}

export interface FileSpec {
  id: string;
  fileType: string;
  recordingType: string;
  ext?: string;
  size?: number;
  /** Minutes after the meeting start where the file's segment starts (default 0). */
  segment?: number;
  /** Epoch ms (sandbox clock) when Zoom finishes processing it. */
  completesAt?: number;
  blankTypeWhileProcessing?: boolean;
}

const EXT: Record<string, string> = { MP4: 'MP4', M4A: 'M4A', TRANSCRIPT: 'VTT', CC: 'VTT', CHAT: 'TXT', TIMELINE: 'JSON', SUMMARY: 'JSON', CSV: 'CSV' };
const SIZE: Record<string, number> = { MP4: 48 * 1024 + 7, M4A: 12 * 1024 + 3, TRANSCRIPT: 2 * 1024 + 5, CC: 2 * 1024 + 9, CHAT: 1024 + 1 };

export const mp4 = (id: string, recordingType: string, extra: Partial<FileSpec> = {}): FileSpec => ({ id, fileType: 'MP4', recordingType, ...extra });
export const m4a = (id: string, extra: Partial<FileSpec> = {}): FileSpec => ({ id, fileType: 'M4A', recordingType: 'audio_only', ...extra });
export const transcript = (id: string, extra: Partial<FileSpec> = {}): FileSpec => ({ id, fileType: 'TRANSCRIPT', recordingType: 'audio_transcript', ...extra });
export const cc = (id: string, extra: Partial<FileSpec> = {}): FileSpec => ({ id, fileType: 'CC', recordingType: 'closed_caption', ...extra });
export const chat = (id: string, extra: Partial<FileSpec> = {}): FileSpec => ({ id, fileType: 'CHAT', recordingType: 'chat_file', ...extra });

let meetingSeq = 0;

export interface MeetingSpec extends Partial<Omit<ZoomSeedMeeting, 'files'>> {
  host?: { id?: string; email: string };
  files?: FileSpec[];
}

/**
 * A meeting with unique uuid/id. File ids are used as given (tests make them
 * unique per world). Default: one speaker_view MP4 (`<name>-sv`), hosted by bob.
 */
export function meeting(name: string, spec: MeetingSpec = {}): ZoomSeedMeeting {
  const n = ++meetingSeq;
  const start = spec.startTime ? Date.parse(spec.startTime) : baseTime();
  const host = spec.host ?? ZU.bob;
  const files = spec.files ?? [mp4(`${name}-sv`, 'speaker_view')];
  const seed: ZoomSeedMeeting = {
    uuid: spec.uuid ?? `sem${n}${name.replace(/[^A-Za-z0-9]/g, '')}==`,
    id: spec.id ?? 83_000_000_000 + n,
    hostId: spec.hostId ?? host.id ?? '',
    hostEmail: spec.hostEmail ?? host.email,
    topic: spec.topic ?? `Semantics ${name}`,
    type: spec.type ?? 2,
    startTime: iso(start),
    durationMin: spec.durationMin ?? 30,
    files: files.map((f): ZoomSeedFile => {
      const segStart = start + (f.segment ?? 0) * MIN;
      return {
        id: f.id,
        fileType: f.fileType,
        fileExtension: f.ext ?? EXT[f.fileType] ?? 'JSON',
        recordingType: f.recordingType,
        fileSize: f.size ?? SIZE[f.fileType] ?? 1024 + 3,
        recordingStart: iso(segStart),
        recordingEnd: iso(segStart + 20 * MIN),
        completesAt: f.completesAt,
        blankTypeWhileProcessing: f.blankTypeWhileProcessing,
      };
    }),
  };
  for (const k of ['alternativeHosts', 'trackingFields', 'participants', 'metricsParticipants', 'panelists', 'timezone'] as const) {
    if (spec[k] !== undefined) (seed as unknown as Record<string, unknown>)[k] = spec[k];
  }
  return seed;
}

// ------------------------------------------------------------------ the world

export type RawAccount = Record<string, any>;

export interface WorldOptions {
  meetings?: ZoomSeedMeeting[];
  /** Also seed the eight demo meetings. */
  demoMeetings?: boolean;
  zoomUsers?: ZoomSeedUser[];
  /** Extra Kaltura data on top of the demo partner's (users, groups, categories). */
  kaltura?: Omit<KalturaSeed, 'partnerId'>;
  /** Account settings, merged one level deep over a neutral account (see neutralAccount). */
  account?: RawAccount;
  /** Last word on the raw config (kaltura.conversionProfileId, the sandbox's own account, ...). */
  mutate?: (raw: Record<string, any>) => void;
  /** A second Zoom account (config name "second", same settings) with its own meetings. */
  secondZoomAccount?: { meetings: ZoomSeedMeeting[] };
}

export const SECOND_ACCOUNT = { accountId: 'sbx-account-2', clientId: 'sbx-client-2', clientSecret: 'sbx-secret-2' };

/**
 * Every policy setting at a value that changes nothing, so a test sets only
 * what it is about: no categories, no permissions, default-user owner,
 * transcripts and chat on, no deletion, no tags.
 */
export function neutralAccount(): RawAccount {
  return {
    meetings: { upload: true, categories: [] },
    webinars: { upload: true, categories: [] },
    categories: { createMissing: false },
    owner: { matching: 'zoomUser', postfixMode: 'none', postfix: '', searchBy: 'email', onNoMatch: 'defaultUser', defaultUserId: 'zoom-default' },
    permissions: { alternativeHosts: 'ignore', coHosts: 'ignore', participants: 'ignore' },
    groups: { optIn: [], optOut: [] },
    transcripts: { enabled: true, language: 'English' },
    chat: { enabled: true },
    delete: { enabled: false, delay: '1d', action: 'trash' },
    tags: [],
  };
}

export interface LogLine {
  level: string;
  message: string;
  meta?: Record<string, unknown>;
}

export interface FileView {
  id: number;
  zoomFileId: string;
  meetingUuid: string;
  account: string;
  state: string;
  role: string | null;
  lastError: string | null;
  lastErrorCode: string | null;
  kalturaEntryId: string | null;
  kalturaAssetId: string | null;
  /** Reason of the file's latest event. */
  reason: string;
}

export interface World {
  zoom: ZoomSandbox;
  kaltura: KalturaSandbox;
  clock: ShiftClock;
  raw: Record<string, any>;
  logs: LogLine[];
  config(): Config;
  /** Runs the daemon until idle; resolves with its exit code. */
  run(): Promise<number>;
  files(): FileView[];
  file(zoomFileId: string): FileView;
  /** The one live entry created for a Zoom file (found by its deterministic referenceId). */
  entryOf(zoomFileId: string): EntryView;
  entries(): EntryView[];
  /** Writes to the database (simulating lost progress); tests only. */
  sql(statement: string, ...params: unknown[]): void;
  close(): Promise<void>;
}

const worlds = new Set<World>();

/** Closes every world a test opened (use as afterEach). */
export async function closeWorlds(): Promise<void> {
  const open = [...worlds];
  worlds.clear();
  await Promise.all(open.map((w) => w.close()));
}

export async function world(opts: WorldOptions = {}): Promise<World> {
  const t = tempDir('zk-sem-e2e-');
  const clock = shiftClock();
  const demo = opts.demoMeetings ? Object.values(zoomDemoMeetings(clock.now())) : [];
  const zoomUsers = () => [...Object.values(ZU).map((u) => ({ ...u })), ...(opts.zoomUsers ?? []).map((u) => ({ ...u }))];
  const zoom = await startZoomSandbox({
    accounts: [{ ...ZOOM_DEMO_ACCOUNT }, ...(opts.secondZoomAccount ? [{ ...SECOND_ACCOUNT }] : [])],
    seed: [
      { accountId: ZOOM_DEMO_ACCOUNT.accountId, users: zoomUsers(), meetings: [...demo, ...(opts.meetings ?? [])] },
      ...(opts.secondZoomAccount ? [{ accountId: SECOND_ACCOUNT.accountId, users: zoomUsers(), meetings: opts.secondZoomAccount.meetings }] : []),
    ],
    now: clock.now,
  });
  const demoK = kalturaDemoSandboxOptions();
  const kaltura = await startKalturaSandbox({
    ...demoK,
    seed: [demoK.seed, { partnerId: KALTURA_DEMO_PARTNER_ID, ...(opts.kaltura ?? {}) }],
    now: clock.now,
    conversionDelayMs: 2,
    finalChunkWaitMs: 50,
    storageDir: join(t.dir, 'kaltura'),
  });
  const database = join(t.dir, 'zk.db');
  const raw = sandboxConfig({ zoom, kaltura }, { database, pollInterval: '1m', metricsEnabled: false, deleteEnabled: false, logLevel: 'error' }) as Record<string, any>;
  raw.global.retry = { baseDelay: '10ms', maxDelay: '50ms', maxAttempts: 3 };
  raw.global.lookback = '3d';
  raw.global.concurrency = { transfers: 8, perAccount: 8 };
  raw.kaltura.chunkSizeMb = 1;
  const acct = raw.accounts[0];
  for (const k of Object.keys(acct)) if (!['name', 'description', 'credentials'].includes(k)) delete acct[k];
  Object.assign(acct, neutralAccount());
  for (const [k, v] of Object.entries(opts.account ?? {})) {
    const merge = v !== null && typeof v === 'object' && !Array.isArray(v) && typeof acct[k] === 'object' && !Array.isArray(acct[k]);
    acct[k] = merge ? { ...acct[k], ...v } : v;
  }
  if (opts.secondZoomAccount) {
    const { credentials: _c, name: _n, ...settings } = acct;
    raw.accounts.push({ ...structuredClone(settings), name: 'second', description: 'second Zoom account', credentials: { ...SECOND_ACCOUNT } });
  }
  opts.mutate?.(raw);

  const logs: LogLine[] = [];
  const log = (level: string) => (message: string, meta?: Record<string, unknown>) => void logs.push({ level, message, meta });
  const logger = { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') };

  const withDb = <T>(fn: (db: Database.Database) => T): T => {
    const db = new Database(database, { readonly: true });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };

  const files = (): FileView[] =>
    withDb(
      (db) =>
        db
          .prepare(
            `SELECT f.id, f.zoom_file_id AS zoomFileId, f.meeting_uuid AS meetingUuid, f.account, f.state, f.role, f.last_error AS lastError,
                    f.last_error_code AS lastErrorCode, f.kaltura_entry_id AS kalturaEntryId, f.kaltura_asset_id AS kalturaAssetId,
                    (SELECT reason FROM events e WHERE e.file_id = f.id ORDER BY e.id DESC LIMIT 1) AS reason
             FROM files f ORDER BY f.id`,
          )
          .all() as FileView[],
    );

  const w: World = {
    zoom,
    kaltura,
    clock,
    raw,
    logs,
    config: () => configSchema.parse(raw),
    async run() {
      const d = await startDaemon({ config: w.config(), clock, logger, exitWhenIdle: true, workIntervalMs: 5, lockTtlMs: 5_000 });
      return d.done;
    },
    files,
    file(zoomFileId) {
      const hits = files().filter((f) => f.zoomFileId === zoomFileId);
      if (hits.length !== 1) throw new Error(`expected one file row ${zoomFileId}, found ${hits.length}`);
      return hits[0];
    },
    entryOf(zoomFileId) {
      const row = w.file(zoomFileId);
      const zoomAccountId = row.account === 'second' ? SECOND_ACCOUNT.accountId : ZOOM_DEMO_ACCOUNT.accountId;
      const ref = referenceIdFor(zoomAccountId, row.meetingUuid, zoomFileId);
      const hits = kaltura.state.entries().filter((e) => e.referenceId === ref && e.status !== 3);
      if (hits.length !== 1) throw new Error(`expected one entry for ${zoomFileId}, found ${hits.length} (file ${row.state}: ${row.reason})`);
      return hits[0];
    },
    entries: () => kaltura.state.entries().filter((e) => e.status !== 3),
    sql(statement, ...params) {
      const db = new Database(database);
      try {
        db.prepare(statement).run(...params);
      } finally {
        db.close();
      }
    },
    async close() {
      await Promise.allSettled([zoom.close(), kaltura.close()]);
      t.cleanup();
    },
  };
  worlds.add(w);
  return w;
}

/** Comma-separated Kaltura user list → sorted array ('' → []). */
export function list(csv: string | undefined): string[] {
  return (csv ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .sort();
}

/** Zoom sandbox calls whose route contains `fragment`. */
export function zoomCalls(w: World, fragment: string): number {
  return Object.entries(w.zoom.state.callCounts())
    .filter(([k]) => k.includes(fragment))
    .reduce((n, [, v]) => n + v, 0);
}

export function kalturaCalls(w: World, key: string): number {
  return w.kaltura.state.callCounts()[key] ?? 0;
}
