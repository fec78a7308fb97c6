/**
 * Request parameters: flat form keys (`a:b:c`, `a[b][c]`, `a:-` = empty array)
 * become nested objects, and typed accessors raise the server's own errors.
 */
import { apiError } from './api-error.js';

export type ParamTree = Record<string, unknown>;

/** A file part of a multipart request, already streamed to disk. */
export interface UploadedFile {
  path: string;
  filename: string;
  size: number;
}

export function isUploadedFile(v: unknown): v is UploadedFile {
  return typeof v === 'object' && v !== null && 'path' in v && 'filename' in v && 'size' in v;
}

/** `entry[name]` and `entry:name` both give ['entry', 'name']. */
export function splitKey(key: string): string[] {
  const bracket = key.replace(/\]/g, '').split('[').join(':');
  return bracket.split(':');
}

export function setNested(tree: ParamTree, key: string, value: unknown): void {
  const parts = splitKey(key);
  let node: ParamTree = tree;
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts[i];
    if (parts[i + 1] === '-' && i + 1 === parts.length - 1) {
      node[p] = [];
      return;
    }
    const next = node[p];
    if (typeof next !== 'object' || next === null || Array.isArray(next) || isUploadedFile(next)) node[p] = {};
    node = node[p] as ParamTree;
  }
  node[parts[parts.length - 1]] = value;
}

/** Deep merge where `over` wins (array_replace_recursive). */
export function mergeParams(base: ParamTree, over: ParamTree): ParamTree {
  const out: ParamTree = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const cur = out[k];
    if (isPlainObject(cur) && isPlainObject(v)) out[k] = mergeParams(cur, v);
    else out[k] = v;
  }
  return out;
}

export function isPlainObject(v: unknown): v is ParamTree {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isUploadedFile(v);
}

/** Arrays arrive either as JSON arrays or as objects with numeric keys (form encoding). */
export function asArray(v: unknown): unknown[] {
  if (v === undefined || v === null || v === '') return [];
  if (Array.isArray(v)) return v;
  if (isPlainObject(v)) {
    return Object.keys(v)
      .filter((k) => /^\d+$/.test(k))
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => v[k]);
  }
  return [];
}

export function toBool(v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === null || v === '') return dflt;
  if (typeof v === 'boolean') return v;
  const s = String(v).toLowerCase();
  return s === 'true' || s === '1';
}

/** Typed access to one action's parameters (or one nested object). */
export class Params {
  constructor(readonly tree: ParamTree, private readonly prefix = '') {}

  has(name: string): boolean {
    const v = this.tree[name];
    return v !== undefined && v !== null;
  }

  raw(name: string): unknown {
    return this.tree[name];
  }

  str(name: string): string | undefined {
    const v = this.tree[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'object') return undefined;
    return String(v);
  }

  reqStr(name: string): string {
    const v = this.str(name);
    if (v === undefined || v === '') throw apiError('MISSING_MANDATORY_PARAMETER', this.prefix + name);
    return v;
  }

  int(name: string): number | undefined {
    const v = this.str(name);
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? Math.trunc(n) : undefined;
  }

  bool(name: string, dflt: boolean): boolean {
    return toBool(this.tree[name], dflt);
  }

  obj(name: string): Params | undefined {
    const v = this.tree[name];
    return isPlainObject(v) ? new Params(v, `${this.prefix}${name}:`) : undefined;
  }

  reqObj(name: string): Params {
    const o = this.obj(name);
    if (!o) throw apiError('MISSING_MANDATORY_PARAMETER', this.prefix + name);
    return o;
  }

  file(name: string): UploadedFile | undefined {
    const v = this.tree[name];
    return isUploadedFile(v) ? v : undefined;
  }

  /** True when the field is explicitly nulled (`field__null`). */
  isNulled(name: string): boolean {
    return this.tree[`${name}__null`] !== undefined;
  }
}
