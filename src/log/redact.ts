/**
 * Redaction of secrets from anything about to be logged: values under secret
 * key names, credentials embedded in strings (Authorization schemes, Kaltura
 * KS, token query parameters, JSON fields), and exact registered secret values.
 * It never mutates what it is given.
 */

export const REDACTED = '[redacted]';

/** Key names (compared lower-case, without `_` and `-`) whose values are secrets. */
const SECRET_KEY_NAMES = new Set([
  'secret',
  'clientsecret',
  'adminsecret',
  'password',
  'passwd',
  'accesstoken',
  'token',
  'ks',
  'authorization',
  'proxyauthorization',
  'downloadaccesstoken',
  'refreshtoken',
  'apikey',
  'xapikey',
  'cookie',
  'setcookie',
  'privatekey',
]);

export function isSecretKeyName(key: string): boolean {
  return SECRET_KEY_NAMES.has(key.toLowerCase().replace(/[-_]/g, ''));
}

/** Query or form parameters whose values are credentials (case-insensitive). */
const SECRET_PARAMS =
  'access_token|download_access_token|refresh_token|token|ks|signature|policy|key-pair-id|client_secret|secret|password|x-amz-signature|x-amz-credential|x-amz-security-token';

const STRING_RULES: { pattern: RegExp; replace: string }[] = [
  // A header dumped as text: everything after "Authorization:" up to the end of the value.
  { pattern: /((?:proxy-)?authorization["']?\s*[:=]\s*["']?)[^"'\r\n,}]+/gi, replace: `$1${REDACTED}` },
  { pattern: /\b(Bearer|Basic|Digest)(\s+)[A-Za-z0-9\-._~+/]+=*/gi, replace: `$1$2${REDACTED}` },
  // Kaltura puts sessions in URL paths: .../ks/<KS>/...
  { pattern: /(\/ks\/)[^/?#\s"'<>]+/gi, replace: `$1${REDACTED}` },
  // Kaltura KS v2 is base64 of "v2|...", so it starts "djJ8". After the path
  // rule, because standard base64 may hold '/'.
  { pattern: /djJ8[A-Za-z0-9+/=_-]*/g, replace: REDACTED },
  { pattern: new RegExp(`((?:^|[?&;#\\s])(?:${SECRET_PARAMS})=)[^&#\\s"'<>]*`, 'gim'), replace: `$1${REDACTED}` },
  // JSON bodies logged as text: "access_token":"..."
  {
    pattern: /("(?:access_?token|refresh_?token|download_access_token|token|ks|client_?secret|admin_?secret|secret|password|authorization)"\s*:\s*")(?:[^"\\]|\\.)*"/gi,
    replace: `$1${REDACTED}"`,
  },
  // util.inspect output and similar: clientSecret: 'abc'
  {
    pattern: /\b((?:access_?token|refresh_?token|download_access_token|client_?secret|admin_?secret|password)\s*[:=]\s*)(['"`])(?:(?!\2)[^\\]|\\.)*\2/gi,
    replace: `$1$2${REDACTED}$2`,
  },
];

const MAX_DEPTH = 8;

export interface Redactor {
  /** Masks credentials inside a string. */
  string(text: string): string;
  /** A redacted deep copy: secret keys, strings, Errors (message, stack, cause) and arrays. */
  value(value: unknown): unknown;
  /** The redacted value of one field: REDACTED when the key itself names a secret. */
  field(key: string, value: unknown): unknown;
}

export interface RedactorOptions {
  /** Exact secret values (client secrets, admin secret) masked wherever they appear. */
  secrets?: readonly string[];
}

export function createRedactor(opts: RedactorOptions = {}): Redactor {
  const exact = [...new Set((opts.secrets ?? []).flatMap((s) => (s === '' ? [] : [s, encodeURIComponent(s)])))].sort(
    (a, b) => b.length - a.length,
  );

  const redactString = (text: string): string => {
    let out = text;
    for (const secret of exact) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    for (const rule of STRING_RULES) out = out.replace(rule.pattern, rule.replace);
    return out;
  };

  const redactValue = (value: unknown, depth: number, seen: WeakSet<object>): unknown => {
    if (typeof value === 'string') return redactString(value);
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return '[circular]';
    if (depth >= MAX_DEPTH) return '[truncated]';
    if (value instanceof Date) return value;
    if (value instanceof URL) return redactString(value.href);
    if (ArrayBuffer.isView(value)) return `[${value.constructor.name} ${value.byteLength} bytes]`;
    seen.add(value);
    try {
      if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
      const source = value instanceof Error ? errorFields(value) : value instanceof Map ? Object.fromEntries(value) : value;
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(source)) {
        out[key] = redactField(key, child, depth + 1, seen);
      }
      return out;
    } finally {
      seen.delete(value);
    }
  };

  const redactField = (key: string, value: unknown, depth: number, seen: WeakSet<object>): unknown =>
    isSecretKeyName(key) && value !== undefined && value !== null && value !== '' ? REDACTED : redactValue(value, depth, seen);

  return {
    string: redactString,
    value: (value) => redactValue(value, 0, new WeakSet()),
    field: (key, value) => redactField(key, value, 0, new WeakSet()),
  };
}

/** An Error's useful fields as a plain object: name, message, stack, own properties and cause. */
export function errorFields(err: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = { name: err.name, message: err.message };
  for (const [key, value] of Object.entries(err)) fields[key] = value;
  if (err.stack !== undefined) fields.stack = err.stack;
  if (err.cause !== undefined) fields.cause = err.cause;
  if (err instanceof AggregateError) fields.errors = err.errors;
  return fields;
}
