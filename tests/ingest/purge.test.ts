import { afterEach, describe, expect, test } from '@jest/globals';
import { makeWorld, drain, states, DAY, type World } from './helpers.js';
import { seedFullMeeting } from './fixtures.js';
import { retryable } from '../fakes/fake-zoom.js';
import { ENTRY_STATUS } from '../../src/ingest/ports.js';

const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));
function world(opts: Parameters<typeof makeWorld>[0] = {}) {
  const w = makeWorld(opts);
  worlds.push(w);
  return w;
}
const deleting = (extra: Record<string, unknown> = {}) => ({ account: { delete: { enabled: true, delay: '1d' } }, ...extra });

async function ingested(w: World) {
  await w.engine.pollOnce('main');
  await drain(w);
}

describe('purge', () => {
  test('disabled: nothing is ever deleted', async () => {
    const w = world();
    seedFullMeeting(w.zoom);
    await ingested(w);
    w.clock.advance(10 * DAY);
    await w.engine.purgeOnce();
    expect(w.zoom.deleted).toHaveLength(0);
    expect(states(w)['111-ss']).toBe('HANDLED');
  });

  test('only after the delay; covered audio follows its video; ignored files stay', async () => {
    const w = world(deleting());
    seedFullMeeting(w.zoom);
    await ingested(w);
    await w.engine.purgeOnce();
    expect(states(w)).toMatchObject({ '111-ss': 'PURGE_PENDING', '111-a': 'COVERED', '111-tl': 'IGNORED' });
    expect(w.zoom.deleted).toHaveLength(0);
    w.clock.advance(DAY - 1000);
    await w.engine.purgeOnce();
    expect(w.zoom.deleted).toHaveLength(0);
    w.clock.advance(1000);
    await w.engine.purgeOnce();
    expect(states(w)).toEqual({ '111-ss': 'PURGED', '111-sv': 'PURGED', '111-a': 'PURGED', '111-t': 'PURGED', '111-ch': 'PURGED', '111-tl': 'IGNORED' });
    expect(w.zoom.deleted.every((d) => d.action === 'trash')).toBe(true);
    // The audio went after its video.
    const order = w.zoom.deleted.map((d) => d.fileId);
    expect(order.indexOf('111-a')).toBeGreaterThan(order.indexOf('111-ss'));
  });

  test('never deletes a file whose entry is not verified READY with matching size', async () => {
    const w = world(deleting());
    seedFullMeeting(w.zoom);
    await ingested(w);
    const parent = w.engine.repos.files.list().find((f) => f.zoomFileId === '111-ss')!;
    // An admin deletes the Kaltura entry after we verified it.
    w.kaltura.entries.get(parent.kalturaEntryId!)!.entry.status = ENTRY_STATUS.DELETED;
    w.clock.advance(DAY);
    await w.engine.purgeOnce();
    await w.engine.purgeOnce();
    w.clock.advance(DAY);
    await w.engine.purgeOnce();
    const ids = w.zoom.deleted.map((d) => d.fileId);
    expect(ids).not.toContain('111-ss');
    expect(ids).not.toContain('111-a'); // its covered audio stays with it
    expect(ids).not.toContain('111-t'); // captions live on that parent
    expect(ids).toContain('111-sv');
    const row = w.engine.repos.files.get(parent.id)!;
    expect(row).toMatchObject({ state: 'PURGE_PENDING', lastErrorCode: 'NOT_VERIFIED' });
    expect(row.lastError).toMatch(/not deleting from Zoom: entry .* does not exist/);
  });

  test('a caption or chat is deleted only while its parent entry is READY in Kaltura (read with its asset list)', async () => {
    const w = world(deleting());
    seedFullMeeting(w.zoom);
    await ingested(w);
    const parent = w.engine.repos.files.list().find((f) => f.zoomFileId === '111-ss')!;
    // An admin blocks the parent entry after zk verified it: its assets still list READY, but the entry is not.
    w.kaltura.entries.get(parent.kalturaEntryId!)!.entry.status = ENTRY_STATUS.BLOCKED;
    w.clock.advance(DAY);
    await w.engine.purgeOnce();
    const ids = w.zoom.deleted.map((d) => d.fileId);
    expect(ids).not.toContain('111-t');
    expect(ids).not.toContain('111-ch');
    const caption = w.engine.repos.files.list().find((f) => f.zoomFileId === '111-t')!;
    expect(caption).toMatchObject({ state: 'PURGE_PENDING', lastErrorCode: 'NOT_VERIFIED' });
    expect(caption.lastError).toMatch(/parent entry .* not READY/);
  });

  test("a caption or chat is scheduled with its segment's video, due no earlier, and deleted right after it", async () => {
    const w = world(deleting());
    seedFullMeeting(w.zoom);
    await ingested(w);
    const byZoomId = () => new Map(w.engine.repos.files.list().map((f) => [f.zoomFileId, f]));
    // The parent is not verified yet (held back as if still importing): its captions are not scheduled either.
    const parentId = byZoomId().get('111-ss')!.id;
    w.engine.repos.files.transition(parentId, 'HANDLED', 'IMPORTING', 'test: back to importing');
    await w.engine.purgeOnce();
    expect(states(w)).toMatchObject({ '111-t': 'HANDLED', '111-ch': 'HANDLED' });
    w.engine.repos.files.transition(parentId, 'IMPORTING', 'HANDLED', 'test: verified again', { handledAt: w.clock.now() });
    await w.engine.purgeOnce();
    const f = byZoomId();
    expect(f.get('111-t')!.purgeAfter).toBeGreaterThanOrEqual(f.get('111-ss')!.purgeAfter!);
    expect(f.get('111-ch')!.purgeAfter).toBeGreaterThanOrEqual(f.get('111-ss')!.purgeAfter!);
    w.clock.advance(DAY);
    await w.engine.purgeOnce();
    const order = w.zoom.deleted.map((d) => d.fileId);
    const at = order.indexOf('111-ss');
    expect(at).toBeGreaterThanOrEqual(0);
    expect(order.slice(at + 1, at + 3).sort()).toEqual(['111-ch', '111-t']);
  });

  test('per-run deletion cap stops the run, logs an event, and the rest wait', async () => {
    const w = world(deleting({ global: { deleteCapPerRun: 2 } }));
    seedFullMeeting(w.zoom);
    await ingested(w);
    w.clock.advance(DAY);
    await w.engine.purgeOnce();
    expect(w.zoom.deleted).toHaveLength(2);
    expect(w.engine.repos.files.list({ state: 'PURGE_PENDING' }).length).toBeGreaterThan(0);
    expect(w.engine.repos.events.listForAccount('main', 5).some((e) => e.fileId === null && /deletion cap of 2 per run reached/.test(e.reason))).toBe(true);
    for (let i = 0; i < 3; i++) await w.engine.purgeOnce();
    expect(w.zoom.deleted).toHaveLength(5);
  });

  test('a failed delete stays PURGE_PENDING, visible, and is retried; never marked done', async () => {
    const w = world(deleting());
    seedFullMeeting(w.zoom);
    await ingested(w);
    w.zoom.faults.add({ method: 'deleteRecordingFile', match: (id) => id === '111-sv', error: retryable('503 delete failed'), times: 2 });
    w.clock.advance(DAY);
    await w.engine.purgeOnce();
    const row = () => w.engine.repos.files.list().find((f) => f.zoomFileId === '111-sv')!;
    expect(row()).toMatchObject({ state: 'PURGE_PENDING', attempts: 1, lastError: '503 delete failed' });
    expect(row().nextAttemptAt).toBeGreaterThan(w.clock.now());
    await w.engine.purgeOnce(); // not due yet
    expect(row().attempts).toBe(1);
    w.clock.advance(60 * 60_000);
    await w.engine.purgeOnce();
    expect(row().attempts).toBe(2);
    w.clock.advance(60 * 60_000);
    await w.engine.purgeOnce();
    expect(row().state).toBe('PURGED');
    expect(w.zoom.deleted.filter((d) => d.fileId === '111-sv')).toHaveLength(1);
  });

  test('Kaltura unreachable while verifying: that file is held with backoff, the rest of the run goes on', async () => {
    const w = world(deleting());
    seedFullMeeting(w.zoom);
    await ingested(w);
    const sv = () => w.engine.repos.files.list().find((f) => f.zoomFileId === '111-sv')!;
    w.kaltura.faults.add({ method: 'getEntry', match: (id) => id === sv().kalturaEntryId, error: retryable('ACTION_BLOCKED'), times: 1 });
    w.clock.advance(DAY);
    await w.engine.purgeOnce();
    // Not verified, so not deleted; the others were (an error here once aborted the whole run).
    expect(w.zoom.deleted.map((d) => d.fileId)).not.toContain('111-sv');
    expect(w.zoom.deleted.map((d) => d.fileId)).toContain('111-ss');
    expect(sv()).toMatchObject({ state: 'PURGE_PENDING', attempts: 1, lastError: 'ACTION_BLOCKED' });
    expect(sv().nextAttemptAt).toBeGreaterThan(w.clock.now());
    w.clock.advance(60 * 60_000);
    await w.engine.purgeOnce();
    expect(sv().state).toBe('PURGED');
  });

  test('a throttled verification (Kaltura rate limit) waits at least as long as the adapter asked', async () => {
    const w = world(deleting());
    seedFullMeeting(w.zoom);
    await ingested(w);
    const sv = () => w.engine.repos.files.list().find((f) => f.zoomFileId === '111-sv')!;
    const tenMinutes = 10 * 60_000;
    w.kaltura.faults.add({ method: 'getEntry', match: (id) => id === sv().kalturaEntryId, error: retryable('blocked', { code: 'ACTION_BLOCKED', retryAfterMs: tenMinutes }), times: 1 });
    w.clock.advance(DAY);
    await w.engine.purgeOnce();
    // Backoff alone would be under a minute here (baseDelay 1m, jittered).
    expect(sv().state).toBe('PURGE_PENDING');
    expect(sv().nextAttemptAt).toBeGreaterThanOrEqual(w.clock.now() + tenMinutes);
    w.clock.advance(tenMinutes);
    await w.engine.purgeOnce();
    expect(sv().state).toBe('PURGED');
  });

  test('delete action "delete" is passed through', async () => {
    const w = world({ account: { delete: { enabled: true, delay: '1h', action: 'delete' } } });
    w.zoom.addMeeting({ uuid: 'u', id: 1, startTime: '2025-03-09T10:00:00Z', files: [{ id: 'v', fileType: 'MP4', recordingType: 'speaker_view', size: 1000 }] });
    await ingested(w);
    w.clock.advance(DAY);
    await w.engine.purgeOnce();
    expect(w.zoom.deleted).toEqual([{ meetingUuid: 'u', fileId: 'v', action: 'delete' }]);
  });
});
