import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FatalError, PermanentError, RetryableError } from '../../src/errors.js';
import type { MediaSink } from '../../src/ingest/ports.js';
import type { KalturaSandbox } from '../../src/sandbox/kaltura/server.js';
import { KALTURA_DEMO_EXTRA_GROUPS, KALTURA_DEMO_OPT_IN_GROUP } from '../../src/sandbox/seed/kaltura-demo.js';
import { demoSandbox, demoSink, eventually, manualClock } from './helpers.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const bytes = (n: number, seed = 7) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) % 251));

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

async function newEntry(sink: MediaSink, ref: string, extra: Record<string, unknown> = {}) {
  return sink.createEntry({ referenceId: ref, name: ref, description: '', mediaType: 1, adminTags: 'zoomentry', ...extra });
}

async function readyEntry(sink: MediaSink, id: string) {
  return eventually(async () => {
    const e = await sink.getEntry(id);
    return e && e.status !== 1 && e.status !== 0 ? e : null;
  });
}

let sbx: KalturaSandbox;
let sink: MediaSink;

beforeEach(async () => {
  sbx = await demoSandbox();
  sink = demoSink(sbx);
});
afterEach(async () => {
  await sbx.close();
});

describe('error classification', () => {
  it('turns exception bodies into typed errors by code', async () => {
    expect(await sink.getEntry('0_missing1')).toBeNull();
    expect(await sink.getUser('nobody@example.edu')).toBeNull();
    const tooShort = await errorOf(newEntry(sink, 'x'));
    expect(tooShort).toBeInstanceOf(PermanentError);
    expect(tooShort).toMatchObject({ code: 'PROPERTY_VALIDATION_MIN_LENGTH', source: 'kaltura' });
    const dup = await errorOf(sink.addUser({ id: 'alice' }));
    expect(dup).toBeInstanceOf(PermanentError);
    expect(dup).toMatchObject({ code: 'DUPLICATE_USER_BY_ID' });
  });

  it('a wrong admin secret is fatal after exactly one regeneration', async () => {
    const bad = demoSink(sbx, { adminSecret: 'not-the-secret' });
    sbx.state.resetCallLog();
    const err = await errorOf(bad.getEntry('0_abcdefgh'));
    expect(err).toBeInstanceOf(FatalError);
    expect(err).toMatchObject({ code: 'INVALID_KS' });
    expect(sbx.state.callCounts()['media.get']).toBe(2);
  });

  it('never puts the KS in the URL or error text', async () => {
    sbx.state.resetCallLog();
    const bad = demoSink(sbx, { adminSecret: 'not-the-secret' });
    const err = (await errorOf(bad.getEntry('0_abcdefgh'))) as Error;
    expect(err.message).not.toMatch(/djJ8/); // base64 of "v2|"
    // Reads, a create, an upload and a lookup: every URL the server received, not just one call's.
    const e = await newEntry(sink, 'zoom:ks-url');
    const t = await sink.createUploadToken('k.mp4', 10);
    await sink.uploadChunk(t.id, bytes(10), { resume: false, resumeAt: 0, finalChunk: true, fileName: 'k.mp4' });
    await sink.addContentFromUploadToken(e.id, t.id);
    await sink.findEntryByReferenceId('zoom:ks-url');
    await sink.getUser('alice');
    const urls = sbx.state.requests().map((r) => r.url);
    expect(urls.length).toBeGreaterThanOrEqual(3);
    expect(urls.some((u) => u.includes('uploadtoken'))).toBe(true);
    for (const url of urls) {
      const u = new URL(url, sbx.url);
      // Kaltura takes a KS as ?ks=, as a /ks/<value> path segment, or inside a multirequest's numbered params (1:ks).
      expect([...u.searchParams.keys()].filter((k) => /(^|:)ks$/i.test(k))).toEqual([]);
      expect(u.pathname.split('/').map((p) => p.toLowerCase())).not.toContain('ks');
      expect(url).not.toMatch(/djJ8/);
    }
  });

  it('INVALID_KS on an expired session regenerates the KS once and succeeds', async () => {
    const clock = manualClock(Date.now());
    const s = demoSink(sbx, { clock });
    await s.findEntryByReferenceId('warm-up');
    // The server now considers every session ending within the next hour expired (e.g. clock skew).
    sbx.setFaults({ ksExpiredBefore: Math.floor(clock.now() / 1000) + 3600 });
    clock.advance(10_000); // still inside the cached KS's lifetime, so only the server's rejection triggers renewal
    sbx.state.resetCallLog();
    expect(await s.findEntryByReferenceId('nothing-here')).toBeNull();
    expect(sbx.state.callCounts()['media.list']).toBe(2);
  });

  it('ACTION_BLOCKED: never retried inside the adapter (the engine owns that wait); creates are never blind-retried', async () => {
    sbx.setFaults({ actionBlockedNext: { 'media.list': 1, 'media.add': 1 } });
    sbx.state.resetCallLog();
    // A read is answered once: its wait (kaltura.actionBlockedWait) is the engine's retry layer's to honour.
    expect(await errorOf(sink.findEntryByReferenceId('ref-blocked'))).toMatchObject({ code: 'ACTION_BLOCKED', retryAfterMs: 60_000 });
    expect(sbx.state.callCounts()['media.list']).toBe(1);
    expect(await sink.findEntryByReferenceId('ref-blocked')).toBeNull();
    const err = await errorOf(newEntry(sink, 'ref-blocked'));
    expect(err).toBeInstanceOf(RetryableError);
    // Rate limiting: a wait to honour, so the engine does not spend the file's attempts on it.
    expect(err).toMatchObject({ code: 'ACTION_BLOCKED', retryAfterMs: 60_000 });
    expect(sbx.state.callCounts()['media.add']).toBe(1);
    expect(sbx.state.entries()).toHaveLength(0);
    sbx.setFaults({ actionBlockedNext: { 'media.get': 10 } });
    expect(await errorOf(sink.getEntry('0_abcdefgh'))).toBeInstanceOf(RetryableError);
    expect(sbx.state.callCounts()['media.get']).toBe(1);
    // Transport-level failures of reads are still retried quickly (a different concern: a flaky connection).
    sbx.setFaults({ actionBlockedNext: { 'media.get': 0 }, serverErrorNext: 1 });
    expect(await sink.getEntry('0_abcdefgh')).toBeNull();
  });

  it('HTTP 5xx / HTML bodies are retryable', async () => {
    sbx.setFaults({ serverErrorNext: 5 });
    const err = await errorOf(sink.getEntry('0_abcdefgh'));
    expect(err).toBeInstanceOf(RetryableError);
    expect(err).toMatchObject({ status: 503 });
  });
});

