/**
 * Resolves secret references in a parsed config before validation:
 * `${ENV_VAR}` inside any string value, and `{ file: /path }` at secret keys.
 * Problems are reported as ConfigIssues at the key path; secret values never
 * appear in them.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { ConfigIssue } from '../errors.js';
import { SECRET_KEYS } from './schema.js';
import { formatPath, type PathSegment } from './issues.js';

export interface ResolveSecretsOptions {
  env: NodeJS.ProcessEnv;
  /** Relative `{ file }` paths are resolved against this (the config file's directory). */
  baseDir: string;
}

export interface ResolvedSecrets {
  /** A copy of the input with references replaced (unresolvable ones left as written). */
  value: unknown;
  issues: ConfigIssue[];
  /** Dot/bracket paths that already have an issue, so validation does not report them twice. */
  issuePaths: Set<string>;
  /** Every resolved value at a secret key, for masking in messages and logs. */
  secretValues: string[];
  /** The `{ file }` secrets read (key path → absolute file), for the permission warning. */
  secretFiles: Array<{ key: string; file: string }>;
}

/** `$${X}` is a literal `${X}`; `${X}` is a reference (POSIX-style names). */
const REFERENCE = /\$(\$?)\{([^}]*)\}/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isSecretKey(key: PathSegment | undefined): boolean {
  return typeof key === 'string' && (SECRET_KEYS as readonly string[]).includes(key);
}

export function resolveSecrets(input: unknown, opts: ResolveSecretsOptions): ResolvedSecrets {
  const issues: ConfigIssue[] = [];
  const issuePaths = new Set<string>();
  const secretValues: string[] = [];
  const secretFiles: Array<{ key: string; file: string }> = [];

  const report = (path: PathSegment[], expected: string, found: string): void => {
    const p = formatPath(path);
    issues.push({ path: p, expected, found });
    issuePaths.add(p);
  };

  const expand = (text: string, path: PathSegment[]): string => {
    let failed = false;
    const out = text.replace(REFERENCE, (whole, escape: string, name: string) => {
      if (escape) return whole.slice(1);
      if (!ENV_NAME.test(name)) {
        report(path, 'a reference like "${ENV_VAR}" (letters, digits and _)', `"\${${name.slice(0, 40)}}"`);
        failed = true;
        return whole;
      }
      const value = opts.env[name];
      if (value === undefined) {
        report(path, `environment variable ${name} to be set`, 'unset');
        failed = true;
        return whole;
      }
      return value;
    });
    // Leave the text as written on failure: a non-empty placeholder keeps the
    // validator from piling a second issue onto the same key.
    return failed ? text : out;
  };

  const readSecretFile = (spec: Record<string, unknown>, path: PathSegment[]): string => {
    const keys = Object.keys(spec);
    const raw = spec.file;
    if (keys.length !== 1 || typeof raw !== 'string' || raw === '') {
      report(path, 'a secret string, "${ENV_VAR}" or { file: /path/to/file }', `a mapping with keys ${keys.join(', ') || '(none)'}`);
      return '[invalid]';
    }
    const file = expand(raw, path);
    const full = isAbsolute(file) ? file : resolve(opts.baseDir, file);
    try {
      const content = readFileSync(full, 'utf8').replace(/\r?\n$/, '');
      secretFiles.push({ key: formatPath(path), file: full });
      if (content === '') report(path, `a non-empty secret in ${full}`, 'an empty file');
      return content === '' ? '[empty]' : content;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      report(path, `a readable secret file at ${full}`, code === 'ENOENT' ? 'missing file' : `unreadable file (${code})`);
      return '[unreadable]';
    }
  };

  const walk = (node: unknown, path: PathSegment[]): unknown => {
    const key = path[path.length - 1];
    if (typeof node === 'string') {
      const value = expand(node, path);
      if (isSecretKey(key) && value !== '' && !issuePaths.has(formatPath(path))) secretValues.push(value);
      return value;
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, i]));
    if (node !== null && typeof node === 'object') {
      if (isSecretKey(key)) {
        const value = readSecretFile(node as Record<string, unknown>, path);
        if (!issuePaths.has(formatPath(path))) secretValues.push(value);
        return value;
      }
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) out[k] = walk(v, [...path, k]);
      return out;
    }
    return node;
  };

  const value = walk(input, []);
  return { value, issues, issuePaths, secretValues, secretFiles };
}
