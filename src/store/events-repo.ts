/**
 * The append-only history of state transitions (the schema's triggers refuse
 * UPDATE and DELETE). files-repo appends inside its transition transaction;
 * this module appends account-level events and reads history.
 */
import type { Db } from './db.js';
import type { EventRow, EventsRepo } from '../ingest/store-port/events.js';

export type { EventActor, EventRow, EventsRepo, NewEvent } from '../ingest/store-port/events.js';

const SELECT = `SELECT id, file_id AS fileId, account, at, from_state AS fromState, to_state AS toState, reason, actor FROM events`;

export function createEventsRepo(db: Db): EventsRepo {
  const insert = db.prepare(
    `INSERT INTO events (file_id, account, at, from_state, to_state, reason, actor)
     VALUES (@fileId, @account, @at, @fromState, @toState, @reason, @actor)`,
  );
  const byFile = db.prepare(`${SELECT} WHERE file_id = ? ORDER BY id`);
  const byAccount = db.prepare(`${SELECT} WHERE account = ? ORDER BY id DESC LIMIT ?`);
  const lastEntered = db.prepare('SELECT at FROM events WHERE file_id = ? AND to_state = ? ORDER BY id DESC LIMIT 1');
  return {
    append(e) {
      const info = insert.run({
        fileId: e.fileId ?? null,
        account: e.account ?? null,
        at: e.at,
        fromState: e.fromState ?? null,
        toState: e.toState,
        reason: e.reason,
        actor: e.actor ?? 'daemon',
      });
      return Number(info.lastInsertRowid);
    },
    listForFile: (fileId) => byFile.all(fileId) as EventRow[],
    listForAccount: (account, limit = 100) => byAccount.all(account, limit) as EventRow[],
    lastEnteredAt(fileId, state) {
      const row = lastEntered.get(fileId, state) as { at: number } | undefined;
      return row?.at;
    },
  };
}