describe('entries', () => {
  it('findEntryByReferenceId sees in-flight entries that a plain list would hide', async () => {
    const e = await newEntry(sink, 'zoom:ref-1');
    expect(e.status).toBe(7);
    const found = await sink.findEntryByReferenceId('zoom:ref-1');
    expect(found).toMatchObject({ id: e.id, status: 7, referenceId: 'zoom:ref-1' });
    // The gotcha the adapter avoids: no status filter → READY only.
    const res = await fetch(`${sbx.url}/api_v3/service/media/action/list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ format: 1, ks: await sessionKs(sbx), filter: { objectType: 'KalturaMediaEntryFilter', referenceIdEqual: 'zoom:ref-1' } }),
    });
    expect(((await res.json()) as { totalCount: number }).totalCount).toBe(0);
    await sink.deleteEntry(e.id);
    await sink.deleteEntry(e.id); // idempotent
    expect(await sink.findEntryByReferenceId('zoom:ref-1')).toBeNull();
    expect(await sink.getEntry(e.id)).toBeNull();
  });

  it('upload token → READY with the exact bytes; source size within 1 KiB', async () => {
    const data = bytes(250_000);
    const e = await newEntry(sink, 'zoom:ready');
    const t = await sink.createUploadToken('a.mp4', data.length);
    const up = await sink.uploadChunk(t.id, data, { resume: false, resumeAt: 0, finalChunk: true, fileName: 'a.mp4' });
    expect(up).toMatchObject({ uploadedFileSize: data.length, status: 2 });
    const after = await sink.addContentFromUploadToken(e.id, t.id);
    expect(after.status).toBe(1);
    expect((await sink.getUploadToken(t.id))?.status).toBe(3);
    expect((await readyEntry(sink, e.id)).status).toBe(2);
    expect(sbx.state.contentOf(e.id)).toEqual({ size: data.length, sha256: sha256(data) });
    const [source] = await sink.listFlavors(e.id);
    expect(source).toMatchObject({ isOriginal: true, status: 2, sizeInBytes: data.length, sizeKb: Math.floor(data.length / 1024) });
    expect(await sink.listFlavors((await newEntry(sink, 'zoom:empty')).id)).toEqual([]);
  });

  it('conversion failure fault ends in ERROR_CONVERTING, still found by referenceId', async () => {
    sbx.setFaults({ conversionFailureNext: 1 });
    const e = await newEntry(sink, 'zoom:bad');
    const t = await sink.createUploadToken('b.mp4', 10);
    await sink.uploadChunk(t.id, bytes(10), { resume: false, resumeAt: 0, finalChunk: true, fileName: 'b.mp4' });
    await sink.addContentFromUploadToken(e.id, t.id);
    expect((await readyEntry(sink, e.id)).status).toBe(-1);
    expect(await sink.findEntryByReferenceId('zoom:bad')).toMatchObject({ id: e.id, status: -1 });
    const again = await errorOf(sink.addContentFromUploadToken(e.id, t.id));
    expect(again).toMatchObject({ code: 'ENTRY_ALREADY_WITH_CONTENT' });
  });

  it('addContent with an unfinished token waits in IMPORT and continues when the upload completes', async () => {
    const data = bytes(300_000);
    const e = await newEntry(sink, 'zoom:partial');
    const t = await sink.createUploadToken('p.mp4', data.length);
    await sink.uploadChunk(t.id, data.subarray(0, 100_000), { resume: false, resumeAt: 0, finalChunk: false, fileName: 'p.mp4' });
    expect((await sink.addContentFromUploadToken(e.id, t.id)).status).toBe(0);
    await sink.uploadChunk(t.id, data.subarray(100_000), { resume: true, resumeAt: 100_000, finalChunk: true, fileName: 'p.mp4' });
    expect((await readyEntry(sink, e.id)).status).toBe(2);
    expect(sbx.state.contentOf(e.id)?.sha256).toBe(sha256(data));
  });
});

describe('chunked upload semantics', () => {
  it('assembles out-of-order chunks; uploadedFileSize is the contiguous size', async () => {
    const data = bytes(400_000, 3);
    const c = (i: number) => data.subarray(i * 100_000, (i + 1) * 100_000);
    const t = await sink.createUploadToken('o.mp4', data.length);
    let s = await sink.uploadChunk(t.id, c(0), { resume: false, resumeAt: 0, finalChunk: false, fileName: 'o.mp4' });
    expect(s.uploadedFileSize).toBe(100_000);
    s = await sink.uploadChunk(t.id, c(2), { resume: true, resumeAt: 200_000, finalChunk: false, fileName: 'o.mp4' });
    expect(s).toMatchObject({ uploadedFileSize: 100_000, status: 1 });
    s = await sink.uploadChunk(t.id, c(1), { resume: true, resumeAt: 100_000, finalChunk: false, fileName: 'o.mp4' });
    expect(s.uploadedFileSize).toBe(300_000);
    s = await sink.uploadChunk(t.id, c(3), { resume: true, resumeAt: 300_000, finalChunk: true, fileName: 'o.mp4' });
    expect(s).toMatchObject({ uploadedFileSize: 400_000, status: 2 });
    const e = await newEntry(sink, 'zoom:ooo');
    await sink.addContentFromUploadToken(e.id, t.id);
    await readyEntry(sink, e.id);
    expect(sbx.state.contentOf(e.id)?.sha256).toBe(sha256(data));
  });

  it('parallel chunks (final one first) are assembled while the final chunk waits', async () => {
    const data = bytes(500_000, 4);
    const t = await sink.createUploadToken('par.mp4', data.length);
    await sink.uploadChunk(t.id, data.subarray(0, 100_000), { resume: false, resumeAt: 0, finalChunk: false, fileName: 'par.mp4' });
    const send = (i: number, finalChunk: boolean) =>
      sink.uploadChunk(t.id, data.subarray(i * 100_000, (i + 1) * 100_000), { resume: true, resumeAt: i * 100_000, finalChunk, fileName: 'par.mp4' });
    const finalDone = send(4, true);
    await new Promise((r) => setTimeout(r, 20));
    await Promise.all([send(3, false), send(1, false), send(2, false)]);
    expect(await finalDone).toMatchObject({ uploadedFileSize: 500_000, status: 2 });
    const e = await newEntry(sink, 'zoom:parallel');
    await sink.addContentFromUploadToken(e.id, t.id);
    await readyEntry(sink, e.id);
    expect(sbx.state.contentOf(e.id)?.sha256).toBe(sha256(data));
  });

  it('resumes at uploadedFileSize after a chunk is cut off mid-request', async () => {
    const data = bytes(300_000, 5);
    const t = await sink.createUploadToken('r.mp4', data.length);
    await sink.uploadChunk(t.id, data.subarray(0, 100_000), { resume: false, resumeAt: 0, finalChunk: false, fileName: 'r.mp4' });
    await sendTruncatedChunk(sbx, t.id, data.subarray(100_000, 200_000), 100_000);
    const state = await sink.getUploadToken(t.id);
    expect(state?.uploadedFileSize).toBe(100_000);
    const at = state!.uploadedFileSize;
    // A 503 on the retry is absorbed: chunk uploads are idempotent by offset.
    sbx.setFaults({ serverErrorNext: 1 });
    const s = await sink.uploadChunk(t.id, data.subarray(at), { resume: true, resumeAt: at, finalChunk: true, fileName: 'r.mp4' });
    expect(s).toMatchObject({ uploadedFileSize: 300_000, status: 2 });
    const e = await newEntry(sink, 'zoom:resumed');
    await sink.addContentFromUploadToken(e.id, t.id);
    await readyEntry(sink, e.id);
    expect(sbx.state.contentOf(e.id)).toEqual({ size: data.length, sha256: sha256(data) });
  });

  it('a final chunk that leaves a gap fails with UPLOAD_TOKEN_CANNOT_MATCH_EXPECTED_SIZE (retryable)', async () => {
    const data = bytes(300_000, 9);
    const t = await sink.createUploadToken('g.mp4', data.length);
    await sink.uploadChunk(t.id, data.subarray(0, 100_000), { resume: false, resumeAt: 0, finalChunk: false, fileName: 'g.mp4' });
    const err = await errorOf(sink.uploadChunk(t.id, data.subarray(200_000), { resume: true, resumeAt: 200_000, finalChunk: true, fileName: 'g.mp4' }));
    expect(err).toBeInstanceOf(RetryableError);
    expect(err).toMatchObject({ code: 'UPLOAD_TOKEN_CANNOT_MATCH_EXPECTED_SIZE' });
    expect((await sink.getUploadToken(t.id))?.status).toBe(1);
    await sink.uploadChunk(t.id, data.subarray(100_000, 200_000), { resume: true, resumeAt: 100_000, finalChunk: false, fileName: 'g.mp4' });
    const s = await sink.uploadChunk(t.id, data.subarray(200_000), { resume: true, resumeAt: 200_000, finalChunk: true, fileName: 'g.mp4' });
    expect(s).toMatchObject({ uploadedFileSize: 300_000, status: 2 });
    // Re-sending the final chunk after it landed (lost response) is recognised, not an error.
    const again = await sink.uploadChunk(t.id, data.subarray(200_000), { resume: true, resumeAt: 200_000, finalChunk: true, fileName: 'g.mp4' });
    expect(again.status).toBe(2);
    const closed = await errorOf(sink.uploadChunk(t.id, data.subarray(0, 10), { resume: true, resumeAt: 0, finalChunk: false, fileName: 'g.mp4' }));
    expect(closed).toMatchObject({ code: 'UPLOAD_TOKEN_INVALID_STATUS_FOR_UPLOAD' });
  });
});

describe('URL import', () => {
  let origin: http.Server;
  let port: number;
  const seen: Array<{ path: string; auth?: string; host?: string }> = [];
  const payload = bytes(150_000, 11);

  beforeEach(async () => {
    seen.length = 0;
    origin = http.createServer((req, res) => {
      seen.push({ path: req.url ?? '', auth: req.headers.authorization, host: req.headers.host });
      if (req.url === '/rec/download/abc') {
        if (req.headers.authorization !== 'Bearer zoom-token') {
          res.writeHead(401).end();
          return;
        }
        // Zoom redirects to a signed CDN URL on another host.
        res.writeHead(302, { location: `http://localhost:${port}/cdn/abc.mp4?sig=1` }).end();
      } else if (req.url === '/cdn/abc.mp4?sig=1') {
        res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': payload.length }).end(payload);
      } else if (req.url === '/html') {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => origin.listen(0, '127.0.0.1', () => r()));
    port = (origin.address() as AddressInfo).port;
  });
  afterEach(async () => {
    await new Promise((r) => origin.close(r));
  });

  it('follows the redirect, sends headers only to the original host, ends READY', async () => {
    const e = await newEntry(sink, 'zoom:url');
    const after = await sink.addContentFromUrl(e.id, `http://127.0.0.1:${port}/rec/download/abc`, ['Authorization: Bearer zoom-token']);
    expect(after.status).toBe(0);
    expect((await readyEntry(sink, e.id)).status).toBe(2);
    expect(sbx.state.contentOf(e.id)?.sha256).toBe(sha256(payload));
    expect(seen).toEqual([
      { path: '/rec/download/abc', auth: 'Bearer zoom-token', host: `127.0.0.1:${port}` },
      { path: '/cdn/abc.mp4?sig=1', auth: undefined, host: `localhost:${port}` },
    ]);
  });

  it('an HTML answer or a failing fetch ends in ERROR_IMPORTING', async () => {
    const e1 = await newEntry(sink, 'zoom:html');
    await sink.addContentFromUrl(e1.id, `http://127.0.0.1:${port}/html`, []);
    expect((await readyEntry(sink, e1.id)).status).toBe(-2);
    const e2 = await newEntry(sink, 'zoom:noauth');
    await sink.addContentFromUrl(e2.id, `http://127.0.0.1:${port}/rec/download/abc`, []);
    expect((await readyEntry(sink, e2.id)).status).toBe(-2);
    sbx.setFaults({ importFailureNext: 1 });
    const e3 = await newEntry(sink, 'zoom:fault');
    await sink.addContentFromUrl(e3.id, `http://127.0.0.1:${port}/rec/download/abc`, ['Authorization: Bearer zoom-token']);
    expect((await readyEntry(sink, e3.id)).status).toBe(-2);
  });
});

