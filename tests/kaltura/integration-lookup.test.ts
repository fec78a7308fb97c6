/**
 * Issue 22: the Kaltura adapter's read-only view of Kaltura's Zoom integration
 * entries, against the emulator over HTTP: every status but deleted, every
 * moderation status (the default filter would hide them), more than one page,
 * source evidence (sizeInBytes, or size in KB only) and asset statuses.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { createKalturaSink } from '../../src/kaltura/sink.js';
import type { KalturaSandbox } from '../../src/sandbox/kaltura/server.js';
import type { KalturaSeedEntry } from '../../src/sandbox/kaltura/seed-types.js';
import { KALTURA_DEMO_ADMIN_SECRET, KALTURA_DEMO_PARTNER_ID, kalturaDemoSeed } from '../../src/sandbox/seed/kaltura-demo.js';
import { demoSandbox } from './helpers.js';

const REF = 'Zoom_abc/def==2026-11-01T10:00:00Z';
const CHILD = 'Zoom_abc/def==';
const base = { name: 'Lecture', adminTags: 'zoomentry', description: 'Zoom Recording ID: 1\nUUID: abc/def==' };
const entries: KalturaSeedEntry[] = [
  { ...base, id: '0_parent', mediaType: 1, referenceId: REF, moderationStatus: 1, source: { sizeBytes: 5_000_123, sha256: 'x', fileExt: 'mp4', reportSizeInBytes: true }, captions: [{ label: 'Zoom_CC', language: 'English', content: 'WEBVTT', status: -1 }], attachments: [{ filename: 'Recording 1 chat file.txt', title: 't', content: 'hi' }] },
  { ...base, id: '0_kbonly', mediaType: 1, referenceId: CHILD, parentEntryId: '0_parent', moderationStatus: 3, source: { sizeBytes: 3_000_500, sha256: 'y', fileExt: 'mp4' } },
  { ...base, id: '0_errored', mediaType: 1, referenceId: CHILD, parentEntryId: '0_parent', status: -1 },
  { ...base, id: '0_deleted', mediaType: 1, referenceId: CHILD, status: 3 },
  { ...base, id: '0_other', mediaType: 1, referenceId: 'Zoom_other' },
  // More children than one page of the adapter's lists would hold if it stopped early.
  ...Array.from({ length: 520 }, (_, i): KalturaSeedEntry => ({ ...base, id: `0_many${i}`, mediaType: 1, referenceId: CHILD, parentEntryId: '0_parent', status: 2 })),
];

let sbx: KalturaSandbox;
beforeAll(async () => {
  sbx = await demoSandbox({ seed: { ...kalturaDemoSeed(), entries } });
});
afterAll(() => sbx.close());

const sink = () =>
  createKalturaSink({ serviceUrl: sbx.url, partnerId: KALTURA_DEMO_PARTNER_ID, adminSecret: KALTURA_DEMO_ADMIN_SECRET, userId: 'zk', privileges: 'disableentitlement', sessionExpiryMs: 3_600_000, retryDelayMs: 1 });

test('finds every entry in any status but deleted and any moderation status, every page, with source evidence', async () => {
  const found = await sink().findIntegrationEntries([REF, CHILD]);
  const byId = new Map(found.map((e) => [e.id, e]));
  expect(byId.has('0_deleted')).toBe(false);
  expect(byId.has('0_other')).toBe(false);
  expect(found.length).toBe(3 + 520);
  expect(byId.get('0_parent')).toMatchObject({ status: 2, referenceId: REF, mediaType: 1, adminTags: 'zoomentry', source: { sizeInBytes: 5_000_123, sizeKb: Math.floor(5_000_123 / 1024), status: 2 } });
  // Rejected in moderation, and Kaltura lists only `size` in KB for it.
  expect(byId.get('0_kbonly')).toMatchObject({ parentEntryId: '0_parent', source: { sizeInBytes: undefined, sizeKb: Math.floor(3_000_500 / 1024) } });
  expect(byId.get('0_errored')).toMatchObject({ status: -1, source: null });
});

test('lists caption and attachment assets with their status', async () => {
  const assets = await sink().listIntegrationAssets('0_parent');
  expect(assets).toEqual([
    expect.objectContaining({ kind: 'caption', label: 'Zoom_CC', status: -1 }),
    expect.objectContaining({ kind: 'attachment', filename: 'Recording 1 chat file.txt', status: 2 }),
  ]);
});

test("with zk's own referenceId lookup, one multirequest answers both (further pages read after it)", async () => {
  const s = sink();
  const alone = await s.findIntegrationEntries([REF, CHILD]);
  const own = await s.findEntryByReferenceId('Zoom_other');
  sbx.state.resetCallLog();
  const both = await s.findIntegrationEntriesAndOwn!([REF, CHILD], 'Zoom_other');
  expect(both.entries).toEqual(alone);
  expect(both.own).toEqual(own);
  expect(both.own).toMatchObject({ id: '0_other' });
  // The first page of each in one request; the 520 children need one more page, and their source evidence.
  expect(sbx.state.httpRequestCounts().multirequest).toBe(1);
  expect(sbx.state.httpRequestCounts()['media.list']).toBe(1);
});

test('one request when the segment has no integration entries and zk made nothing yet', async () => {
  const s = sink();
  sbx.state.resetCallLog();
  expect(await s.findIntegrationEntriesAndOwn!(['Zoom_none'], 'zk:none')).toEqual({ entries: [], own: null });
  expect(sbx.state.httpRequestCounts()).toEqual({ multirequest: 1 });
});
