/**
 * Forward-only migrations: numbered SQL files (0001_init.sql, ...) applied in
 * order, each inside its own transaction together with its row in
 * schema_migrations, so a crash leaves the schema at a whole version.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, FatalError } from '../errors.js';
import { openDatabase, type Db } from './db.js';

const FILE_PATTERN = /^(\d{4})_[a-z0-9_]+\.sql$/;

/** The repository's migrations/ folder, found from this file in both src/ and dist/. */
export function defaultMigrationsDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations');
}

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function loadMigrations(dir = defaultMigrationsDir()): Migration[] {
  return readdirSync(dir)
    .filter((f) => FILE_PATTERN.test(f))
    .sort()
    .map((name) => ({ version: Number(FILE_PATTERN.exec(name)![1]), name, sql: readFileSync(join(dir, name), 'utf8') }));
}

export function appliedVersions(db: Db): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  return (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>).map((r) => r.version);
}

/** The highest migration applied (0 when none is). */
export function schemaVersion(db: Db): number {
  return (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
}

/** Throws FatalError(EXIT.DB_TOO_NEW) when the database has versions this code does not know. */
export function assertNotNewer(db: Db, migrations: Migration[]): void {
  const known = new Set(migrations.map((m) => m.version));
  const unknown = appliedVersions(db).filter((v) => !known.has(v));
  if (unknown.length > 0) {
    const latest = Math.max(...migrations.map((m) => m.version), 0);
    throw new FatalError(
      `database schema is newer than this zk (database has migration ${Math.max(...unknown)}, this zk knows up to ${latest}); ` +
        'upgrade zk rather than downgrading the database',
      { code: 'DB_TOO_NEW', source: 'store', exitCode: EXIT.DB_TOO_NEW },
    );
  }
}

export function migrate(db: Db, dir?: string): { applied: string[] } {
  const migrations = loadMigrations(dir);
  assertNotNewer(db, migrations);
  const done = new Set(appliedVersions(db));
  const applied: string[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    // Immediate transaction: a concurrent migrator waits, then sees the version recorded
    // (the primary key makes a duplicate application fail rather than run twice).
    db.transaction(() => {
      record.run(m.version, m.name, Date.now());
      db.exec(m.sql);
    }).immediate();
    applied.push(m.name);
  }
  return { applied };
}

/** Opens the database and brings its schema up to date. */
export function openStore(path: string, dir?: string): Db {
  const db = openDatabase(path);
  try {
    migrate(db, dir);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
