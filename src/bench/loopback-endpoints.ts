/**
 * Bench-only endpoints that are never the bottleneck, for measuring zk's own
 * transfer ceiling (section 6) against curl:
 * - a file server that serves any length of bytes from one preallocated
 *   Buffer in memory (honours `Range: bytes=a-` and `a-b`), plus the Zoom
 *   OAuth token answer zk asks for before a download;
 * - a sink that speaks just enough of Kaltura's uploadtoken service (add,
 *   upload, get) for zk's real sink adapter, and a raw PUT for curl; both
 *   count the bytes and discard them.
 * Not the sandbox: no storage, no validation beyond what keeps the count honest.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

/** One slice of the in-memory file; the body is this buffer repeated. Large writes keep syscalls few. */
const SLICE = 4 * 1024 * 1024;

export interface LoopbackEndpoints {
  /** GET `${fileUrl}/<bytes>` serves a file of that many bytes. */
  fileUrl: string;
  oauthUrl: string;
  /** Kaltura serviceUrl for zk's sink adapter. */
  serviceUrl: string;
  /** PUT target for curl (`curl -T -`). */
  rawUploadUrl: string;
  /** File bytes the sink has accepted and discarded (multipart framing excluded). */
  received(): number;
  close(): Promise<void>;
}

interface Token {
  id: string;
  fileSize: number;
  uploadedFileSize: number;
  status: number;
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function serveFile(req: http.IncomingMessage, res: http.ServerResponse, data: Buffer): void {
  const size = Number(/^\/file\/(\d+)/.exec(req.url ?? '')?.[1] ?? NaN);
  if (!Number.isSafeInteger(size) || size <= 0) {
    res.writeHead(404).end();
    return;
  }
  let start = 0;
  let end = size - 1;
  const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
  if (range) {
    start = Number(range[1]);
    if (range[2]) end = Math.min(end, Number(range[2]));
    if (start > end) {
      res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
      return;
    }
  }
  const headers = { 'content-type': 'video/mp4', 'content-length': String(end - start + 1) };
  if (range) res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${size}` });
  else res.writeHead(200, headers);
  let pos = start;
  const pump = (): void => {
    while (pos <= end) {
      const at = pos % data.length;
      const n = Math.min(data.length - at, end + 1 - pos);
      pos += n;
      if (!res.write(data.subarray(at, at + n))) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  res.on('close', () => {
    pos = end + 1;
  });
  pump();
}

function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (s: string) => (text += s));
    req.on('end', () => {
      try {
        resolve(text ? (JSON.parse(text) as Record<string, unknown>) : {});
      } catch (err) {
        reject(err as Error);
      }
    });
    req.on('error', reject);
  });
}

/**
 * Counts a multipart uploadtoken.upload without keeping it: the plain fields
 * come first (zk's multipartBody), so the head is parsed from the first bytes
 * and the file part's length is the body length minus head and closing boundary.
 */
function countMultipart(req: http.IncomingMessage): Promise<{ fields: Record<string, string>; fileBytes: number }> {
  const boundary = /boundary=(.+)$/.exec(String(req.headers['content-type'] ?? ''))?.[1];
  return new Promise((resolve, reject) => {
    if (!boundary) {
      reject(new Error('no multipart boundary'));
      return;
    }
    let head: Buffer | undefined = Buffer.alloc(0);
    let headLength = -1;
    let total = 0;
    let tail: Buffer = Buffer.alloc(0);
    const closing = Buffer.from(`\r\n--${boundary}--\r\n`);
    req.on('data', (b: Buffer) => {
      total += b.length;
      if (head) {
        head = Buffer.concat([head, b.subarray(0, 65_536)]);
        const marker = head.indexOf('name="fileData"');
        const bodyStart = marker < 0 ? -1 : head.indexOf('\r\n\r\n', marker);
        if (bodyStart >= 0) {
          headLength = bodyStart + 4;
          head = head.subarray(0, headLength);
          fieldsText = head.toString('latin1');
          head = undefined;
        } else if (head.length > 65_536) {
          req.destroy(new Error('multipart head too long'));
        }
      }
      // Only the last bytes matter (the closing boundary); no copy unless a read is shorter than it.
      tail = b.length >= closing.length ? b.subarray(b.length - closing.length) : Buffer.concat([tail, b]).subarray(-closing.length);
    });
    let fieldsText = '';
    req.on('end', () => {
      if (headLength < 0 || !tail.equals(closing)) {
        reject(new Error('malformed multipart body'));
        return;
      }
      const fields: Record<string, string> = {};
      for (const m of fieldsText.matchAll(/name="([^"]+)"\r\n\r\n([^\r]*)\r\n/g)) fields[m[1]] = m[2];
      resolve({ fields, fileBytes: total - headLength - closing.length });
    });
    req.on('error', reject);
  });
}

function json(res: http.ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) }).end(text);
}

function wire(t: Token): Record<string, unknown> {
  return { objectType: 'KalturaUploadToken', id: t.id, fileSize: t.fileSize, uploadedFileSize: t.uploadedFileSize, status: t.status };
}

function apiException(code: string): Record<string, unknown> {
  return { objectType: 'KalturaAPIException', code, message: code, args: [] };
}

export async function startLoopbackEndpoints(opts: { sliceBytes?: number } = {}): Promise<LoopbackEndpoints> {
  const data = randomBytes(opts.sliceBytes ?? SLICE);
  let received = 0;
  const tokens = new Map<string, Token>();

  const files = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url?.startsWith('/oauth/token')) {
      req.resume();
      json(res, { access_token: 'bench-token', token_type: 'bearer', expires_in: 3600, scope: 'recording:read' });
    } else if (req.method === 'GET') serveFile(req, res, data);
    else res.writeHead(405).end();
  });

  const sink = http.createServer((req, res) => {
    const fail = (err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
    };
    if (req.method === 'PUT' && req.url === '/raw') {
      let n = 0;
      req.on('data', (b: Buffer) => (n += b.length));
      req.on('end', () => {
        received += n;
        json(res, { bytes: n });
      });
      return;
    }
    const action = /^\/api_v3\/service\/uploadtoken\/action\/(\w+)/.exec(req.url ?? '')?.[1];
    if (req.method !== 'POST' || !action) {
      req.resume();
      res.writeHead(404).end();
      return;
    }
    if (action === 'upload') {
      countMultipart(req)
        .then(({ fields, fileBytes }) => {
          const t = tokens.get(fields.uploadTokenId ?? '');
          if (!t) return json(res, apiException('UPLOAD_TOKEN_NOT_FOUND'));
          const at = fields.resume === '1' ? Number(fields.resumeAt) : 0;
          if (at !== t.uploadedFileSize) return json(res, apiException('UPLOAD_TOKEN_RESUMING_INVALID_POSITION'));
          t.uploadedFileSize = at + fileBytes;
          received += fileBytes;
          t.status = fields.finalChunk === '1' ? 2 : 1;
          json(res, wire(t));
        })
        .catch(fail);
      return;
    }
    readJson(req)
      .then((p) => {
        if (action === 'add') {
          const spec = (p.uploadToken ?? {}) as { fileSize?: number };
          const t: Token = { id: `0_bench${tokens.size + 1}`, fileSize: Number(spec.fileSize ?? 0), uploadedFileSize: 0, status: 0 };
          tokens.set(t.id, t);
          json(res, wire(t));
        } else if (action === 'get') {
          const t = tokens.get(String(p.uploadTokenId ?? ''));
          json(res, t ? wire(t) : apiException('UPLOAD_TOKEN_NOT_FOUND'));
        } else json(res, apiException('SERVICE_ACTION_FORBIDDEN'));
      })
      .catch(fail);
  });

  const [filePort, sinkPort] = await Promise.all([listen(files), listen(sink)]);
  const close = (s: http.Server) =>
    new Promise<void>((resolve) => {
      s.closeAllConnections();
      s.close(() => resolve());
    });
  return {
    fileUrl: `http://127.0.0.1:${filePort}/file`,
    oauthUrl: `http://127.0.0.1:${filePort}/oauth/token`,
    serviceUrl: `http://127.0.0.1:${sinkPort}`,
    rawUploadUrl: `http://127.0.0.1:${sinkPort}/raw`,
    received: () => received,
    async close() {
      await Promise.all([close(files), close(sink)]);
    },
  };
}
