/**
 * Semantics lab: one Zoom sandbox (many pre-declared accounts) and one Kaltura
 * sandbox (demo partner plus extra seed) over real HTTP, shared by every
 * scenario of a test file. Each scenario gets its own Zoom account, its own
 * zk account config and its own SQLite file in a temp dir, and runs the real
 * daemon composition (`startDaemon`) until nothing is in flight. Scenarios are
 * independent, so a file runs them concurrently and asserts per scenario.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startZoomSandbox, type ZoomSandbox } from '../../src/sandbox/zoom/server.js';
import { startKalturaSandbox, type KalturaSandbox } from '../../src/sandbox/kaltura/server.js';
import type { ZoomSeedFile, ZoomSeedMeeting, ZoomSeedUser } from '../../src/sandbox/zoom/seed-types.js';
import type { KalturaSeed } from '../../src/sandbox/kaltura/seed-types.js';
import type { EntryView } from '../../src/sandbox/kaltura/inspect.js';
import { ZOOM_DEMO_USERS } from '../../src/sandbox/seed/zoom-demo.js';
import { KALTURA_DEMO_ADMIN_SECRET, KALTURA_DEMO_PARTNER_ID, kalturaDemoSandboxOptions } from '../../src/sandbox/seed/kaltura-demo.js';
import { config as configSchema } from '../../src/config/schema.js';
import { startDaemon } from '../../src/daemon/daemon.js';
import { tempDir } from '../helpers/tmp.js';


import { shiftClock, type ShiftClock, silentLogger } from '../helpers/shift-clock.js';
export { shiftClock, type ShiftClock, silentLogger };

const MAX_ACCOUNTS = 60;
const zoomAccount = (i: number) => ({ accountId: `sem-acct-${i}`, clientId: `sem-client-${i}`, clientSecret: `sem-secret-${i}` });

/** Extra Zoom users (on top of the demo users) every scenario account knows. */
export const EXTRA_ZOOM_USERS = {
  grace: { id: 'u-grace', email: 'grace@EXAMPLE.EDU', type: 2, status: 'active' },
  ivan: { id: 'u-ivan', email: 'ivan@example.edu', type: 2, status: 'active' },
  ivy: { id: 'u-ivy', email: 'ivy@example.edu#SSO', type: 2, status: 'active' },
  kate: { id: 'u-kate', email: 'kate@example.edu', type: 2, status: 'active' },
  liam: { id: 'u-liam', email: 'liam@example.edu', type: 2, status: 'active', cmsUserId: 'L-9001' },
  newbie: { id: 'u-newbie', email: 'newbie@example.edu', type: 2, status: 'active' },
} as const satisfies Record<string, ZoomSeedUser>;

/** Extra Kaltura data the scenarios rely on (the demo seed is loaded too). */
export const EXTRA_KALTURA: Omit<KalturaSeed, 'partnerId'> = {
  users: [
    { id: 'grace', email: 'grace.k@example.org' },
    { id: 'ivan@example.edu#sso' },
    { id: 'ivy@example.edu#SSO' },
    { id: 'k-123', email: 'kate@other.example', externalId: 'kate@example.edu' },
    { id: 'liam@example.edu', email: 'liam@example.edu' },
    { id: 'L-9001' },
  ],
  groups: [{ id: 'default-members', members: ['zoom-default'] }],
  categories: [{ fullName: 'Semantics>Existing' }],
};

export interface Lab {
  zoom: ZoomSandbox;
  kaltura: KalturaSandbox;
  clock: ShiftClock;
  dir: string;
  /** A fresh scenario: its own Zoom account (with the demo + extra users) and database. */
  scenario(name: string, opts?: { sameZoomAccountAs?: Scenario }): Scenario;
  close(): Promise<void>;
}

export interface FileResult {
  id: number;
  zoomFileId: string;
  meetingUuid: string;
  fileType: string;
  recordingType: string;
  state: string;
  role: string | null;
  lastError: string | null;
  entryId: string | null;
  /** Reasons of every state event of the file, oldest first. */
  reasons: string[];
}

