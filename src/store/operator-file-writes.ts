/**
 * The store side of the operator's file writes (`zk files retry`, `zk files ignore`): the
 * reads that choose which rows to change, and one IMMEDIATE transaction to hold them with the
 * change. The change itself is `FilesRepo.transition`, the engine's own write path, so the new
 * state and its recorded reason land together exactly as the engine's do.
 */
import type { Db } from './db.js';
import { createFilesRepo, type FilesRepo } from './files-repo.js';

export interface OperatorFileWrites {
  /** The one write path (and the row reader it checks). */
  files: FilesRepo;
  /** Runs `fn` in one IMMEDIATE transaction: what it writes lands whole, or (when it throws) not at all. */
  atomically<T>(fn: () => T): T;
  /** FAILED files, of one account or all, by id. */
  failedIds(account?: string): number[];
  /** The other files of a segment with one of `roles`, not yet PURGED or IGNORED, by id. */
  companionIds(recordingId: number, exceptId: number, roles: readonly string[]): number[];
}

/** `now` is the operator command's time: the transition and its event are stamped with it. */
export function operatorFileWrites(db: Db, now: number): OperatorFileWrites {
  const allFailed = db.prepare<[], { id: number }>("SELECT id FROM files WHERE state = 'FAILED' ORDER BY id");
  const accountFailed = db.prepare<[string], { id: number }>("SELECT id FROM files WHERE state = 'FAILED' AND account = ? ORDER BY id");
  return {
    files: createFilesRepo(db, { now: () => now }),
    atomically: (fn) => db.transaction(fn).immediate(),
    failedIds: (account) => (account === undefined ? allFailed.all() : accountFailed.all(account)).map((r) => r.id),
    companionIds(recordingId, exceptId, roles) {
      return db
        .prepare<unknown[], { id: number }>(
          `SELECT id FROM files WHERE recording_id = ? AND id != ? AND role IN (${roles.map(() => '?').join(',')})
             AND state NOT IN ('PURGED', 'IGNORED') ORDER BY id`,
        )
        .all(recordingId, exceptId, ...roles)
        .map((r) => r.id);
    },
  };
}
