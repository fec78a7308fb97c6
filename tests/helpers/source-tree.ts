/** Reading zk's own source tree for the architecture tests (layering, SQL confinement). */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const ROOT = resolve(new URL('.', import.meta.url).pathname, '..', '..');
export const src = (...p: string[]) => join(ROOT, 'src', ...p);

/** Every .ts file under `dir`, recursively. */
export function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every module a file imports or re-exports (static and dynamic): relative ones resolved to a path, packages by name. */
export function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g)].map((m) => m[1]);
  return specifiers.map((s) => (s.startsWith('.') ? resolve(dirname(file), s) : s));
}

export const inside = (dir: string) => (target: string) => !relative(dir, target).startsWith('..') && target.startsWith('/');

/** "file -> target" for every import from a file under one of `from` into `to`. */
export function offending(from: string[], to: (target: string) => boolean): string[] {
  return from.flatMap((dir) =>
    sources(dir).flatMap((file) => imports(file).filter(to).map((target) => `${relative(ROOT, file)} -> ${target.startsWith('/') ? relative(ROOT, target) : target}`)),
  );
}