export interface Scenario {
  name: string;
  accountId: string;
  database: string;
  /** Adds a meeting to this scenario's Zoom account. */
  addMeeting(m: ZoomSeedMeeting): void;
  /** Adds a Zoom user to this scenario's account only. */
  addUser(u: ZoomSeedUser): void;
  /** The account config (merged over defaults) and optional kaltura-level keys. */
  configure(account: Record<string, unknown>, kaltura?: Record<string, unknown>): void;
  /** Runs the daemon until no file is in flight. */
  settle(maxRuns?: number): Promise<void>;
  files(): FileResult[];
  file(zoomFileId: string): FileResult;
  /** This scenario's Kaltura entries (not deleted). */
  entries(): EntryView[];
  entriesOf(meetingUuid: string): EntryView[];
  entryOf(zoomFileId: string): EntryView;
}

export async function startLab(opts: { kalturaSeed?: Omit<KalturaSeed, 'partnerId'> } = {}): Promise<Lab> {
  const t = tempDir('zk-sem-');
  const clock = shiftClock();
  const accounts = Array.from({ length: MAX_ACCOUNTS }, (_, i) => zoomAccount(i + 1));
  const zoom = await startZoomSandbox({ accounts, now: clock.now });
  const demo = kalturaDemoSandboxOptions();
  const extra = opts.kalturaSeed ?? EXTRA_KALTURA;
  const kaltura = await startKalturaSandbox({
    ...demo,
    seed: [demo.seed, { partnerId: KALTURA_DEMO_PARTNER_ID, ...extra }],
    now: clock.now,
    conversionDelayMs: 5,
    storageDir: join(t.dir, 'kaltura'),
  });
  let next = 0;
  let dbSeq = 0;

  const lab: Lab = {
    zoom,
    kaltura,
    clock,
    dir: t.dir,
    scenario(name, sOpts = {}) {
      let creds: (typeof accounts)[number];
      if (sOpts.sameZoomAccountAs) {
        creds = accounts.find((a) => a.accountId === sOpts.sameZoomAccountAs!.accountId)!;
      } else {
        if (next >= MAX_ACCOUNTS) throw new Error('lab: out of Zoom accounts');
        creds = accounts[next++];
        for (const u of [...Object.values(ZOOM_DEMO_USERS), ...Object.values(EXTRA_ZOOM_USERS)]) zoom.state.addUser({ ...u }, creds.accountId);
      }
      const database = join(t.dir, `${creds.accountId}-${++dbSeq}.db`);
      let account: Record<string, unknown> = {};
      let kalturaExtra: Record<string, unknown> = {};

      const raw = () => ({
        global: {
          database,
          log: { level: 'error' },
          metrics: { enabled: false },
          pollInterval: '1m',
          lookback: '3d',
          retry: { baseDelay: '20ms', maxDelay: '100ms', maxAttempts: 3 },
        },
        kaltura: {
          serviceUrl: kaltura.url,
          partnerId: KALTURA_DEMO_PARTNER_ID,
          adminSecret: KALTURA_DEMO_ADMIN_SECRET,
          transferMode: 'upload',
          chunkSizeMb: 1,
          ...kalturaExtra,
        },
        zoom: { apiUrl: zoom.apiUrl, oauthUrl: zoom.oauthUrl },
        accounts: [{ name: 'sem', credentials: { ...creds }, ...account }],
      });

      const refPrefix = `zk:${creds.accountId}:`;
      const sc: Scenario = {
        name,
        accountId: creds.accountId,
        database,
        addMeeting: (m) => zoom.state.addMeeting(m, creds.accountId),
        addUser: (u) => zoom.state.addUser({ ...u }, creds.accountId),
        configure(a, k = {}) {
          account = a;
          kalturaExtra = k;
        },
        async settle(maxRuns = 30) {
          const config = configSchema.parse(raw());
          const states = () => JSON.stringify(sc.files().map((f) => [f.id, f.state, f.role]));
          for (let i = 0; i < maxRuns; i++) {
            const before = i === 0 ? '' : states();
            const d = await startDaemon({ config, clock, logger: silentLogger, exitWhenIdle: true, workIntervalMs: 5, lockTtlMs: 5_000 });
            await d.done;
            // Settled: nothing in flight, and a whole run changed nothing (PENDING children may wait for a parent).
            if (!sc.files().some((f) => ACTIVE.has(f.state)) && states() === before) return;
            await new Promise((r) => setTimeout(r, 30));
          }
          throw new Error(`${name}: not settled: ${JSON.stringify(sc.files().map((f) => [f.zoomFileId, f.state]))}`);
        },
        files() {
          const db = new Database(database, { readonly: true });
          try {
            const rows = db
              .prepare(
                'SELECT id, zoom_file_id, meeting_uuid, file_type, recording_type, state, role, last_error, kaltura_entry_id FROM files ORDER BY id',
              )
              .all() as Array<Record<string, any>>;
            const ev = db.prepare('SELECT reason FROM events WHERE file_id = ? ORDER BY id');
            return rows.map((r) => ({
              id: r.id,
              zoomFileId: r.zoom_file_id,
              meetingUuid: r.meeting_uuid,
              fileType: r.file_type,
              recordingType: r.recording_type,
              state: r.state,
              role: r.role,
              lastError: r.last_error,
              entryId: r.kaltura_entry_id,
              reasons: (ev.all(r.id) as Array<{ reason: string }>).map((e) => e.reason),
            }));
          } finally {
            db.close();
          }
        },
        file(zoomFileId) {
          const f = sc.files().find((x) => x.zoomFileId === zoomFileId);
          if (!f) throw new Error(`${name}: no row for Zoom file ${zoomFileId}`);
          return f;
        },
        entries: () => kaltura.state.entries().filter((e) => e.status !== 3 && (e.referenceId ?? '').startsWith(refPrefix)),
        entriesOf: (uuid) => sc.entries().filter((e) => (e.description ?? '').includes(`UUID: ${uuid}\n`)),
        entryOf(zoomFileId) {
          const f = sc.file(zoomFileId);
          const e = f.entryId ? kaltura.state.entry(f.entryId) : undefined;
          if (!e) throw new Error(`${name}: no entry for Zoom file ${zoomFileId} (state ${f.state}, ${f.lastError ?? ''})`);
          return e;
        },
      };
      return sc;
    },
    async close() {
      await Promise.allSettled([zoom.close(), kaltura.close()]);
      t.cleanup();
    },
  };
  return lab;
}

