/**
 * `global.database` problems are configuration problems (exit 78 naming the
 * key), whether the schema can see them (a path in a kernel filesystem, where
 * creating a directory can hang) or only the filesystem can (a parent that is
 * a file, a read-only or forbidden directory, a file that is not a database).
 */
import { resolve, sep } from 'node:path';
import { ConfigError, ZkError } from '../errors.js';

/** Kernel filesystems: never a place for a database, and mkdir under /proc can block forever. */
const SPECIAL_ROOTS = ['/proc', '/sys', '/dev'];

/** Why a database path cannot be used, judged from the path alone; undefined when it may be. */
export function specialDatabasePath(database: string): string | undefined {
  if (database === ':memory:') return undefined;
  const abs = resolve(database);
  const root = SPECIAL_ROOTS.find((r) => abs === r || abs.startsWith(`${r}${sep}`));
  return root && `${abs} is inside ${root}, a kernel filesystem`;
}

const FS_CODES = new Set(['EEXIST', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'EISDIR', 'ENOENT', 'ELOOP', 'ENAMETOOLONG', 'ENOSPC', 'EINVAL']);

function databaseIssue(database: string, found: string): ConfigError {
  return new ConfigError([
    { path: 'global.database', expected: 'a path to a SQLite file zk can create and write (its folder is created 0700 if missing)', found: `"${database}": ${found}` },
  ]);
}

/** Opens the configured database with `open` (the store's opener, passed in so config depends on no store); filesystem and SQLite open failures become exit 78 naming global.database. */
export function openConfiguredStore<T>(database: string, open: (path: string) => T): T {
  const special = specialDatabasePath(database);
  if (special) throw databaseIssue(database, special);
  try {
    return open(database);
  } catch (err) {
    if (err instanceof ZkError) throw err; // e.g. a schema newer than this zk (exit 65)
    const e = err as NodeJS.ErrnoException;
    if (typeof e.code === 'string' && (FS_CODES.has(e.code) || e.code.startsWith('SQLITE_CANTOPEN') || e.code === 'SQLITE_NOTADB' || e.code.startsWith('SQLITE_READONLY'))) {
      throw databaseIssue(database, e.message);
    }
    throw err;
  }
}
