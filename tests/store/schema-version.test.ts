/** `zk migrate` prints the highest applied migration, read through the store. */
import { afterEach, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/db.js';
import { appliedVersions, loadMigrations, openStore, schemaVersion } from '../../src/store/migrate.js';
import { tempDir } from '../helpers/tmp.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

test('is 0 before any migration and the latest one after', () => {
  const tmp = tempDir();
  cleanups.push(tmp.cleanup);
  const path = join(tmp.dir, 'zk.db');
  const bare = openDatabase(path);
  appliedVersions(bare); // creates the empty bookkeeping table, as every open does
  expect(schemaVersion(bare)).toBe(0);
  bare.close();
  const db = openStore(path);
  expect(schemaVersion(db)).toBe(Math.max(...loadMigrations().map((m) => m.version)));
  db.close();
});
