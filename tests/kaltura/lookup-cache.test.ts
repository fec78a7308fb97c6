/** Issue 21: users, group memberships and categories are reused within kaltura.lookupCacheTtl, per sink, bounded. */
import { afterEach, beforeEach, expect, it } from '@jest/globals';
import { createLookupCache } from '../../src/kaltura/lookup-cache.js';
import type { MediaSink } from '../../src/ingest/ports.js';
import type { KalturaSandbox } from '../../src/sandbox/kaltura/server.js';
import { demoSandbox, demoSink, manualClock } from './helpers.js';

let sbx: KalturaSandbox;
const clock = manualClock(Date.now());
let sink: MediaSink;

beforeEach(async () => {
  sbx = await demoSandbox();
  sink = demoSink(sbx, { clock, lookupCacheTtlMs: 60_000 });
});
afterEach(async () => {
  await sbx.close();
});

it('user.get and group memberships are asked once within the TTL, again after it', async () => {
  sbx.state.resetCallLog();
  expect(await sink.getUser('alice')).toMatchObject({ id: 'alice' });
  expect(await sink.getUser('ALICE')).toMatchObject({ id: 'alice' });
  expect(await sink.getUser('nobody-here')).toBeNull();
  expect(await sink.getUser('nobody-here')).toBeNull();
  const groups = await sink.listUserGroupIds('alice');
  const pages = sbx.state.callCounts()['groupuser.list'];
  expect(await sink.listUserGroupIds('alice')).toEqual(groups);
  expect(sbx.state.callCounts()['user.get']).toBe(2);
  expect(sbx.state.callCounts()['groupuser.list']).toBe(pages);
  clock.advance(60_000);
  await sink.getUser('alice');
  expect(sbx.state.callCounts()['user.get']).toBe(3);
});

it('a user zk creates is known at once; getUserOrSearch asks user.get and eSearch in one request', async () => {
  sbx.state.resetCallLog();
  const found = await sink.getUserOrSearch!('alice@example.edu', { email: 'alice@example.edu' });
  expect(found.byId).toBeNull();
  expect(found.bySearch).toMatchObject({ id: 'alice' });
  expect(sbx.state.httpRequestCounts().multirequest).toBe(1);
  // Both answers are remembered.
  await sink.getUserOrSearch!('alice@example.edu', { email: 'alice@example.edu' });
  expect(sbx.state.httpRequestCounts().multirequest).toBe(1);
  await sink.addUser({ id: 'new.user@example.edu', email: 'new.user@example.edu' });
  const before = sbx.state.callCounts()['user.get'] ?? 0;
  expect(await sink.getUser('new.user@example.edu')).toMatchObject({ id: 'new.user@example.edu' });
  expect(sbx.state.callCounts()['user.get'] ?? 0).toBe(before);
});

it('a missing category is not remembered (zk may create it); a found one is', async () => {
  sbx.state.resetCallLog();
  expect(await sink.findCategoryByFullName('NoSuch>Category')).toBeNull();
  expect(await sink.findCategoryByFullName('NoSuch>Category')).toBeNull();
  expect(sbx.state.callCounts()['category.list']).toBe(2);
  const made = await sink.addCategory(null, 'CachedCat');
  expect(await sink.findCategoryByFullName('CachedCat')).toMatchObject({ id: made.id });
  expect(await sink.findCategoryByFullName('CachedCat')).toMatchObject({ id: made.id });
  expect(sbx.state.callCounts()['category.list']).toBe(3);
});

it('failures are not remembered; the cache is bounded and off at TTL 0', async () => {
  const c = createLookupCache(clock, 1000, 2);
  let n = 0;
  await expect(c.get('k', async () => Promise.reject(new Error('transient')))).rejects.toThrow('transient');
  expect(await c.get('k', async () => ++n)).toBe(1);
  expect(await c.get('k', async () => ++n)).toBe(1);
  await c.get('a', async () => 'a');
  await c.get('b', async () => 'b');
  expect(c.has('k')).toBe(false); // evicted: oldest first
  const off = createLookupCache(clock, 0);
  expect(await off.get('x', async () => ++n)).toBe(2);
  expect(await off.get('x', async () => ++n)).toBe(3);
});
