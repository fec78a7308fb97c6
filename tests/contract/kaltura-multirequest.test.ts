/**
 * Multirequest, wire and adapter (as kaltura/server's api_v3/lib/KalturaFrontController.php
 * handles it): the sandbox runs items in order from min(1, minKey), stops at the first gap,
 * resolves `{K:result:path}` by 1-based execution ordinal (`_all` joins a field across an array),
 * and answers one array with a KalturaAPIException per failed item. zk's client sends one HTTP
 * request and classifies each item's error like a single call's.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createKalturaClient, type KalturaClient } from '../../src/kaltura/client.js';
import { generateKsV2 } from '../../src/kaltura/ks.js';
import { FatalError, PermanentError, RetryableError } from '../../src/errors.js';
import { startKalturaSandbox, type KalturaSandbox } from '../../src/sandbox/kaltura/server.js';
import { KALTURA_DEMO_ADMIN_SECRET, KALTURA_DEMO_PARTNER_ID, kalturaDemoSandboxOptions } from '../../src/sandbox/seed/kaltura-demo.js';

let sbx: KalturaSandbox;
let client: KalturaClient;
const ks = () => generateKsV2({ adminSecret: KALTURA_DEMO_ADMIN_SECRET, partnerId: KALTURA_DEMO_PARTNER_ID, userId: 'mr', type: 2, expirySec: 3600, privileges: 'disableentitlement', now: Date.now() });

async function wire(body: Record<string, unknown>): Promise<Array<Record<string, unknown>>> {
  const res = await fetch(`${sbx.url}/api_v3/service/multirequest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ format: 1, ks: ks(), ...body }) });
  expect(res.status).toBe(200);
  return (await res.json()) as Array<Record<string, unknown>>;
}

beforeAll(async () => {
  sbx = await startKalturaSandbox({ ...kalturaDemoSandboxOptions(), conversionDelayMs: 10 });
  client = createKalturaClient({ serviceUrl: sbx.url, partnerId: KALTURA_DEMO_PARTNER_ID, adminSecret: KALTURA_DEMO_ADMIN_SECRET, userId: 'zk', privileges: 'disableentitlement', sessionExpiryMs: 3_600_000, retryDelayMs: 1 });
});
afterAll(async () => {
  await sbx.close();
});
beforeEach(() => {
  sbx.resetFaults();
  sbx.state.resetCallLog();
});

describe("wire (the sandbox against the server's multirequest rules)", () => {
  it('keys from 0 (the official clients): K in {K:result} is the execution ordinal; a failed item resolves to ""', async () => {
    const out = await wire({
      0: { service: 'uploadtoken', action: 'add', uploadToken: { objectType: 'KalturaUploadToken', fileName: 'a.mp4' } },
      1: { service: 'uploadtoken', action: 'get', uploadTokenId: '{1:result:id}' },
      2: { service: 'media', action: 'get', entryId: '0_missing0' },
      3: { service: 'media', action: 'get', entryId: '{3:result:id}' },
    });
    expect(out).toHaveLength(4);
    expect(out[1]).toMatchObject({ id: out[0].id, objectType: 'KalturaUploadToken' });
    expect(out[2]).toMatchObject({ code: 'ENTRY_ID_NOT_FOUND', objectType: 'KalturaAPIException' });
    // The third item failed, so its id is empty: the fourth fails on its own, it does not stop the batch.
    expect(out[3]).toMatchObject({ objectType: 'KalturaAPIException' });
    // One HTTP request, four API actions.
    expect(sbx.state.httpRequestCounts()).toEqual({ multirequest: 1 });
    expect(sbx.state.callCounts()).toMatchObject({ 'uploadtoken.add': 1, 'uploadtoken.get': 1, 'media.get': 2 });
  });

  it('stops at the first gap; `_all` joins a field across a list', async () => {
    const out = await wire({
      1: { service: 'uploadtoken', action: 'add', uploadToken: { objectType: 'KalturaUploadToken', fileName: 'b.mp4' } },
      2: { service: 'uploadtoken', action: 'list', filter: { objectType: 'KalturaUploadTokenFilter', idIn: '{1:result:id}' } },
      3: { service: 'uploadtoken', action: 'list', filter: { objectType: 'KalturaUploadTokenFilter', idIn: '{2:result:objects:_all:id}' } },
      5: { service: 'uploadtoken', action: 'add', uploadToken: { objectType: 'KalturaUploadToken', fileName: 'never.mp4' } },
    });
    expect(out).toHaveLength(3);
    expect(out[2]).toMatchObject({ totalCount: 1, objects: [{ id: out[0].id }] });
    expect(sbx.state.callCounts()['uploadtoken.add']).toBe(1);
  });

  it('dropResponseNext runs the request, then cuts the connection (a lost answer)', async () => {
    sbx.setFaults({ dropResponseNext: { 'uploadtoken.add': 1 } });
    const err = await client.multi([{ service: 'uploadtoken', action: 'add', params: { uploadToken: { objectType: 'KalturaUploadToken', fileName: 'lost.mp4' } } }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
    expect(err).toMatchObject({ code: 'TRANSPORT' });
    expect(sbx.state.snapshot().uploadTokens.some((t) => t.fileName === 'lost.mp4')).toBe(true);
  });
});

describe("zk's client.multi", () => {
  it('classifies each item once, by code: permanent, throttled (with its wait), success', async () => {
    sbx.setFaults({ actionBlockedNext: { 'flavorasset.list': 1 } });
    const [missing, blocked, token] = await client.multi(
      [
        { service: 'media', action: 'get', params: { entryId: '0_missing0' } },
        { service: 'flavorasset', action: 'list', params: { filter: { objectType: 'KalturaAssetFilter', entryIdEqual: '0_missing0' } } },
        { service: 'uploadtoken', action: 'add', params: { uploadToken: { objectType: 'KalturaUploadToken', fileName: 'c.mp4' } } },
      ],
      { idempotent: true },
    );
    expect(missing.ok ? null : missing.error).toBeInstanceOf(PermanentError);
    expect(missing.ok ? null : missing.error).toMatchObject({ code: 'ENTRY_ID_NOT_FOUND' });
    expect(blocked.ok ? null : blocked.error).toBeInstanceOf(RetryableError);
    expect(blocked.ok ? null : blocked.error).toMatchObject({ code: 'ACTION_BLOCKED', retryAfterMs: 60_000 });
    expect(token.ok && (token.value as { objectType: string }).objectType).toBe('KalturaUploadToken');
    // An item's throttling is not retried by the adapter: one request.
    expect(sbx.state.httpRequestCounts()).toEqual({ multirequest: 1 });
  });

  it('a rejected session (every item INVALID_KS: nothing ran) is regenerated once; a bad secret is fatal', async () => {
    sbx.setFaults({ ksExpiredBefore: Math.floor(Date.now() / 1000) + 7200 });
    const fresh = createKalturaClient({ serviceUrl: sbx.url, partnerId: KALTURA_DEMO_PARTNER_ID, adminSecret: KALTURA_DEMO_ADMIN_SECRET, userId: 'zk', privileges: '', sessionExpiryMs: 3_600_000 });
    const [r] = await fresh.multi([{ service: 'media', action: 'get', params: { entryId: '0_missing0' } }]);
    expect(r.ok ? null : r.error).toBeInstanceOf(FatalError);
    expect(sbx.state.httpRequestCounts()).toEqual({ multirequest: 2 });
  });

  it('sends a file with the batch (multipart, `json` part, `1:fileData`); a later item uses the upload by back-reference', async () => {
    const [added] = await client.multi([{ service: 'uploadtoken', action: 'add', params: { uploadToken: { objectType: 'KalturaUploadToken', fileName: 'd.bin', fileSize: 5 } } }]);
    const id = (added.ok && (added.value as { id: string }).id) as string;
    const [up, got] = await client.multi(
      [
        { service: 'uploadtoken', action: 'upload', params: { uploadTokenId: id, resume: '0', finalChunk: '1', resumeAt: '0' } },
        { service: 'uploadtoken', action: 'get', params: { uploadTokenId: '{1:result:id}' } },
      ],
      {},
      { item: 1, chunk: Buffer.from('hello'), fileName: 'd.bin' },
    );
    expect(up.ok && up.value).toMatchObject({ id, status: 2, uploadedFileSize: 5 });
    expect(got.ok && got.value).toMatchObject({ id, status: 2 });
  });
});
