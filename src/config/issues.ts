/**
 * Turns zod issues into ConfigIssues a person can act on: the key path as
 * written in YAML, what was expected, and what was found. Values at secret
 * keys are described by type only, never shown.
 */
import { z } from 'zod';
import type { ConfigIssue } from '../errors.js';
import { SECRET_KEYS } from './schema.js';
import { knownKeysAt } from './schema-walk.js';

export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;
const MAX_SHOWN = 40;

/** `accounts[0].owner.postfix`; the document itself is `<root>`. */
export function formatPath(path: readonly PathSegment[]): string {
  if (path.length === 0) return '<root>';
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function isSecretPath(path: readonly PathSegment[]): boolean {
  return path.some((segment) => typeof segment === 'string' && (SECRET_KEYS as readonly string[]).includes(segment));
}

export function valueAt(input: unknown, path: readonly PathSegment[]): unknown {
  let current = input;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PathSegment, unknown>)[segment];
  }
  return current;
}

/** Describes a value by its kind only: safe for secrets. */
export function describeType(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'an empty value (null)';
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  return `a ${typeof value}`;
}

/** A short rendering of a (non-secret) value. */
export function renderValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return 'an empty mapping';
    const list = keys.slice(0, 5).join(', ') + (keys.length > 5 ? ', …' : '');
    return `a mapping with keys ${list}`;
  }
  return describeType(value);
}

/** A close match for a mistyped key (case-insensitive, edit distance ≤ 2), if any. */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    if (distance <= Math.min(2, Math.floor(name.length / 3)) && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

const TYPE_PHRASES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
};

function isZodDefaultMessage(issue: z.ZodIssue): boolean {
  return issue.message === z.defaultErrorMap(issue, { data: undefined, defaultError: '' }).message;
}

function plural(n: number | bigint, word: string): string {
  return `${n} ${word}${Number(n) === 1 ? '' : 's'}`;
}

/** Human wording for zod's built-in messages; schema-written messages are kept as they are. */
function expectedFor(issue: z.ZodIssue): string {
  if (issue.code === z.ZodIssueCode.invalid_enum_value) return `one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}`;
  if (!isZodDefaultMessage(issue)) return issue.message;
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type:
      return TYPE_PHRASES[issue.expected] ?? `a value of type ${issue.expected}`;
    case z.ZodIssueCode.too_small:
      if (issue.type === 'string') return Number(issue.minimum) === 1 ? 'a non-empty string' : `at least ${plural(issue.minimum, 'character')}`;
      if (issue.type === 'array') return `at least ${plural(issue.minimum, 'item')}`;
      return `a number ${issue.inclusive ? '>=' : '>'} ${issue.minimum}`;
    case z.ZodIssueCode.too_big:
      if (issue.type === 'string') return `at most ${plural(issue.maximum, 'character')}`;
      if (issue.type === 'array') return `at most ${plural(issue.maximum, 'item')}`;
      return `a number ${issue.inclusive ? '<=' : '<'} ${issue.maximum}`;
    case z.ZodIssueCode.invalid_string:
      return issue.validation === 'url' ? 'a URL such as "https://www.kaltura.com"' : `a valid ${String(issue.validation)}`;
    default:
      return issue.message;
  }
}

export interface IssueContext {
  /** The root schema, for known-key suggestions. */
  schema: z.ZodTypeAny;
  /** The validated input (after secret resolution), to show what was found. */
  input: unknown;
  /** Exact secret values: masked wherever they would appear. */
  sensitive: readonly string[];
}

/** One zod issue may name several unknown keys: each becomes its own ConfigIssue with the key in its path. */
export function toConfigIssues(issue: z.ZodIssue, ctx: IssueContext): ConfigIssue[] {
  const path = issue.path;
  if (issue.code === z.ZodIssueCode.unrecognized_keys) {
    const known = knownKeysAt(ctx.schema, path);
    return issue.keys.map((key) => {
      const suggestion = suggestKey(key, known);
      return {
        path: formatPath([...path, key]),
        expected: known.length > 0 ? `a known key (${known.join(', ')})` : 'no such key',
        found: mask(`unknown key ${JSON.stringify(key)}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, ctx.sensitive),
      };
    });
  }
  return [{ path: formatPath(path), expected: expectedFor(issue), found: mask(foundFor(issue, ctx), ctx.sensitive) }];
}

function foundFor(issue: z.ZodIssue, ctx: IssueContext): string {
  const value = valueAt(ctx.input, issue.path);
  if (isSecretPath(issue.path)) return describeType(value);
  if (issue.code === z.ZodIssueCode.invalid_type && issue.received === 'undefined') return 'missing';
  if (issue.code === z.ZodIssueCode.custom && issue.params?.found !== undefined) {
    const found: unknown = issue.params.found;
    // Refinements pass either the offending value or a description ("both lists set").
    return found === value || typeof found !== 'string' ? renderValue(found) : found;
  }
  if (issue.code === z.ZodIssueCode.invalid_type && value !== undefined && typeof value !== 'object') {
    return `${renderValue(value)} (${describeType(value).replace(/^an? /, '')})`;
  }
  return renderValue(value);
}

/** Replaces every occurrence of a secret value. Longest first, so overlapping secrets mask fully. */
export function mask(text: string, sensitive: readonly string[]): string {
  let out = text;
  for (const secret of [...sensitive].sort((a, b) => b.length - a.length)) {
    if (secret !== '') out = out.split(secret).join('[redacted]');
  }
  return out;
}
