/**
 * The two operator writes: `zk files retry` and `zk files ignore`. Each is a
 * compare-and-set on the state it read, inside one IMMEDIATE transaction that
 * also appends the event, so it is safe while the daemon or an import runs:
 * either the operator's change lands whole, or it is refused.
 */
import type { Db } from '../store/db.js';
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

interface Current {
  id: number;
  account: string;
  state: FileState;
  role: string | null;
  recording_id: number | null;
  lease_owner: string | null;
  lease_until: number | null;
}

function load(db: Db, id: number): Current {
  const row = db.prepare('SELECT id, account, state, role, recording_id, lease_owner, lease_until FROM files WHERE id = ?').get(id) as Current | undefined;
  if (!row) throw usageError(`no file with id ${id}: find ids with \`zk files list\``);
  return row;
}

function leaseIsLive(row: Current, now: number): boolean {
  return row.lease_owner !== null && row.lease_until !== null && row.lease_until > now;
}

function leaseRefusal(row: Current, verb: string): Error {
  return partialError(
    `file ${row.id} (${row.state}) is being worked on by ${row.lease_owner} until ${isoTime(row.lease_until)}; ` +
      `not ${verb}: try again when that lease ends`,
    'FILE_LEASED',
  );
}

/** Applies one compare-and-set transition and its event; false when the row changed underneath. */
function transition(db: Db, row: Current, to: FileState, reason: string, now: number, resetAttempts: boolean): boolean {
  const update = db.prepare(
    `UPDATE files SET state = @to, updated_at = @now, lease_owner = NULL, lease_until = NULL
       ${resetAttempts ? ', attempts = 0, next_attempt_at = NULL, blocked_streak = 0, conversion_failures = 0' : ', next_attempt_at = NULL'}
     WHERE id = @id AND state = @from AND (lease_until IS NULL OR lease_until <= @now)`,
  );
  if (update.run({ id: row.id, from: row.state, to, now }).changes !== 1) return false;
  db.prepare(
    `INSERT INTO events (file_id, account, at, from_state, to_state, reason, actor) VALUES (?, ?, ?, ?, ?, ?, 'cli')`,
  ).run(row.id, row.account, now, row.state, to, reason);
  return true;
}

export function retryFile(db: Db, id: number, now: number): Transition {
  return db.transaction((): Transition => {
    const row = load(db, id);
    if (!RETRYABLE_STATES.includes(row.state)) {
      throw partialError(
        `file ${id} is ${row.state}; only FAILED, NEEDS_REVIEW or RETRY_WAIT files can be retried` +
          (row.state === 'IGNORED' ? ' (it was ignored on purpose; see `zk files show`)' : ''),
        'FILE_STATE',
      );
    }
    if (leaseIsLive(row, now)) throw leaseRefusal(row, 'retried');
    if (!transition(db, row, 'PENDING', 'operator retry', now, true)) throw partialError(`file ${id} changed while retrying; run the command again`, 'FILE_CHANGED');
    return { id, account: row.account, from: row.state, to: 'PENDING' };
  }).immediate();
}

/** Every FAILED file (of one account, or all): PENDING with attempts reset. Leased ones are skipped. */
export function retryFailed(db: Db, now: number, account?: string): { retried: Transition[]; skipped: Array<{ id: number; reason: string }> } {
  return db.transaction(() => {
    const ids = (
      account === undefined
        ? db.prepare("SELECT id FROM files WHERE state = 'FAILED' ORDER BY id").all()
        : db.prepare("SELECT id FROM files WHERE state = 'FAILED' AND account = ? ORDER BY id").all(account)
    ) as Array<{ id: number }>;
    const retried: Transition[] = [];
    const skipped: Array<{ id: number; reason: string }> = [];
    for (const { id } of ids) {
      const row = load(db, id);
      if (leaseIsLive(row, now)) {
        skipped.push({ id, reason: `leased by ${row.lease_owner} until ${isoTime(row.lease_until)}` });
      } else if (transition(db, row, 'PENDING', 'operator retry', now, true)) {
        retried.push({ id, account: row.account, from: row.state, to: 'PENDING' });
      }
    }
    return { retried, skipped };
  }).immediate();
}

export function ignoreFile(db: Db, id: number, reason: string | undefined, now: number): Transition & { alsoIgnored?: Transition[] } {
  return db.transaction(() => {
    const row = load(db, id);
    refuseIgnore(row, now);
    const text = reason?.trim() ? `operator ignore: ${reason.trim()}` : 'operator ignore';
    if (!transition(db, row, 'IGNORED', text, now, false)) throw partialError(`file ${id} changed while ignoring; run the command again`, 'FILE_CHANGED');
    const alsoIgnored: Transition[] = [];
    if (row.role === 'parent' && row.recording_id !== null) {
      const companions = db
        .prepare(
          `SELECT id FROM files WHERE recording_id = ? AND id != ? AND role IN (${PARENT_COMPANIONS.map(() => '?').join(',')})
             AND state NOT IN ('PURGED', 'IGNORED') ORDER BY id`,
        )
        .all(row.recording_id, row.id, ...PARENT_COMPANIONS) as Array<{ id: number }>;
      for (const c of companions) {
        const companion = load(db, c.id);
        // Any refusal rolls the parent back too: all of the segment is kept, or nothing changes.
        refuseIgnore(companion, now, `with its parent file ${row.id}`);
        if (!transition(db, companion, 'IGNORED', `${text} (parent file ${row.id} ignored; kept in Zoom with it)`, now, false)) {
          throw partialError(`file ${companion.id} changed while ignoring; run the command again`, 'FILE_CHANGED');
        }
        alsoIgnored.push({ id: companion.id, account: companion.account, from: companion.state, to: 'IGNORED' });
      }
    }
    const t: Transition = { id, account: row.account, from: row.state, to: 'IGNORED' };
    return alsoIgnored.length > 0 ? { ...t, alsoIgnored } : t;
  }).immediate();
}

function refuseIgnore(row: Current, now: number, context = ''): void {
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