describe('parent/child, categories, captions, attachments', () => {
  it('children may not get categories; captions on a child land on the parent', async () => {
    const parent = await newEntry(sink, 'zoom:parent', { userId: 'alice' });
    const child = await newEntry(sink, 'zoom:child', { userId: 'bob@example.edu', parentEntryId: parent.id });
    expect(child.parentEntryId).toBe(parent.id);
    const cat = await sink.findCategoryByFullName('MediaSpace>site>channels>Zoom');
    expect(cat).not.toBeNull();
    await sink.addCategoryEntry(cat!.id, parent.id);
    await sink.addCategoryEntry(cat!.id, parent.id); // CATEGORY_ENTRY_ALREADY_EXISTS is success
    expect(await sink.listCategoryIdsOfEntry(parent.id)).toEqual([cat!.id]);
    const err = await errorOf(sink.addCategoryEntry(cat!.id, child.id));
    expect(err).toBeInstanceOf(PermanentError);
    expect(err).toMatchObject({ code: 'ASSIGNING_INFO_TO_ENTRY_WITH_PARENT_IS_FORBIDDEN' });

    const { id: capId } = await sink.addCaption(child.id, { label: 'Zoom_TRANSCRIPT', language: 'en', format: 'WEBVTT', content: 'WEBVTT\n\n1\n00:00.000 --> 00:01.000\nhi\n' });
    const view = sbx.state.entry(parent.id)!;
    expect(view.captions).toEqual([
      expect.objectContaining({ id: capId, label: 'Zoom_TRANSCRIPT', language: 'English', format: '3', status: 2, content: expect.stringContaining('hi') }),
    ]);
    expect(sbx.state.entry(child.id)!.captions).toEqual([]);
    expect(await sink.listCaptionLabels(parent.id)).toEqual([{ id: capId, label: 'Zoom_TRANSCRIPT' }]);
    // The child's owner differs, so the parent's owner is entitled on the child.
    expect(sbx.state.entry(child.id)!.entitledUsersEdit.split(',')).toContain('alice');

    const { id: attId } = await sink.addTextAttachment(parent.id, { filename: 'Recording 123 chat file.txt', title: 'Chat', content: '10:00 alice: hi' });
    expect(await sink.listAttachmentFilenames(parent.id)).toEqual([{ id: attId, filename: 'Recording 123 chat file.txt' }]);
    expect(sbx.state.entry(parent.id)!.attachments[0]).toMatchObject({ format: '1', content: '10:00 alice: hi' });
  });

  it("getEntryWithAssets reads the entry and its caption or chat assets in one HTTP request; a missing entry is null", async () => {
    const parent = await newEntry(sink, 'zoom:assets-parent');
    const { id: capId } = await sink.addCaption(parent.id, { label: 'Zoom_TRANSCRIPT', language: 'en', format: 'WEBVTT', content: 'WEBVTT\n\n1\n00:00.000 --> 00:01.000\nhi\n' });
    const { id: attId } = await sink.addTextAttachment(parent.id, { filename: 'Recording 1 chat file.txt', title: 'Chat', content: 'hi' });
    sbx.state.resetCallLog();
    const caps = await sink.getEntryWithAssets!('caption', parent.id);
    expect(caps.entry).toMatchObject({ id: parent.id, referenceId: 'zoom:assets-parent' });
    expect(caps.assets).toEqual([expect.objectContaining({ id: capId, name: 'Zoom_TRANSCRIPT', status: 2, sizeBytes: expect.any(Number) })]);
    const chats = await sink.getEntryWithAssets!('attachment', parent.id);
    expect(chats.assets).toEqual([expect.objectContaining({ id: attId, name: 'Recording 1 chat file.txt', status: 2, sizeBytes: 2 })]);
    expect(sbx.state.httpRequestCounts()).toEqual({ multirequest: 2 });
    expect(await sink.getEntryWithAssets!('caption', '0_nothere1')).toEqual({ entry: null, assets: [] });
  });

  it('getEntryWithFlavorsAndAssets reads the entry, its flavors and its captions and chat in one HTTP request', async () => {
    const parent = await newEntry(sink, 'zoom:segment-parent');
    const { id: capId } = await sink.addCaption(parent.id, { label: 'Zoom_TRANSCRIPT', language: 'en', format: 'WEBVTT', content: 'WEBVTT\n' });
    const { id: attId } = await sink.addTextAttachment(parent.id, { filename: 'Recording 2 chat file.txt', title: 'Chat', content: 'hello' });
    const flavors = await sink.listFlavors(parent.id);
    sbx.state.resetCallLog();
    const read = await sink.getEntryWithFlavorsAndAssets!(parent.id, ['caption', 'attachment']);
    expect(sbx.state.httpRequestCounts()).toEqual({ multirequest: 1 });
    expect(read.entry).toMatchObject({ id: parent.id });
    expect(read.flavors).toEqual(flavors);
    expect(read.assets.caption).toEqual([expect.objectContaining({ id: capId, name: 'Zoom_TRANSCRIPT', status: 2 })]);
    expect(read.assets.attachment).toEqual([expect.objectContaining({ id: attId, name: 'Recording 2 chat file.txt', status: 2, sizeBytes: 5 })]);
    expect(await sink.getEntryWithFlavorsAndAssets!('0_nothere1', ['caption'])).toEqual({ entry: null, flavors: [], assets: { caption: [] } });
  });

  it('updateEntry links a child and refuses cycles', async () => {
    const a = await newEntry(sink, 'zoom:a');
    const b = await newEntry(sink, 'zoom:b');
    expect((await sink.updateEntry(b.id, { parentEntryId: a.id, name: 'renamed' })).parentEntryId).toBe(a.id);
    expect(await errorOf(sink.updateEntry(a.id, { parentEntryId: b.id }))).toMatchObject({ code: 'CYCLE_IN_PARENTAGE' });
    expect(await errorOf(sink.updateEntry(a.id, { parentEntryId: '0_nothere1' }))).toMatchObject({ code: 'PARENT_ENTRY_ID_NOT_FOUND' });
  });

  it('categories by full name and by plain name; addCategory is idempotent', async () => {
    expect(await sink.findCategoryByName('Zoom')).toMatchObject({ fullName: 'MediaSpace>site>channels>Zoom' });
    expect(await sink.findCategoryByName('No Such')).toBeNull();
    const channels = await sink.findCategoryByFullName('MediaSpace>site>channels');
    const made = await sink.addCategory(channels!.id, 'Zoom Extra');
    expect(made.fullName).toBe('MediaSpace>site>channels>Zoom Extra');
    expect(await sink.addCategory(channels!.id, 'Zoom Extra')).toEqual(made);
  });
});

