/** Issue 20: SQL is written only in src/store (and the emulators in src/sandbox); everyone else calls its typed functions. */
import { expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, sources, src } from '../helpers/source-tree.js';

const SRC = src();
const ALLOWED = ['store', 'sandbox'].map((d) => join(SRC, d));


/** SQL statements, better-sqlite3 calls (a statement, a transaction, a pragma) and opening the driver directly. */
const SQL = [
  /\b(SELECT\s[\s\S]*?\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX)|BEGIN\s+IMMEDIATE)\b/,
  /\.(prepare|transaction|pragma)\s*\(/,
  /\.exec\s*\(\s*[`'"]/,
  /from\s+['"]better-sqlite3['"]/,
];

test('no SQL outside src/store and src/sandbox', () => {
  const files = sources(SRC).filter((f) => !ALLOWED.some((dir) => f.startsWith(dir + '/')));
  const offending = files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line, i) => ({ line, at: `${relative(ROOT, file)}:${i + 1}` }))
      .filter(({ line }) => SQL.some((re) => re.test(line)))
      .map(({ at, line }) => `${at}: ${line.trim()}`),
  );
  expect(files.length).toBeGreaterThan(50);
  expect(offending).toEqual([]);
});
