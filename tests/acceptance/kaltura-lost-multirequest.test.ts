/**
 * Issue 21: a multirequest whose answer is lost (Kaltura ran it, zk never heard) is recovered like a
 * lost media.add: the next attempt looks the referenceId (or the asset's name) up and adopts what
 * exists; a token made in the lost request is abandoned. No duplicate entry or asset, every file
 * verified and purged.
 */
import { afterEach, expect, test } from '@jest/globals';
import { assertExactlyOnce, settle, statesOf, world, type World } from './harness.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

async function finishAndPurge(x: World): Promise<void> {
  await settle(x);
  x.sandbox.kaltura.resetFaults();
  await settle(x);
  x.clock.advance(2 * 60_000);
  await settle(x);
}

test.each([
  ['media.add + uploadToken.add', { 'media.add': 3 }],
  ['final chunk + addContent + categories', { 'media.addcontent': 3 }],
  ['caption / attachment add + setContent', { 'caption_captionasset.add': 2, 'attachment_attachmentasset.add': 1 }],
  ['verification reads', { 'flavorasset.list': 3 }],
  // The segment's adoption lookup and zk's own referenceId lookup for its parent (two reads, one request).
  ['adoption + referenceId lookup', { 'media.list': 3 }],
])('lost multirequest answer (%s): no duplicate, every file completes', async (_name, drops) => {
  w = await world({ deleteEnabled: true, deleteDelay: '1m' });
  w.sandbox.kaltura.setFaults({ dropResponseNext: drops });
  await settle(w);
  // Every scripted loss happened (the requests ran; their answers never reached zk).
  expect(Object.values(w.sandbox.kaltura.state.snapshot().callCounts).length).toBeGreaterThan(0);
  const left = await fetch(`${w.sandbox.kaltura.url}/_sandbox/faults`).then((r) => r.json() as Promise<{ dropResponseNext?: Record<string, number> }>);
  expect(Object.values(left.dropResponseNext ?? {})).toEqual(Object.values(drops).map(() => 0));
  // zk used multirequests (one HTTP request for several actions).
  expect(w.sandbox.kaltura.state.httpRequestCounts().multirequest ?? 0).toBeGreaterThan(0);
  await finishAndPurge(w);
  const states = statesOf(w);
  expect(states.FAILED ?? 0).toBe(0);
  expect(states.NEEDS_REVIEW ?? 0).toBe(0);
  expect(states.PURGED ?? 0).toBeGreaterThanOrEqual(8);
  await assertExactlyOnce(w, expect);
  // A lost create was adopted, never repeated: one media.add per live entry.
  const live = w.sandbox.kaltura.state.entries().filter((e) => e.status !== 3 && e.referenceId?.startsWith('zk:'));
  expect(w.sandbox.kaltura.state.snapshot().callCounts['media.add']).toBe(live.length);
}, 120_000);

test("lost answer of a caption's or chat's re-check (parent entry + asset list): read again, then deleted; never deleted unread", async () => {
  w = await world({ deleteEnabled: true, deleteDelay: '1m' });
  await settle(w);
  expect(statesOf(w).PURGE_PENDING ?? 0).toBeGreaterThan(0);
  w.sandbox.kaltura.state.resetCallLog();
  w.sandbox.kaltura.setFaults({ dropResponseNext: { 'caption_captionasset.list': 2, 'attachment_attachmentasset.list': 1 } });
  w.clock.advance(2 * 60_000);
  await settle(w);
  const left = await fetch(`${w.sandbox.kaltura.url}/_sandbox/faults`).then((r) => r.json() as Promise<{ dropResponseNext?: Record<string, number> }>);
  expect(Object.values(left.dropResponseNext ?? {})).toEqual([0, 0]);
  // The re-checks travelled as multirequests (entry + asset list); none went alone.
  const calls = w.sandbox.kaltura.state.httpRequestCounts();
  expect(calls['caption_captionasset.list'] ?? 0).toBe(0);
  expect(calls['attachment_attachmentasset.list'] ?? 0).toBe(0);
  // Whatever is still pending (a lost re-check holds its delete with backoff; files handled late are not due yet) goes next.
  // (A late transcript is ingested only now, and due a minute later.)
  for (let i = 0; i < 2; i++) {
    w.clock.advance(10 * 60_000);
    await settle(w);
  }
  const states = statesOf(w);
  expect(states.FAILED ?? 0).toBe(0);
  expect(states.NEEDS_REVIEW ?? 0).toBe(0);
  expect(states.PURGE_PENDING ?? 0).toBe(0);
  await assertExactlyOnce(w, expect);
}, 120_000);
