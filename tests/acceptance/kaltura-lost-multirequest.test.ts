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
