/**
 * download_url → 302 to a signed, expiring CDN URL that needs no token; the
 * CDN serves deterministic bytes with Range support. Trashed, deleted,
 * processing or foreign files answer 200 text/html, as Zoom does.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { contentKindForExtension, contentStream } from '../content.js';
import type { ZoomContext } from './context.js';
import type { FileRecord, MeetingRecord } from './store.js';
import { isProcessing, isTextFile } from './views.js';

const CONTENT_TYPES: Record<string, string> = {
  MP4: 'video/mp4',
  M4A: 'audio/mp4',
  VTT: 'text/vtt',
  TXT: 'text/plain',
  JSON: 'application/json',
  CSV: 'text/csv',
};

export function contentTypeOf(ext: string): string {
  return CONTENT_TYPES[ext.toUpperCase()] ?? 'application/octet-stream';
}

const HTML_DENIED =
  '<!DOCTYPE html><html><head><title>Zoom</title></head><body><div class="error">' +
  'Only the host can download this recording. This recording may have been deleted or moved to trash.</div></body></html>';

export function sendHtmlDenied(res: ServerResponse, head: boolean): void {
  res.writeHead(200, { 'Content-Type': 'text/html;charset=utf-8', 'Content-Length': Buffer.byteLength(HTML_DENIED) });
  res.end(head ? undefined : HTML_DENIED);
}

function sign(secret: string, path: string, expires: number): string {
  return createHmac('sha256', secret).update(`${path}\n${expires}`).digest('base64url');
}

function fileName(m: MeetingRecord, f: FileRecord): string {
  const stamp = f.recordingStart.replace(/[-:]/g, '').replace(/\.\d+/, '').replace('Z', '');
  return `GMT${stamp}_${m.id}_${f.recordingType.replace(/[^A-Za-z0-9_]/g, '')}.${f.fileExtension.toLowerCase() || 'bin'}`;
}

/** GET/HEAD /rec/download/{key} with a verified token for `accountId`. */
export function redirectToCdn(ctx: ZoomContext, res: ServerResponse, key: string, accountId: string, head: boolean): void {
  const hit = ctx.store.filesByKey.get(key);
  if (!hit || hit.meeting.accountId !== accountId || hit.file.state !== 'live' || isProcessing(hit.file, ctx.now())) {
    sendHtmlDenied(res, head);
    return;
  }
  const path = `/cdn/replay/${key}/${fileName(hit.meeting, hit.file)}`;
  const expires = Math.floor(ctx.now() / 1000) + (ctx.faults.current.cdnTtlSec ?? 300);
  // Zoom's CDN is another host; `cdnSameOrigin` lets tests exercise a same-origin hop too.
  const base = ctx.faults.current.cdnSameOrigin ? ctx.url : ctx.cdnUrl;
  const location = `${base}${path}?Expires=${expires}&Signature=${sign(ctx.secret, path, expires)}`;
  res.writeHead(302, { Location: location, 'Content-Length': 0 });
  res.end();
}

function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

/** GET/HEAD /cdn/replay/{key}/{name}?Expires&Signature. `resetMid` cuts the body partway. */
export async function serveCdn(
  ctx: ZoomContext,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
  rangeHeader: string | undefined,
  head: boolean,
  resetMid: boolean,
): Promise<void> {
  const expires = Number(query.get('Expires'));
  const given = query.get('Signature') ?? '';
  const want = Number.isFinite(expires) ? sign(ctx.secret, path, expires) : '';
  const ok = want.length > 0 && given.length === want.length && timingSafeEqual(Buffer.from(given), Buffer.from(want));
  if (!ok || expires * 1000 <= ctx.now()) {
    const body = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access denied</Message></Error>';
    res.writeHead(403, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) });
    res.end(head ? undefined : body);
    return;
  }
  const key = path.split('/')[3] ?? '';
  const hit = ctx.store.filesByKey.get(key);
  if (!hit || hit.file.state === 'deleted') {
    const body = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code></Error>';
    res.writeHead(404, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) });
    res.end(head ? undefined : body);
    return;
  }
  const f = hit.file;
  const size = f.fileSize;
  const range = parseRange(rangeHeader, size);
  const headers: Record<string, string | number> = {
    'Content-Type': contentTypeOf(f.fileExtension),
    'Accept-Ranges': 'bytes',
    'Content-Disposition': `attachment; filename="${path.split('/').pop()}"`,
  };
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}`, 'Content-Length': 0 });
    res.end();
    return;
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  const length = Math.max(0, end - start + 1);
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  const omit = ctx.faults.current.omitContentLength;
  // Chunked answers happen (text files especially); then nobody knows the length before the end.
  if (!(omit === 'all' || (omit === 'text' && isTextFile(f)))) headers['Content-Length'] = length;
  res.writeHead(range ? 206 : 200, headers);
  if (head || length === 0) {
    res.end();
    return;
  }
  const kind = contentKindForExtension(f.fileExtension);
  if (resetMid) {
    // Send about half the body, then drop the connection mid-stream.
    const cut = start + Math.max(1, Math.floor(length / 2));
    try {
      for await (const chunk of contentStream(f.id, size, start, cut - 1, kind)) {
        if (res.destroyed) break;
        if (!res.write(chunk)) {
          await new Promise<void>((resolve) => {
            const done = () => {
              res.off('drain', done);
              res.off('close', done);
              resolve();
            };
            res.on('drain', done);
            res.on('close', done);
          });
        }
      }
    } catch {
      // client went away first
    }
    res.socket?.destroy();
    return;
  }
  await pipeline(contentStream(f.id, size, start, end, kind), res).catch(() => undefined);
}
