/** Deterministic sandbox file bytes: any offset, any size, flat memory. */
import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { contentSha256, contentStream, contentText } from '../../src/sandbox/content.js';

async function collect(s: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

describe('sandbox content', () => {
  it('is deterministic per (fileId, size) and differs between files', async () => {
    const a = await collect(contentStream('f1', 200_000));
    expect(a.length).toBe(200_000);
    expect((await collect(contentStream('f1', 200_000))).equals(a)).toBe(true);
    expect((await collect(contentStream('f2', 200_000))).equals(a)).toBe(false);
    expect(createHash('sha256').update(a).digest('hex')).toBe(await contentSha256('f1', 200_000));
  });

  it('serves any byte range consistently with the whole file, and swapped chunks change the hash', async () => {
    const whole = await collect(contentStream('f3', 300_000));
    const mid = await collect(contentStream('f3', 300_000, 70_000, 199_999));
    expect(mid.equals(whole.subarray(70_000, 200_000))).toBe(true);
    const chunk = 64 * 1024;
    const swapped = Buffer.concat([whole.subarray(chunk, 2 * chunk), whole.subarray(0, chunk), whole.subarray(2 * chunk)]);
    expect(createHash('sha256').update(swapped).digest('hex')).not.toBe(await contentSha256('f3', 300_000));
  });

  it('reads the tail of a 5 GiB file without generating the rest', async () => {
    const size = 5 * 1024 ** 3;
    // Compared with reading 1 MB from the start, measured in the same moment (so a loaded machine slows both):
    // generating the 5 GiB before the tail would be thousands of times slower, not a few.
    let started = performance.now();
    expect((await collect(contentStream('small', 2_000_000, 0, 999_999))).length).toBe(1_000_000);
    const headMs = performance.now() - started;
    started = performance.now();
    const tail = await collect(contentStream('huge', size, size - 1_000_000));
    const tailMs = performance.now() - started;
    expect(tail.length).toBe(1_000_000);
    expect(tailMs).toBeLessThan(50 * headMs + 500);
  });

  it('makes text files of exactly the requested size', () => {
    const vtt = contentText('t1', 5_000, 'vtt');
    expect(Buffer.byteLength(vtt)).toBe(5_000);
    expect(vtt).toMatch(/^WEBVTT\n\n1\n00:00:00\.000 --> 00:00:03\.500\n/);
    expect(() => JSON.parse(contentText('j1', 3_000, 'json'))).not.toThrow();
    expect(Buffer.byteLength(contentText('c1', 777, 'txt'))).toBe(777);
  });
});
