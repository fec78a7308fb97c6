/** A real SQLite store in a temporary directory, seeded through the repositories (shared by the store query tests). */
import { join } from 'node:path';
import { openStore } from '../../src/store/migrate.js';
import type { Db } from '../../src/store/db.js';
import { createAccountsRepo } from '../../src/store/accounts-repo.js';
import { createRecordingsRepo } from '../../src/store/recordings-repo.js';
import { createFilesRepo, type FilePatch, type FileRole, type FilesRepo } from '../../src/store/files-repo.js';
import type { FileState } from '../../src/ingest/states.js';
import { tempDir } from '../helpers/tmp.js';

export interface SeededStore {
  db: Db;
  clock: { now(): number; set(ms: number): void };
  files: FilesRepo;
  account(name: string): void;
  recording(account: string, meetingUuid: string, recordingStart: string, topic?: string): number;
  /** A listed file moved straight to `state` (with `role` and `patch`), as the engine would leave it. */
  file(recordingId: number, state: FileState, opts?: { role?: FileRole; fileType?: string; patch?: FilePatch }): number;
  close(): void;
}

let seq = 0;

export function seededStore(start = Date.parse('2024-06-10T12:00:00Z')): SeededStore {
  const tmp = tempDir('zk-store-');
  const db = openStore(join(tmp.dir, 'zk.db'));
  let now = start;
  const clock = { now: () => now, set: (ms: number) => void (now = ms) };
  const accounts = createAccountsRepo(db, clock);
  const recordings = createRecordingsRepo(db, clock);
  const files = createFilesRepo(db, clock);
  const meta = new Map<number, { account: string; meetingUuid: string }>();
  return {
    db,
    clock,
    files,
    account: (name) => accounts.ensure({ name, zoomAccountId: `acc-${name}` }),
    recording(account, meetingUuid, recordingStart, topic = 'Weekly sync') {
      const id = recordings.upsert({ account, meetingUuid, meetingId: 1, recordingStart, topic, meetingType: 2, startTime: recordingStart });
      meta.set(id, { account, meetingUuid });
      return id;
    },
    file(recordingId, state, opts = {}) {
      const { account, meetingUuid } = meta.get(recordingId)!;
      seq += 1;
      const { id } = files.upsertListed({
        account, recordingId, meetingUuid, zoomFileId: `zf-${seq}`, fileType: opts.fileType ?? 'MP4', fileExtension: 'MP4',
        recordingType: 'speaker_view', zoomStatus: 'completed', fileSize: 1024, downloadUrl: 'https://zoom.example/f',
      });
      if (state !== 'DETECTED' || opts.role || opts.patch) files.transition(id, 'DETECTED', state, 'seeded', { role: opts.role ?? 'parent', ...opts.patch });
      return id;
    },
    close() {
      db.close();
      tmp.cleanup();
    },
  };
}
