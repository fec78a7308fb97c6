import { afterEach, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RetryableError } from '../../src/errors.js';
import { createKalturaClient } from '../../src/kaltura/client.js';

/** A server that reads each upload and then answers with `answer` (or never, when it returns undefined). */
async function server(answer: (body: Buffer) => string | undefined): Promise<{ url: string; bodies: Buffer[]; connections: () => number; close(): Promise<void> }> {
  const bodies: Buffer[] = [];
  let connections = 0;
  const s = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => {
      const body = Buffer.concat(parts);
      bodies.push(body);
      const text = answer(body);
      if (text !== undefined) res.writeHead(200, { 'content-type': 'application/json' }).end(text);
    });
  });
  s.on('connection', () => connections++);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
    bodies,
    connections: () => connections,
    close: () =>
      new Promise<void>((r) => {
        s.closeAllConnections();
        s.close(() => r());
      }),
  };
}

const client = (url: string, extra: { requestTimeoutMs?: number } = {}) =>
  createKalturaClient({ serviceUrl: url, partnerId: 1, adminSecret: 'secret', userId: 'zk', privileges: '', sessionExpiryMs: 3_600_000, maxRetries: 0, ...extra });

const TOKEN = JSON.stringify({ objectType: 'KalturaUploadToken', id: '0_t', uploadedFileSize: 5, status: 1 });

let closeAll: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closeAll.map((c) => c()));
  closeAll = [];
});

describe('chunk upload transport (node:http, not got)', () => {
  it('sends the multipart body byte for byte and reuses one connection across chunks', async () => {
    const s = await server(() => TOKEN);
    closeAll.push(s.close);
    const c = client(s.url);
    for (let i = 0; i < 3; i++) {
      expect(await c.upload({ uploadTokenId: '0_t', resumeAt: String(i * 5) }, Buffer.from(`chk-${i}`), 'a.mp4')).toMatchObject({ id: '0_t' });
    }
    expect(s.bodies).toHaveLength(3);
    const text = s.bodies[2].toString('latin1');
    expect(text).toContain('name="resumeAt"\r\n\r\n10\r\n');
    expect(text).toContain('filename="a.mp4"\r\nContent-Type: application/octet-stream\r\n\r\nchk-2\r\n');
    expect(s.connections()).toBe(1);
  });

  it('a server that never answers is a retryable TRANSPORT failure after requestTimeout', async () => {
    const s = await server(() => undefined);
    closeAll.push(s.close);
    const err = await client(s.url, { requestTimeoutMs: 200 })
      .upload({ uploadTokenId: '0_t' }, Buffer.from('x'), 'a.mp4')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
    expect(err).toMatchObject({ code: 'TRANSPORT', source: 'kaltura' });
    expect(String((err as Error).message)).toContain('ETIMEDOUT');
  });

  it('an abort is passed through as the caller’s reason, not classified', async () => {
    const s = await server(() => undefined);
    closeAll.push(s.close);
    const ac = new AbortController();
    const reason = new Error('stopping');
    const p = client(s.url).upload({ uploadTokenId: '0_t' }, Buffer.from('x'), 'a.mp4', { signal: ac.signal });
    setTimeout(() => ac.abort(reason), 50);
    await expect(p).rejects.toBe(reason);
  });
});
