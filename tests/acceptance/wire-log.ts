/**
 * Reading the Zoom emulator's request log (src/sandbox/request-log.ts): what zk did on the wire,
 * so a fault test proves how it recovered, not only that it ended well.
 */
import type { SandboxRequestRecord } from '../../src/sandbox/zoom/server.js';

const pathOf = (url: string) => url.split('?')[0]!;

export function isApiCall(r: SandboxRequestRecord): boolean {
  return r.url.startsWith('/v2/');
}

export interface Retry {
  failed: SandboxRequestRecord;
  /** The same method and URL, next time it was sent. */
  next: SandboxRequestRecord;
}

/** Each failed request (matching `failedIf`) paired with the next request of the same method and URL. */
export function retriesOf(log: SandboxRequestRecord[], failedIf: (r: SandboxRequestRecord) => boolean): Retry[] {
  const out: Retry[] = [];
  log.forEach((r, i) => {
    if (!failedIf(r)) return;
    const next = log.slice(i + 1).find((x) => x.method === r.method && x.url === r.url);
    if (next) out.push({ failed: r, next });
  });
  return out;
}

/** CDN GETs of one file, in order, keyed by the CDN path (the signature query changes per redirect). */
export function cdnGetsByFile(log: SandboxRequestRecord[]): Map<string, SandboxRequestRecord[]> {
  const byFile = new Map<string, SandboxRequestRecord[]>();
  for (const r of log) {
    if (r.method !== 'GET' || !r.url.startsWith('/cdn/')) continue;
    const key = pathOf(r.url);
    byFile.set(key, [...(byFile.get(key) ?? []), r]);
  }
  return byFile;
}

/** First byte a Range header asks for; 0 without one. */
export function rangeStart(r: SandboxRequestRecord): number {
  const m = /^bytes=(\d+)-/.exec(r.range ?? '');
  return m ? Number(m[1]) : 0;
}

/** Bytes the emulator sent before it dropped a ranged download (it cuts half the remaining body; src/sandbox/zoom/download.ts). */
export function bytesBeforeReset(r: SandboxRequestRecord): number {
  const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(r.contentRange ?? '');
  if (!m) throw new Error(`no Content-Range on ${r.url}`);
  const [start, end] = [Number(m[1]), Number(m[2])];
  return start + Math.max(1, Math.floor((end - start + 1) / 2));
}
