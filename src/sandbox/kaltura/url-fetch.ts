/**
 * The sandbox's URL import: like Kaltura's import job it resolves redirects
 * first, sends the resource's urlHeaders only to the original host, and
 * streams the body to disk. HTML or a non-2xx answer is an import failure.
 */
import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream/promises';

const MAX_REDIRECTS = 5;

export interface FetchResult {
  path: string;
  size: number;
}

function headerPairs(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    const c = line.indexOf(':');
    if (c > 0) out[line.slice(0, c).trim()] = line.slice(c + 1).trim();
  }
  return out;
}

function get(url: URL, headers: Record<string, string>): Promise<http.IncomingMessage> {
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.get(url, { headers, timeout: 30_000 }, resolve);
    req.on('timeout', () => req.destroy(new Error('import request timed out')));
    req.on('error', reject);
  });
}

export async function fetchToFile(rawUrl: string, headerLines: string[], dest: string): Promise<FetchResult> {
  const origin = new URL(rawUrl);
  const originHeaders = headerPairs(headerLines);
  let url = origin;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const res = await get(url, url.host === origin.host ? originHeaders : {});
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400 && res.headers.location) {
      res.resume();
      url = new URL(res.headers.location, url);
      continue;
    }
    if (status < 200 || status >= 300) {
      res.resume();
      throw new Error(`import fetch answered HTTP ${status}`);
    }
    if (/text\/html/i.test(String(res.headers['content-type'] ?? ''))) {
      res.resume();
      throw new Error('import fetch answered HTML');
    }
    let size = 0;
    res.on('data', (c: Buffer) => (size += c.length));
    try {
      await pipeline(res, createWriteStream(dest));
    } catch (err) {
      await unlink(dest).catch(() => undefined);
      throw err;
    }
    return { path: dest, size };
  }
  throw new Error('import fetch: too many redirects');
}

/** Small text resources (captions, attachments) fetched into memory. */
export async function fetchText(rawUrl: string, headerLines: string[], tmpPath: string): Promise<string> {
  const { path } = await fetchToFile(rawUrl, headerLines, tmpPath);
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(path, 'utf8');
  await unlink(path).catch(() => undefined);
  return text;
}
