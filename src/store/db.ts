/**
 * Opens the SQLite database that is zk's source of truth. WAL lets the CLI read
 * while the daemon writes; busy_timeout makes concurrent writers (daemon and
 * `zk import-legacy`) wait instead of failing; the file is private (0600)
 * because it holds meeting topics and host emails.
 */
import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync, chmodSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';

export type Db = Database.Database;

export interface OpenOptions {
  readonly?: boolean;
  /** Milliseconds a writer waits for a lock held by another process. */
  busyTimeoutMs?: number;
}

export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  if (path !== ':memory:' && !opts.readonly) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    if (!existsSync(path)) {
      // Create the file ourselves so it never exists with a wider mode, even briefly.
      closeSync(openSync(path, 'a', 0o600));
    }
    chmodSync(path, 0o600);
  }
  const db = new Database(path, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
  if (!opts.readonly) db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  return db;
}
