/**
 * A benchmark world: both emulators in this process with a chosen set of
 * meetings, a temp dir for Kaltura's bytes and zk's database, and the zk
 * config pointing at them. The daemon runs as a child (see proc.ts).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { openDatabase, type Db } from '../store/db.js';
import { createFilesRepo } from '../store/files-repo.js';
import { startZoomSandbox, type ZoomSandbox, type ZoomSeedMeeting } from '../sandbox/zoom/server.js';
import { startKalturaSandbox, type KalturaSandbox } from '../sandbox/kaltura/server.js';
import { ZOOM_DEMO_ACCOUNT } from '../sandbox/seed/zoom-demo.js';
import { kalturaDemoSandboxOptions } from '../sandbox/seed/kaltura-demo.js';
import { generatedHosts } from '../sandbox/seed/zoom-generated.js';
import { sandboxConfig } from '../sandbox/index.js';

export const HOSTS = generatedHosts(20);

export interface BenchWorld {
  dir: string;
  database: string;
  zoom: ZoomSandbox;
  kaltura: KalturaSandbox;
  storageDir: string;
  /** Writes a zk config (sandbox demo config with `mutate` applied) and returns its path. */
  writeConfig(name: string, mutate?: (raw: Record<string, any>) => void): string;
  /** Count of files per state in zk's database (read-only). */
  states(): Record<string, number>;
  /** Removes the bytes Kaltura holds (upload tokens, entries) without touching its records. */
  dropStoredBytes(): void;
  close(): Promise<void>;
}

function isoAt(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** One meeting holding one MP4 of `size` bytes (and nothing else), started `agoMs` before now. */
export function mp4Meeting(i: number, size: number, agoMs = 2 * 3_600_000, tag = 'b'): ZoomSeedMeeting {
  const start = Date.now() - agoMs;
  const host = HOSTS[i % HOSTS.length];
  const uuid = Buffer.from(`zk-bench-${tag}-${i}-uuid`).toString('base64').slice(0, 22) + '==';
  return {
    uuid,
    id: 85_000_000_000 + i,
    hostId: host.id!,
    hostEmail: host.email,
    topic: `Bench ${tag} ${i}`,
    type: 2,
    startTime: isoAt(start),
    durationMin: 60,
    files: [
      {
        id: `bench-${tag}-${i}-mp4`,
        fileType: 'MP4',
        fileExtension: 'MP4',
        recordingType: 'shared_screen_with_speaker_view',
        fileSize: size,
        recordingStart: isoAt(start),
        recordingEnd: isoAt(start + 3_600_000),
      },
    ],
  };
}

export async function startWorld(meetings: ZoomSeedMeeting[], opts: { conversionDelayMs?: number } = {}): Promise<BenchWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'zk-bench-'));
  // The Kaltura emulator's stored bytes go to tmpfs when there is one, so its gigabytes of write-back do not
  // share a disk with zk's database (SQLite checkpoints fsync) and the figures measure zk, not that disk.
  // zk's database stays on disk.
  const storageDir = existsSync('/dev/shm') ? mkdtempSync(join('/dev/shm', 'zk-bench-kaltura-')) : join(dir, 'kaltura');
  const zoom = await startZoomSandbox({
    accounts: [{ ...ZOOM_DEMO_ACCOUNT }],
    seed: { accountId: ZOOM_DEMO_ACCOUNT.accountId, users: HOSTS, meetings },
  });
  const kaltura = await startKalturaSandbox({ ...kalturaDemoSandboxOptions(), storageDir, conversionDelayMs: opts.conversionDelayMs ?? 5 });
  const database = join(dir, 'zk.db');
  return {
    dir,
    database,
    zoom,
    kaltura,
    storageDir,
    writeConfig(name, mutate) {
      const raw = sandboxConfig({ zoom, kaltura }, { database, metricsEnabled: false, deleteEnabled: false, logLevel: 'warn' }) as Record<string, any>;
      mutate?.(raw);
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, stringify(raw));
      return file;
    },
    states() {
      let db: Db | undefined;
      try {
        db = openDatabase(database, { readonly: true });
        return createFilesRepo(db, { now: Date.now }).countByState();
      } catch {
        return {};
      } finally {
        db?.close();
      }
    },
    dropStoredBytes() {
      for (const sub of ['tokens', 'entries', 'tmp']) {
        const d = join(storageDir, sub);
        for (const f of safeList(d)) rmSync(join(d, f), { recursive: true, force: true });
      }
    },
    async close() {
      await Promise.allSettled([zoom.close(), kaltura.close()]);
      rmSync(dir, { recursive: true, force: true });
      rmSync(storageDir, { recursive: true, force: true });
    },
  };
}

function safeList(d: string): string[] {
  try {
    return readdirSync(d);
  } catch {
    return [];
  }
}
