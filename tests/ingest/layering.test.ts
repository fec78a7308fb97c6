import { describe, expect, test } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(new URL('.', import.meta.url).pathname, '..', '..');
const INGEST = join(ROOT, 'src', 'ingest');
const STORE = join(ROOT, 'src', 'store');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every relative module a file imports or re-exports (static and dynamic), resolved to a path under src. */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.[^'"]+)['"]/g)].map((m) => m[1]);
  return specifiers.map((s) => resolve(dirname(file), s));
}

describe('layering', () => {
  // The domain depends on its ports only: the SQLite store implements src/ingest/store-port, never the other way round.
  test('src/ingest imports nothing from src/store', () => {
    const offending = sources(INGEST).flatMap((file) =>
      relativeImports(file)
        .filter((target) => !relative(STORE, target).startsWith('..'))
        .map((target) => `${relative(ROOT, file)} -> ${relative(ROOT, target)}`),
    );
    expect(sources(INGEST).length).toBeGreaterThan(20);
    expect(offending).toEqual([]);
  });
});
