/**
 * Local KS v2 signing (kSessionBase::generateKsV2), so zk never sends the
 * admin secret over the wire and needs no session.start round-trip.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';

/** 0 USER, 2 ADMIN (KalturaSessionType). */
export type KsType = 0 | 2;

export interface KsV2Options {
  adminSecret: string;
  partnerId: number;
  userId: string;
  type: KsType;
  /** Lifetime in seconds; the KS carries the absolute expiry (`_e`). */
  expirySec: number;
  /** Comma-separated privileges, e.g. 'disableentitlement,privacycontext:MediaSpace'. */
  privileges?: string;
  /** Epoch milliseconds. */
  now: number;
}

/** PHP urlencode: like encodeURIComponent but spaces become '+' and !'()*~ are escaped. */
export function phpUrlEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');
}

/** Privileges string → ordered [name, value] pairs, as kSessionBase parses them. */
export function parsePrivileges(privileges: string | undefined): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const raw of (privileges ?? '').split(',')) {
    const item = raw.trim();
    if (!item) continue;
    if (item === '*') {
      out.push(['all', '*']);
      continue;
    }
    const colon = item.indexOf(':');
    out.push(colon < 0 ? [item, ''] : [item.slice(0, colon), item.slice(colon + 1)]);
  }
  return out;
}

/** First 16 bytes of SHA1(secret): the AES-128 key of KS v2. */
export function ksV2Key(secret: string): Buffer {
  return createHash('sha1').update(secret, 'utf8').digest().subarray(0, 16);
}

export function generateKsV2(opts: KsV2Options): string {
  const expiresAt = Math.floor(opts.now / 1000) + Math.floor(opts.expirySec);
  const fields: Array<[string, string]> = [
    ...parsePrivileges(opts.privileges),
    ['_e', String(expiresAt)],
    ['_t', String(opts.type)],
    ['_u', opts.userId],
  ];
  const fieldsStr = fields.map(([k, v]) => `${phpUrlEncode(k)}=${phpUrlEncode(v)}`).join('&');
  const payload = Buffer.concat([randomBytes(16), Buffer.from(fieldsStr, 'utf8')]);
  const signed = Buffer.concat([createHash('sha1').update(payload).digest(), payload]);
  // OpenSSL ZERO_PADDING: pad with NULs to a multiple of 16, nothing when aligned.
  const padLen = (16 - (signed.length % 16)) % 16;
  const plain = Buffer.concat([signed, Buffer.alloc(padLen)]);
  const cipher = createCipheriv('aes-128-cbc', ksV2Key(opts.adminSecret), Buffer.alloc(16));
  cipher.setAutoPadding(false);
  const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
  const raw = Buffer.concat([Buffer.from(`v2|${opts.partnerId}|`, 'utf8'), encrypted]);
  return raw.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}
