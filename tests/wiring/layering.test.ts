/**
 * The composition-root rules of README's Architecture table: the daemon and
 * the CLI share src/wiring instead of borrowing from each other, config needs
 * no adapter, and every layer logs through src/log/port.ts, never winston.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(new URL('.', import.meta.url).pathname, '..', '..');
const src = (...p: string[]) => join(ROOT, 'src', ...p);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every module a file imports or re-exports (static and dynamic): relative ones resolved to a path, packages by name. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g)].map((m) => m[1]);
  return specifiers.map((s) => (s.startsWith('.') ? resolve(dirname(file), s) : s));
}

const inside = (dir: string) => (target: string) => !relative(dir, target).startsWith('..') && target.startsWith('/');

/** "file -> target" for every import from a file under one of `from` into `to`. */
function offending(from: string[], to: (target: string) => boolean): string[] {
  return from.flatMap((dir) =>
    sources(dir).flatMap((file) => imports(file).filter(to).map((target) => `${relative(ROOT, file)} -> ${target.startsWith('/') ? relative(ROOT, target) : target}`)),
  );
}

describe('layering of the composition roots', () => {
  test('src/daemon and src/wiring import nothing from src/cli; only the binaries import src/daemon', () => {
    expect(offending([src('daemon'), src('wiring')], inside(src('cli')))).toEqual([]);
    const notRoots = readdirSync(src(), { withFileTypes: true })
      .filter((e) => e.isDirectory() && !['cli', 'daemon'].includes(e.name))
      .map((e) => src(e.name));
    expect(offending(notRoots, inside(src('daemon')))).toEqual([]);
  });

  test('src/config imports no adapter and no store', () => {
    expect(offending([src('config')], (t) => inside(src('kaltura'))(t) || inside(src('zoom'))(t) || inside(src('store'))(t))).toEqual([]);
  });

  test('the domain and the adapters log through src/log/port.ts, never winston or src/log/logger.ts', () => {
    const layers = [src('ingest'), src('zoom'), src('kaltura'), src('wiring'), src('daemon')];
    expect(offending(layers, (t) => t === 'winston' || t === src('log', 'logger.js'))).toEqual([]);
  });
});