/** In flight; DETECTED (Zoom still processing) and PENDING (waiting for a parent) are settled if a run changes nothing. */
const ACTIVE = new Set(['TRANSFERRING', 'IMPORTING', 'RETRY_WAIT']);

// ---- meeting builders -------------------------------------------------------

let seq = 0;
const isoAt = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** Recording start for tests: two hours ago, on the minute. */
export const BASE = Math.floor((Date.now() - 2 * 3_600_000) / 60_000) * 60_000;

const EXT: Record<string, string> = { MP4: 'MP4', M4A: 'M4A', TRANSCRIPT: 'VTT', CC: 'VTT', CHAT: 'TXT', TIMELINE: 'JSON', SUMMARY: 'JSON' };
const RTYPE: Record<string, string> = { M4A: 'audio_only', TRANSCRIPT: 'audio_transcript', CC: 'closed_caption', CHAT: 'chat_file', TIMELINE: 'timeline', SUMMARY: 'summary' };

/** A small recording file; `recordingType` defaults by file type (MP4 → speaker_view). */
export function rf(id: string, fileType: string, extra: Partial<ZoomSeedFile> & { startOffsetMin?: number } = {}): ZoomSeedFile {
  const { startOffsetMin = 0, ...rest } = extra;
  const start = BASE + startOffsetMin * 60_000;
  return {
    id,
    fileType,
    fileExtension: EXT[fileType] ?? fileType,
    recordingType: RTYPE[fileType] ?? 'speaker_view',
    fileSize: 2048 + (++seq % 97),
    recordingStart: isoAt(start),
    recordingEnd: isoAt(start + 10 * 60_000),
    ...rest,
  };
}

/** A meeting hosted by `host` (a Zoom user) with the given files. */
export function mtg(uuid: string, host: ZoomSeedUser, files: ZoomSeedFile[], extra: Partial<ZoomSeedMeeting> = {}): ZoomSeedMeeting {
  return {
    uuid,
    id: 83_000_000_000 + (++seq % 1_000_000),
    hostId: host.id ?? '',
    hostEmail: host.email,
    topic: `Topic ${uuid}`,
    type: 2,
    startTime: isoAt(BASE),
    durationMin: 10,
    files,
    ...extra,
  };
}

export const DEFAULT_OWNER = 'zoom-default';

/** Sorted copy of a comma-separated entitlement field. */
export function ids(field: string | undefined): string[] {
  return (field ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .sort();
}
