import { describe, expect, test, afterEach } from '@jest/globals';
import { statSync, writeFileSync, mkdirSync, readdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/db.js';
import { migrate, openStore, defaultMigrationsDir, appliedVersions } from '../../src/store/migrate.js';
import { createLeases } from '../../src/store/leases.js';
import { FatalError, EXIT } from '../../src/errors.js';
import { tempDir } from '../helpers/tmp.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function tmp() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('migrations', () => {
  test('fresh apply creates every table, WAL, foreign keys and a 0600 file', () => {
    const path = join(tmp(), 'sub', 'zk.db');
    const db = openDatabase(path);
    const { applied } = migrate(db);
    expect(applied).toContain('0001_init.sql');
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as Array<{ name: string }>).map((r) => r.name);
    for (const t of ['accounts', 'poll_cursors', 'recordings', 'files', 'events', 'leases', 'import_windows', 'schema_migrations']) {
      expect(tables).toContain(t);
    }
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    db.close();
  });

  test('re-running is a no-op', () => {
    const path = join(tmp(), 'zk.db');
    openStore(path).close();
    const db = openDatabase(path);
    const before = appliedVersions(db);
    expect(migrate(db).applied).toEqual([]);
    expect(appliedVersions(db)).toEqual(before);
    db.close();
  });

  test('refuses a database newer than the code with a distinct exit code', () => {
    const path = join(tmp(), 'zk.db');
    const newer = join(tmp(), 'migrations');
    mkdirSync(newer);
    for (const f of readdirSync(defaultMigrationsDir())) copyFileSync(join(defaultMigrationsDir(), f), join(newer, f));
    writeFileSync(join(newer, '9999_future.sql'), 'CREATE TABLE future (x INTEGER);');
    openStore(path, newer).close();

    const db = openDatabase(path);
    let caught: unknown;
    try {
      migrate(db);
    } catch (err) {
      caught = err;
    }
    db.close();
    expect(caught).toBeInstanceOf(FatalError);
    expect((caught as FatalError).exitCode).toBe(EXIT.DB_TOO_NEW);
    expect((caught as Error).message).toMatch(/newer than this zk/);
  });

  test('a failing migration leaves no partial schema and no record', () => {
    const dir = join(tmp(), 'migrations');
    mkdirSync(dir);
    copyFileSync(join(defaultMigrationsDir(), '0001_init.sql'), join(dir, '0001_init.sql'));
    writeFileSync(join(dir, '0002_broken.sql'), 'CREATE TABLE half (x INTEGER); THIS IS NOT SQL;');
    const db = openDatabase(join(tmp(), 'zk.db'));
    expect(() => migrate(db, dir)).toThrow();
    expect(appliedVersions(db)).toEqual([1]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name='half'").get()).toBeUndefined();
    db.close();
  });

  test('events are append-only', () => {
    const db = openStore(join(tmp(), 'zk.db'));
    db.prepare("INSERT INTO events (at, to_state, reason) VALUES (1, 'DETECTED', 'listed')").run();
    expect(() => db.prepare("UPDATE events SET reason = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    db.close();
  });
});

describe('leases', () => {
  test('one holder at a time; expiry frees it; renew only by the owner', () => {
    let now = 1000;
    const db = openStore(join(tmp(), 'zk.db'));
    const leases = createLeases(db, { now: () => now });
    expect(leases.tryAcquire('daemon', 'a', 100)).toBe(true);
    expect(leases.tryAcquire('daemon', 'b', 100)).toBe(false);
    expect(leases.renew('daemon', 'b', 100)).toBe(false);
    now += 50;
    expect(leases.renew('daemon', 'a', 100)).toBe(true); // now expires at 1150
    now += 60;
    expect(leases.tryAcquire('daemon', 'b', 100)).toBe(false);
    now += 100;
    expect(leases.tryAcquire('daemon', 'b', 100)).toBe(true);
    expect(leases.holder('daemon')?.owner).toBe('b');
    leases.release('daemon', 'a');
    expect(leases.holder('daemon')?.owner).toBe('b');
    leases.release('daemon', 'b');
    expect(leases.holder('daemon')).toBeUndefined();
    db.close();
  });
});
