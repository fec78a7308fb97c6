/** KS parsing as kSessionBase does it: v2 (AES + SHA1) and legacy v1. */
import { createDecipheriv, createHash } from 'node:crypto';

export interface ParsedKs {
  partnerId: number;
  /** Unix seconds. */
  validUntil: number;
  type: number;
  userId: string;
  privileges: Record<string, string>;
}

export type KsParseResult = { ok: true; ks: ParsedKs } | { ok: false };

function sha1(data: Buffer | string): Buffer {
  return createHash('sha1').update(data).digest();
}

function decodeUrlSafe(ks: string): Buffer {
  return Buffer.from(ks.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

function parseV2(raw: Buffer, secrets: (pid: number) => string[]): KsParseResult {
  const first = raw.indexOf(0x7c);
  const second = raw.indexOf(0x7c, first + 1);
  if (first < 0 || second < 0) return { ok: false };
  const partnerId = Number(raw.subarray(first + 1, second).toString('latin1'));
  if (!Number.isInteger(partnerId)) return { ok: false };
  const encrypted = raw.subarray(second + 1);
  if (encrypted.length === 0 || encrypted.length % 16 !== 0) return { ok: false };
  for (const secret of secrets(partnerId)) {
    const key = sha1(secret).subarray(0, 16);
    const decipher = createDecipheriv('aes-128-cbc', key, Buffer.alloc(16));
    decipher.setAutoPadding(false);
    let plain = Buffer.concat([decipher.update(encrypted), decipher.final()]);
    let end = plain.length;
    while (end > 0 && plain[end - 1] === 0) end--;
    plain = plain.subarray(0, end);
    if (plain.length < 36) continue;
    if (!sha1(plain.subarray(20)).equals(plain.subarray(0, 20))) continue;
    const fields = new URLSearchParams(plain.subarray(36).toString('utf8'));
    const privileges: Record<string, string> = {};
    let validUntil = 0;
    let type = 0;
    let userId = '';
    for (const [k, v] of fields) {
      if (k === '_e') validUntil = Number(v);
      else if (k === '_t') type = Number(v);
      else if (k === '_u') userId = v;
      else if (k === '_m' || k === '_d') continue;
      else privileges[k] = v;
    }
    return { ok: true, ks: { partnerId, validUntil, type, userId, privileges } };
  }
  return { ok: false };
}

function parseV1(raw: Buffer, secrets: (pid: number) => string[]): KsParseResult {
  const text = raw.toString('utf8');
  const bar = text.indexOf('|');
  if (bar !== 40) return { ok: false };
  const sig = text.slice(0, 40);
  const info = text.slice(41);
  const parts = info.split(';');
  const partnerId = Number(parts[0]);
  if (!Number.isInteger(partnerId) || parts.length < 6) return { ok: false };
  for (const secret of secrets(partnerId)) {
    if (sha1(secret + info).toString('hex') !== sig) continue;
    const privileges: Record<string, string> = {};
    for (const item of (parts[6] ?? '').split(',')) {
      if (!item) continue;
      const c = item.indexOf(':');
      if (c < 0) privileges[item] = '';
      else privileges[item.slice(0, c)] = item.slice(c + 1);
    }
    return {
      ok: true,
      ks: { partnerId, validUntil: Number(parts[2]), type: Number(parts[3]), userId: parts[5] ?? '', privileges },
    };
  }
  return { ok: false };
}

/** `secrets(pid)` lists the partner's admin secrets (empty for an unknown partner). */
export function parseKs(ks: string, secrets: (pid: number) => string[]): KsParseResult {
  try {
    const raw = decodeUrlSafe(ks);
    if (raw.subarray(0, 3).toString('latin1') === 'v2|') return parseV2(raw, secrets);
    return parseV1(raw, secrets);
  } catch {
    return { ok: false };
  }
}
