/**
 * The throughput reference: the smallest thing that moves a Zoom recording
 * into a Kaltura upload token. GET the download URL with the bearer token,
 * follow the redirect to the CDN, cut the stream into chunks of zk's chunk
 * size and send each as uploadtoken.upload with the same fields zk sends
 * (resume/resumeAt/finalChunk), through the same Kaltura HTTP client. No
 * database, no entry, no verification, no retries.
 */
import http from 'node:http';
import type { Readable } from 'node:stream';
import { createKalturaClient } from '../kaltura/client.js';

export interface RawTarget {
  downloadUrl: string;
  fileSize: number;
  fileName: string;
}

export interface RawPipeOptions {
  zoomOauthUrl: string;
  zoomAccountId: string;
  zoomClientId: string;
  zoomClientSecret: string;
  kalturaUrl: string;
  partnerId: number;
  adminSecret: string;
  chunkSize: number;
  /** Files moved at once (zk's effective per-account transfer concurrency). */
  concurrency: number;
}

function request(url: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, resolve);
    req.on('error', reject);
    req.end(body);
  });
}

async function readAll(res: Readable): Promise<string> {
  let text = '';
  for await (const b of res) text += (b as Buffer).toString();
  return text;
}

export async function zoomToken(o: Pick<RawPipeOptions, 'zoomOauthUrl' | 'zoomAccountId' | 'zoomClientId' | 'zoomClientSecret'>): Promise<string> {
  const basic = Buffer.from(`${o.zoomClientId}:${o.zoomClientSecret}`).toString('base64');
  const res = await request(`${o.zoomOauthUrl}?grant_type=account_credentials&account_id=${encodeURIComponent(o.zoomAccountId)}`, {
    authorization: `Basic ${basic}`,
    'content-type': 'application/x-www-form-urlencoded',
  }, 'POST', '');
  const body = JSON.parse(await readAll(res)) as { access_token?: string };
  if (!body.access_token) throw new Error(`raw pipe: no Zoom token (${res.statusCode})`);
  return body.access_token;
}

async function openDownload(url: string, token: string): Promise<http.IncomingMessage> {
  let res = await request(url, { authorization: `Bearer ${token}` });
  for (let hop = 0; res.statusCode && res.statusCode >= 300 && res.statusCode < 400 && hop < 3; hop++) {
    res.resume();
    res = await request(new URL(res.headers.location!, url).toString(), {});
  }
  if (res.statusCode !== 200 && res.statusCode !== 206) throw new Error(`raw pipe: download answered ${res.statusCode}`);
  return res;
}

/** Moves every target; returns the bytes moved. */
export async function rawPipe(targets: RawTarget[], o: RawPipeOptions): Promise<number> {
  const kaltura = createKalturaClient({
    serviceUrl: o.kalturaUrl,
    partnerId: o.partnerId,
    adminSecret: o.adminSecret,
    userId: 'bench',
    privileges: 'disableentitlement',
    sessionExpiryMs: 86_400_000,
    maxRetries: 0,
    requestTimeoutMs: 600_000,
  });
  const token = await zoomToken(o);
  let moved = 0;
  const one = async (t: RawTarget) => {
    const up = await kaltura.call<{ id: string }>('uploadtoken', 'add', { uploadToken: { objectType: 'KalturaUploadToken', fileName: t.fileName, fileSize: t.fileSize } });
    const res = await openDownload(t.downloadUrl, token);
    let pos = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const send = async (chunk: Buffer) => {
      const finalChunk = pos + chunk.length === t.fileSize;
      const fields = { uploadTokenId: up.id, resume: pos > 0 ? '1' : '0', finalChunk: finalChunk ? '1' : '0', resumeAt: String(pos) };
      await kaltura.upload(fields, chunk, t.fileName);
      pos += chunk.length;
    };
    for await (const piece of res as AsyncIterable<Buffer>) {
      pending.push(piece);
      pendingBytes += piece.length;
      while (pendingBytes >= o.chunkSize) {
        const joined = Buffer.concat(pending, pendingBytes);
        pending = pendingBytes > o.chunkSize ? [joined.subarray(o.chunkSize)] : [];
        pendingBytes -= o.chunkSize;
        await send(joined.subarray(0, o.chunkSize));
      }
    }
    if (pendingBytes > 0) await send(Buffer.concat(pending, pendingBytes));
    if (pos !== t.fileSize) throw new Error(`raw pipe: moved ${pos} of ${t.fileSize} bytes`);
    moved += pos;
  };
  const queue = [...targets];
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(o.concurrency, targets.length)) }, async () => {
      for (let t = queue.shift(); t; t = queue.shift()) await one(t);
    }),
  );
  return moved;
}