describe('users and groups', () => {
  it('finds users by email and external id, blocked users included', async () => {
    expect(await sink.findUserByEmail('ALICE@example.edu')).toMatchObject({ id: 'alice', status: 1 });
    expect(await sink.findUserByEmail('mallory@example.edu')).toMatchObject({ id: 'mallory@example.edu', status: 0 });
    expect(await sink.findUserByExternalId('frank-ext')).toMatchObject({ id: 'frank' });
    expect(await sink.findUserByEmail('nobody@example.edu')).toBeNull();
    expect(await sink.addUser({ id: 'new@example.edu', email: 'new@example.edu' })).toMatchObject({ id: 'new@example.edu', status: 1 });
    expect(await sink.getUser('new@example.edu')).toMatchObject({ email: 'new@example.edu' });
  });

  it('reads every page of group memberships', async () => {
    sbx.state.resetCallLog();
    const groups = await sink.listUserGroupIds('alice');
    expect(groups).toHaveLength(KALTURA_DEMO_EXTRA_GROUPS.length + 1);
    expect(groups).toContain(KALTURA_DEMO_OPT_IN_GROUP);
    expect(sbx.state.callCounts()['groupuser.list']).toBe(2);
    expect(await sink.listUserGroupIds('nobody')).toEqual([]);
  });
});

