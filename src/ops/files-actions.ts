/**
 * The two operator writes: `zk files retry` and `zk files ignore`. Each is a
 * compare-and-set on the state it read (`FilesRepo.transition`, which appends
 * the event), inside one IMMEDIATE transaction, so it is safe while the daemon
 * or an import runs: either the operator's change lands whole, or it is refused.
 */
import type { Db } from '../store/db.js';
import type { FilePatch, FileRow } from '../store/files-repo.js';
import { operatorFileWrites, type OperatorFileWrites } from '../store/operator-file-writes.js';
import type { FileState } from '../ingest/states.js';
import { isoTime } from './format.js';
import { partialError, usageError } from './usage.js';

export const RETRYABLE_STATES: readonly FileState[] = ['FAILED', 'RETRY_WAIT', 'NEEDS_REVIEW'];
/**
 * Ignoring is refused for files already finished (PURGED, IGNORED) and while
 * bytes are moving (TRANSFERRING); any state is refused while a live lease
 * shows a process working on the file. FAILED may be ignored: it only
 * acknowledges the failure, and IGNORED files are never deleted from Zoom.
 * HANDLED and PURGE_PENDING may be ignored too: the Kaltura copy stays, and
 * the file is kept in Zoom (its scheduled deletion is cancelled). Ignoring a
 * segment's parent also ignores that segment's captions, chat and covered
 * audio, in the same transaction, so Zoom keeps the recording whole: none of
 * them is trashed without the video.
 */
export const NOT_IGNORABLE_STATES: readonly FileState[] = ['PURGED', 'IGNORED', 'TRANSFERRING'];

export interface Transition {
  id: number;
  account: string;
  from: FileState;
  to: FileState;
}

/** Roles that go with a parent: ignoring the parent keeps them in Zoom as well. */
const PARENT_COMPANIONS = ['caption', 'attachment', 'covered'];

function load(store: OperatorFileWrites, id: number): FileRow {
  const row = store.files.get(id);
  if (!row) throw usageError(`no file with id ${id}: find ids with \`zk files list\``);
  return row;
}

function leaseIsLive(row: FileRow, now: number): boolean {
  return row.leaseOwner !== null && row.leaseUntil !== null && row.leaseUntil > now;
}

function leaseRefusal(row: FileRow, verb: string): Error {
  return partialError(
    `file ${row.id} (${row.state}) is being worked on by ${row.leaseOwner} until ${isoTime(row.leaseUntil)}; ` +
      `not ${verb}: try again when that lease ends`,
    'FILE_LEASED',
  );
}

/**
 * One compare-and-set transition and its event, through the engine's write path; false when the
 * row changed underneath. The lease was checked by the caller inside the same IMMEDIATE
 * transaction, so no process can take it in between. The lease is cleared with the change.
 */
function transition(store: OperatorFileWrites, row: FileRow, to: FileState, reason: string, resetAttempts: boolean): boolean {
  const patch: FilePatch = resetAttempts
    ? { leaseOwner: null, leaseUntil: null, attempts: 0, nextAttemptAt: null, blockedStreak: 0, conversionFailures: 0 }
    : { leaseOwner: null, leaseUntil: null, nextAttemptAt: null };
  return store.files.transition(row.id, row.state, to, reason, patch, { actor: 'cli' });
}

export function retryFile(db: Db, id: number, now: number): Transition {
  const store = operatorFileWrites(db, now);
  return store.atomically((): Transition => {
    const row = load(store, id);
    if (!RETRYABLE_STATES.includes(row.state)) {
      throw partialError(
        `file ${id} is ${row.state}; only FAILED, NEEDS_REVIEW or RETRY_WAIT files can be retried` +
          (row.state === 'IGNORED' ? ' (it was ignored on purpose; see `zk files show`)' : ''),
        'FILE_STATE',
      );
    }
    if (leaseIsLive(row, now)) throw leaseRefusal(row, 'retried');
    if (!transition(store, row, 'PENDING', 'operator retry', true)) throw partialError(`file ${id} changed while retrying; run the command again`, 'FILE_CHANGED');
    return { id, account: row.account, from: row.state, to: 'PENDING' };
  });
}

/** Every FAILED file (of one account, or all): PENDING with attempts reset. Leased ones are skipped. */
export function retryFailed(db: Db, now: number, account?: string): { retried: Transition[]; skipped: Array<{ id: number; reason: string }> } {
  const store = operatorFileWrites(db, now);
  return store.atomically(() => {
    const retried: Transition[] = [];
    const skipped: Array<{ id: number; reason: string }> = [];
    for (const id of store.failedIds(account)) {
      const row = load(store, id);
      if (leaseIsLive(row, now)) {
        skipped.push({ id, reason: `leased by ${row.leaseOwner} until ${isoTime(row.leaseUntil)}` });
      } else if (transition(store, row, 'PENDING', 'operator retry', true)) {
        retried.push({ id, account: row.account, from: row.state, to: 'PENDING' });
      }
    }
    return { retried, skipped };
  });
}

export function ignoreFile(db: Db, id: number, reason: string | undefined, now: number): Transition & { alsoIgnored?: Transition[] } {
  const store = operatorFileWrites(db, now);
  return store.atomically(() => {
    const row = load(store, id);
    refuseIgnore(row, now);
    const text = reason?.trim() ? `operator ignore: ${reason.trim()}` : 'operator ignore';
    if (!transition(store, row, 'IGNORED', text, false)) throw partialError(`file ${id} changed while ignoring; run the command again`, 'FILE_CHANGED');
    const alsoIgnored: Transition[] = [];
    if (row.role === 'parent') {
      for (const companionId of store.companionIds(row.recordingId, row.id, PARENT_COMPANIONS)) {
        const companion = load(store, companionId);
        // Any refusal rolls the parent back too: all of the segment is kept, or nothing changes.
        refuseIgnore(companion, now, `with its parent file ${row.id}`);
        if (!transition(store, companion, 'IGNORED', `${text} (parent file ${row.id} ignored; kept in Zoom with it)`, false)) {
          throw partialError(`file ${companion.id} changed while ignoring; run the command again`, 'FILE_CHANGED');
        }
        alsoIgnored.push({ id: companion.id, account: companion.account, from: companion.state, to: 'IGNORED' });
      }
    }
    const t: Transition = { id, account: row.account, from: row.state, to: 'IGNORED' };
    return alsoIgnored.length > 0 ? { ...t, alsoIgnored } : t;
  });
}

function refuseIgnore(row: FileRow, now: number, context = ''): void {
  const what = context ? `file ${row.id} (${context})` : `file ${row.id}`;
  if (NOT_IGNORABLE_STATES.includes(row.state)) {
    const why =
      row.state === 'TRANSFERRING'
        ? 'its bytes are moving; wait until it is IMPORTING, RETRY_WAIT or HANDLED'
        : row.state === 'PURGED'
          ? 'it is already finished and deleted from Zoom'
          : 'it is already ignored';
    throw partialError(`${what} is ${row.state}; not ignored: ${why}`, 'FILE_STATE');
  }
  if (leaseIsLive(row, now)) throw leaseRefusal(row, context ? `ignored ${context}` : 'ignored');
}

/** `<id>` on the command line must be a file id (a positive integer). */
export function parseFileId(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw usageError(`invalid file id "${text}": give the numeric id shown by \`zk files list\``);
  }
  return Number(text);
}
