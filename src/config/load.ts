/**
 * Finds, reads, resolves and validates the config file. Every problem is
 * collected and thrown at once as a ConfigError (exit 78), so an operator fixes
 * the file in one pass instead of one error per run.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { config as configSchema, type Config } from './schema.js';
import { formatPath, toConfigIssues, valueAt, type PathSegment } from './issues.js';
import { resolveSecrets } from './secrets.js';
import { configWarnings, type ConfigWarning } from './warnings.js';

export interface LoadConfigOptions {
  /** Explicit path (from `--config`); wins over ZK_CONFIG and the default. */
  path?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the file that was read. */
  file: string;
  /** Valid but risky settings (see warnings.ts); shown by `zk config check` and at daemon start. */
  warnings: ConfigWarning[];
}

export const DEFAULT_CONFIG_PATH = './config/zk.yaml';

/** `--config` > ZK_CONFIG > ./config/zk.yaml, resolved against cwd. */
export function resolveConfigPath(opts: LoadConfigOptions = {}): string {
  const env = opts.env ?? process.env;
  const chosen = opts.path || env.ZK_CONFIG || DEFAULT_CONFIG_PATH;
  return resolve(opts.cwd ?? process.cwd(), chosen);
}

export function loadConfig(opts: LoadConfigOptions = {}): LoadedConfig {
  const file = resolveConfigPath(opts);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(
      [
        {
          path: '<file>',
          expected: `a readable YAML file (copy config/zk.example.yaml to ${file}, or run \`zk sandbox\` to write one; choose another file with --config or ZK_CONFIG)`,
          found: code === 'ENOENT' ? 'missing' : `unreadable (${code ?? 'error'})`,
        },
      ],
      file,
    );
  }
  const warnings: ConfigWarning[] = [];
  return { config: parseConfigText(text, { file, env: opts.env ?? process.env, warnings }), file, warnings };
}

export interface ParseConfigOptions {
  /** Named in errors; its directory is the base for relative `{ file }` secrets. */
  file: string;
  env?: NodeJS.ProcessEnv;
  /** Receives the warnings of a valid config. */
  warnings?: ConfigWarning[];
}

/** Parses and validates YAML text (the part of loadConfig that does not touch the config path). */
export function parseConfigText(text: string, opts: ParseConfigOptions): Config {
  const raw = parseYaml(text, opts.file);
  return validateConfig(raw, { file: opts.file, env: opts.env ?? process.env, baseDir: dirname(resolve(opts.file)), warnings: opts.warnings });
}

function parseYaml(text: string, file: string): unknown {
  const lineCounter = new LineCounter();
  // prettyErrors off: pretty messages quote the source line, which may hold a secret.
  // merge: `<<: *defaults` lets accounts share settings.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  if (doc.errors.length > 0) {
    // One mistake often cascades into many errors; the first few locate it.
    const issues = doc.errors.slice(0, 3).map((e) => {
      const { line, col } = lineCounter.linePos(e.pos[0]);
      return { path: '<file>', expected: 'valid YAML', found: `${describeYamlError(e.message)} at line ${line}, column ${col}` };
    });
    throw new ConfigError(issues, file);
  }
  return doc.toJS({ maxAliasCount: 100 }) as unknown;
}

/** The parser's description without the quoted source that some messages end with (it may be a secret). */
function describeYamlError(text: string): string {
  return text.split('\n')[0].split(': ')[0].replace(/ at line \d+, column \d+:?$/, '');
}

/** At most this many validation passes; see the repair step below. */
const MAX_PASSES = 4;

export interface ValidateConfigOptions {
  file?: string;
  env: NodeJS.ProcessEnv;
  baseDir: string;
  /** Receives the warnings of a valid config. */
  warnings?: ConfigWarning[];
}

/** Resolves secrets and validates a parsed document, throwing every issue at once. */
export function validateConfig(raw: unknown, opts: ValidateConfigOptions): Config {
  if (raw === null || raw === undefined) {
    throw new ConfigError([{ path: '<root>', expected: 'a mapping with at least kaltura and accounts (see config/zk.example.yaml)', found: 'an empty file' }], opts.file);
  }
  const secrets = resolveSecrets(raw, { env: opts.env, baseDir: opts.baseDir });
  const issues: ConfigIssue[] = [...secrets.issues];
  const reported = new Set(secrets.issuePaths);
  let data = secrets.value;
  const repairedParents: string[] = [];

  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const result = configSchema.safeParse(data);
    if (result.success) {
      if (issues.length === 0) {
        opts.warnings?.push(...configWarnings(result.data, secrets.secretFiles));
        return result.data;
      }
      break;
    }
    // Zod skips a refinement (duplicate names, opt-in vs opt-out, ...) when a
    // field below it has the wrong type. So each reported key is removed (its
    // default then applies) and validation runs again to find what it hid.
    // A complaint about a key the file never set, next to a removed key, comes
    // from that key's default rather than the file (a bad onNoMatch falls back
    // to defaultUser, which then wants defaultUserId), so it is dropped.
    const fresh = result.error.issues.filter((issue) => {
      const path = formatPath(issue.path);
      if (reported.has(path) || hasReportedAncestor(issue.path, reported)) return false;
      if (pass === 0 || !repairedParents.includes(formatPath(issue.path.slice(0, -1)))) return true;
      return valueAt(secrets.value, issue.path) !== undefined;
    });
    if (fresh.length === 0) break;
    const next = structuredClone(data);
    for (const issue of fresh) {
      for (const ci of toConfigIssues(issue, { schema: configSchema, input: data, sensitive: secrets.secretValues })) {
        if (!issues.some((i) => i.path === ci.path && i.expected === ci.expected)) issues.push(ci);
      }
      if (issue.code !== 'unrecognized_keys') reported.add(formatPath(issue.path));
      const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
      for (const key of keys) {
        reported.add(formatPath(key));
        if (removeKey(next, key)) repairedParents.push(formatPath(key.slice(0, -1)));
      }
    }
    data = next;
  }
  throw new ConfigError(issues, opts.file);
}

function hasReportedAncestor(path: readonly PathSegment[], reported: Set<string>): boolean {
  for (let i = path.length - 1; i > 0; i--) if (reported.has(formatPath(path.slice(0, i)))) return true;
  return false;
}

/** Deletes an object key in place; array items are left alone (removing one would renumber the rest). */
function removeKey(root: unknown, path: readonly PathSegment[]): boolean {
  if (path.length === 0) return false;
  let parent: unknown = root;
  for (const segment of path.slice(0, -1)) {
    if (parent === null || typeof parent !== 'object') return false;
    parent = (parent as Record<PathSegment, unknown>)[segment];
  }
  const last = path[path.length - 1];
  if (parent === null || typeof parent !== 'object' || Array.isArray(parent) || typeof last !== 'string') return false;
  if (!(last in parent)) return false;
  delete (parent as Record<string, unknown>)[last];
  return true;
}

/** The schema's input type, for callers building configs in code (tests, sandbox). */
export type ConfigInput = z.input<typeof configSchema>;