async function sessionKs(s: KalturaSandbox): Promise<string> {
  const res = await fetch(`${s.url}/api_v3/service/session/action/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ format: 1, secret: 'sbx-kaltura-admin-secret', partnerId: 100, type: 2 }),
  });
  return (await res.json()) as string;
}

/** Sends half of a multipart chunk upload and then drops the connection. */
async function sendTruncatedChunk(s: KalturaSandbox, tokenId: string, chunk: Buffer, resumeAt: number): Promise<void> {
  const ks = await sessionKs(s);
  const boundary = 'zkcut';
  const field = (n: string, v: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`;
  const head = Buffer.from(
    field('ks', ks) + field('format', '1') + field('uploadTokenId', tokenId) + field('resume', '1') + field('finalChunk', '0') +
      field('resumeAt', String(resumeAt)) +
      `--${boundary}\r\nContent-Disposition: form-data; name="fileData"; filename="r.mp4"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const url = new URL(`${s.url}/api_v3/service/uploadtoken/action/upload`);
  await new Promise<void>((resolve) => {
    const req = http.request(url, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + chunk.length + 100 },
    });
    req.on('error', () => resolve());
    req.write(head);
    req.write(chunk.subarray(0, chunk.length / 2), () => setTimeout(() => {
      req.destroy();
      setTimeout(resolve, 50);
    }, 20));
  });
}
