/**
 * POSTs that carry file bytes (uploadtoken.upload, and a multirequest holding
 * a chunk) over node:http(s) with a keep-alive agent (idle sockets are unref'd,
 * so they never hold the process), writing the multipart parts [head, chunk,
 * tail] as they are. Through got, the whole transfer loop took ~1.5x the CPU
 * (bench section 6, 512 MiB against loopback endpoints, medians of five
 * interleaved runs: 2.61 s through got, 1.69 s here; 60 -> 86 MiB/s) and left
 * more short-lived garbage. Every other Kaltura call stays on got.
 * Failures reject with the raw transport error; the client classifies them.
 */
import http from 'node:http';
import https from 'node:https';

export interface UploadTransport {
  post(url: string, headers: Record<string, string>, parts: Buffer[], o: { timeoutMs: number; signal?: AbortSignal }): Promise<{ statusCode: number; body: string }>;
}

/** A timeout of the whole exchange (got's timeout.request), so a stuck chunk never hangs a transfer. */
export class UploadTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(ms: number) {
    super(`chunk upload timed out after ${ms} ms`);
    this.name = 'UploadTimeoutError';
  }
}

export function createUploadTransport(): UploadTransport {
  const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };
  return {
    post(url, headers, parts, o) {
      return new Promise((resolve, reject) => {
        const u = new URL(url);
        const mod = u.protocol === 'https:' ? https : http;
        const agent = u.protocol === 'https:' ? agents['https:'] : agents['http:'];
        let settled = false;
        const done = (err: Error | undefined, value?: { statusCode: number; body: string }) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          o.signal?.removeEventListener('abort', onAbort);
          if (err) {
            req.destroy();
            reject(err);
          } else resolve(value!);
        };
        const req = mod.request(u, { method: 'POST', agent, headers }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (s: string) => (body += s));
          res.on('end', () => done(undefined, { statusCode: res.statusCode ?? 0, body }));
          res.on('error', (err) => done(err));
          res.on('aborted', () => done(new Error('response aborted')));
        });
        const timer = setTimeout(() => done(new UploadTimeoutError(o.timeoutMs)), o.timeoutMs);
        const onAbort = () => done(o.signal?.reason instanceof Error ? o.signal.reason : new Error('aborted'));
        if (o.signal?.aborted) {
          onAbort();
          return;
        }
        o.signal?.addEventListener('abort', onAbort, { once: true });
        req.on('error', (err) => done(err));
        for (const p of parts) req.write(p);
        req.end();
      });
    },
  };
}
