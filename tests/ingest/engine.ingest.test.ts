import { afterEach, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { makeWorld, drain, states, type World } from './helpers.js';
import { seedFullMeeting } from './fixtures.js';
import { contentFor, retryable } from '../fakes/fake-zoom.js';
import { ENTRY_STATUS } from '../../src/ingest/ports.js';
import { PermanentError } from '../../src/errors.js';
import type { EntryPolicy, EntryPolicyResolver } from '../../src/ingest/ports.js';

const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));
function world(opts: Parameters<typeof makeWorld>[0] = {}) {
  const w = makeWorld(opts);
  worlds.push(w);
  return w;
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every media file has exactly one live READY entry holding Zoom's exact bytes. */
function expectExactlyOnce(w: World, mediaIds: string[]) {
  const live = w.kaltura.liveEntries();
  expect(live).toHaveLength(mediaIds.length);
  for (const id of mediaIds) {
    const row = w.engine.repos.files.list().find((f) => f.zoomFileId === id)!;
    const matching = live.filter((s) => s.entry.referenceId === row.referenceId);
    expect(matching).toHaveLength(1);
    expect(matching[0].entry.status).toBe(ENTRY_STATUS.READY);
    expect(sha(matching[0].content!)).toBe(sha(contentFor(id, row.fileSize)));
    expect(row.kalturaEntryId).toBe(matching[0].entry.id);
  }
}

describe('ingest with fakes', () => {
  test('a full meeting is planned, transferred, verified and recorded with reasons (upload mode)', async () => {
    const w = world();
    seedFullMeeting(w.zoom);
    const poll = await w.engine.pollOnce('main');
    expect(poll).toMatchObject({ ok: true, meetings: 1, newFiles: 6 });
    expect(states(w)).toEqual({ '111-ss': 'PENDING', '111-sv': 'PENDING', '111-a': 'COVERED', '111-t': 'PENDING', '111-ch': 'PENDING', '111-tl': 'IGNORED' });

    await drain(w);
    expect(states(w)).toEqual({ '111-ss': 'HANDLED', '111-sv': 'HANDLED', '111-a': 'COVERED', '111-t': 'HANDLED', '111-ch': 'HANDLED', '111-tl': 'IGNORED' });
    expectExactlyOnce(w, ['111-ss', '111-sv']);

    const files = w.engine.repos.files.list();
    const parent = files.find((f) => f.zoomFileId === '111-ss')!;
    const child = files.find((f) => f.zoomFileId === '111-sv')!;
    const parentEntry = w.kaltura.entries.get(parent.kalturaEntryId!)!;
    expect(parentEntry.entry).toMatchObject({ name: 'Weekly sync 🎓', adminTags: 'zoomentry', mediaType: 1, referenceId: 'zk:zoom-main:uuid-A==:111-ss' });
    expect(parentEntry.entry.description).toBe('Zoom meeting ID: 111\nUUID: uuid-A==\nStart (UTC): 2025-03-09T15:00:00.000Z');
    expect(w.kaltura.entries.get(child.kalturaEntryId!)!.entry.parentEntryId).toBe(parent.kalturaEntryId);
    expect(parentEntry.captions).toEqual([expect.objectContaining({ label: 'Zoom_TRANSCRIPT', language: 'English', content: contentFor('111-t', 2000).toString('utf8') })]);
    expect(parentEntry.attachments).toEqual([expect.objectContaining({ filename: 'Recording 111 chat file.txt' })]);
    expect(parent).toMatchObject({ ingestedSize: 300_000, uploadedBytes: 300_000 });

    const reasons = w.engine.repos.events.listForFile(parent.id).map((e) => `${e.fromState ?? '-'}>${e.toState}`);
    expect(reasons).toEqual(['->DETECTED', 'DETECTED>PENDING', 'PENDING>TRANSFERRING', 'TRANSFERRING>IMPORTING', 'IMPORTING>HANDLED']);
    const tl = files.find((f) => f.zoomFileId === '111-tl')!;
    expect(w.engine.repos.events.listForFile(tl.id).at(-1)!.reason).toBe('type TIMELINE is not ingested');

    // Re-polling is idempotent: no new rows, nothing re-planned, no new entries.
    const again = await w.engine.pollOnce('main');
    expect(again.newFiles).toBe(0);
    await drain(w);
    expect(w.kaltura.created).toHaveLength(2);
  });

  test('url mode: Kaltura fetches with the Authorization header', async () => {
    const w = world({ kaltura: { transferMode: 'url' } });
    seedFullMeeting(w.zoom);
    await w.engine.pollOnce('main');
    await drain(w);
    expectExactlyOnce(w, ['111-ss', '111-sv']);
    expect(w.kaltura.tokens.size).toBe(0);
  });

  test('url mode: an ERROR_IMPORTING entry is deleted and re-created with fresh access', async () => {
    const w = world({ kaltura: { transferMode: 'url' } });
    seedFullMeeting(w.zoom);
    let failOnce = true;
    w.kaltura.fetchUrl = (url, headers) => (failOnce ? ((failOnce = false), undefined) : w.zoom.fetchUrl(url, headers));
    await w.engine.pollOnce('main');
    await drain(w);
    expectExactlyOnce(w, ['111-ss', '111-sv']);
    expect(w.zoom.count('downloadAccess')).toBe(3);
    const errored = [...w.kaltura.entries.values()].filter((s) => s.entry.status === ENTRY_STATUS.DELETED);
    expect(errored).toHaveLength(1);
  });

  test('a lost createEntry response does not produce a duplicate (found by referenceId)', async () => {
    const w = world();
    seedFullMeeting(w.zoom);
    w.kaltura.faults.add({ method: 'createEntry', when: 'after', error: retryable('connection reset after send') });
    await w.engine.pollOnce('main');
    await w.engine.workOnce();
    const parent = w.engine.repos.files.list().find((f) => f.zoomFileId === '111-ss')!;
    expect(parent).toMatchObject({ state: 'RETRY_WAIT', attempts: 1, lastErrorCode: 'TEMP' });
    await drain(w);
    expectExactlyOnce(w, ['111-ss', '111-sv']);
    expect(w.kaltura.created).toHaveLength(2);
  });

  test('a broken download resumes with Range from the uploaded size', async () => {
    const w = world();
    seedFullMeeting(w.zoom);
    w.zoom.breakAfter.set('111-ss', 150_000);
    await w.engine.pollOnce('main');
    await drain(w);
    expectExactlyOnce(w, ['111-ss', '111-sv']);
    const opens = w.zoom.downloads.filter((d) => d.fileId === '111-ss');
    expect(opens).toHaveLength(2);
    expect(opens[1].offset).toBe(196_608); // three whole 64 KiB chunks were sent before the break at 150 000
    expect(w.engine.repos.files.list().find((f) => f.zoomFileId === '111-ss')!.attempts).toBe(0);
  });

  test('retry with capped exponential backoff, FAILED after maxAttempts, revive', async () => {
    const w = world();
    w.zoom.addMeeting({ uuid: 'u1', id: 1, startTime: '2025-03-09T10:00:00Z', files: [{ id: 'v', fileType: 'MP4', recordingType: 'speaker_view', size: 1000 }] });
    w.zoom.faults.add({ method: 'openDownload', error: retryable('503 from zoom'), times: 3 });
    await w.engine.pollOnce('main');
    const t0 = w.clock.now();
    await w.engine.workOnce();
    let row = w.engine.repos.files.list()[0];
    // base 1m · 2^0 · jitter(0.5 + 0.5·0.5) = 45 s
    expect(row).toMatchObject({ state: 'RETRY_WAIT', attempts: 1, nextAttemptAt: t0 + 45_000, lastError: '503 from zoom' });
    await w.engine.workOnce();
    expect(w.engine.repos.files.list()[0].state).toBe('RETRY_WAIT'); // not due yet: nothing attempted
    expect(w.zoom.count('openDownload')).toBe(1);
    w.clock.advance(45_000);
    await w.engine.workOnce();
    row = w.engine.repos.files.list()[0];
    expect(row).toMatchObject({ state: 'RETRY_WAIT', attempts: 2, nextAttemptAt: w.clock.now() + 90_000 });
    w.clock.advance(90_000);
    await w.engine.workOnce();
    row = w.engine.repos.files.list()[0];
    expect(row).toMatchObject({ state: 'FAILED', attempts: 3 });
    expect(w.engine.repos.events.listForFile(row.id).at(-1)!.reason).toMatch(/attempts exhausted \(3\)/);

    expect(w.engine.reviveFailed(row.id)).toBe(true);
    expect(w.engine.repos.files.get(row.id)).toMatchObject({ state: 'PENDING', attempts: 0 });
    await drain(w);
    expectExactlyOnce(w, ['v']);
  });

  test('a PermanentError fails the file at once; other files continue', async () => {
    const w = world();
    seedFullMeeting(w.zoom);
    w.zoom.faults.add({ method: 'openDownload', match: (id) => id === '111-sv', error: () => new PermanentError('forbidden', { status: 403, code: '200', source: 'zoom' }) });
    await w.engine.pollOnce('main');
    await drain(w);
    expect(states(w)['111-sv']).toBe('FAILED');
    expect(states(w)['111-ss']).toBe('HANDLED');
    const row = w.engine.repos.files.list().find((f) => f.zoomFileId === '111-sv')!;
    expect(row.attempts).toBe(0);
    expect(w.engine.repos.events.listForFile(row.id).at(-1)!.reason).toBe('permanent error: forbidden');
  });

  test('Kaltura conversion failure: errored parent deleted, re-created, child relinked', async () => {
    const w = world();
    seedFullMeeting(w.zoom);
    w.kaltura.failConversion.add('zk:zoom-main:uuid-A==:111-ss');
    await w.engine.pollOnce('main');
    await drain(w);
    expectExactlyOnce(w, ['111-ss', '111-sv']);
    const files = w.engine.repos.files.list();
    const parent = files.find((f) => f.zoomFileId === '111-ss')!;
    const child = files.find((f) => f.zoomFileId === '111-sv')!;
    expect(parent.attempts).toBe(1);
    expect(w.kaltura.entries.get(child.kalturaEntryId!)!.entry.parentEntryId).toBe(parent.kalturaEntryId);
    expect(w.engine.repos.recordings.get(parent.recordingId)!.parentEntryId).toBe(parent.kalturaEntryId);
    // Captions and chat live on the surviving parent.
    const live = w.kaltura.entries.get(parent.kalturaEntryId!)!;
    expect(live.captions).toHaveLength(1);
    expect(live.attachments).toHaveLength(1);
    expect(w.engine.repos.events.listForFile(parent.id).some((e) => e.toState === 'RETRY_WAIT' && /status -1/.test(e.reason))).toBe(true);
  });

  test('an import stuck past importTimeout is retried', async () => {
    const w = world({ global: { importTimeout: '1h' } });
    w.zoom.addMeeting({ uuid: 'u1', id: 1, startTime: '2025-03-09T10:00:00Z', files: [{ id: 'v', fileType: 'MP4', recordingType: 'speaker_view', size: 1000 }] });
    w.kaltura.autoReady = false;
    await w.engine.pollOnce('main');
    await w.engine.workOnce();
    await w.engine.workOnce();
    expect(states(w).v).toBe('IMPORTING');
    w.clock.advance(61 * 60_000);
    await w.engine.workOnce();
    expect(w.engine.repos.files.list()[0]).toMatchObject({ state: 'RETRY_WAIT', lastErrorCode: 'IMPORT_TIMEOUT', kalturaEntryId: null });
    w.kaltura.autoReady = true;
    await drain(w);
    expectExactlyOnce(w, ['v']);
  });

  test('processing files are held; captions wait for the parent entry without counting attempts', async () => {
    const w = world();
    w.zoom.addMeeting({
      uuid: 'u1', id: 1, startTime: '2025-03-09T10:00:00Z',
      files: [
        { id: 'v', fileType: 'MP4', recordingType: 'speaker_view', size: 1000, status: 'processing' },
        { id: 't', fileType: 'TRANSCRIPT', recordingType: 'audio_transcript', size: 100 },
      ],
    });
    await w.engine.pollOnce('main');
    await drain(w);
    expect(states(w)).toEqual({ v: 'DETECTED', t: 'PENDING' });
    expect(w.engine.repos.files.list().find((f) => f.zoomFileId === 't')!.attempts).toBe(0);
    expect(w.kaltura.created).toHaveLength(0);
    w.zoom.setFile('u1', { id: 'v', fileType: 'MP4', recordingType: 'speaker_view', size: 1000 });
    await w.engine.pollOnce('main');
    expect(w.engine.repos.files.list().find((f) => f.zoomFileId === 'v')!.fileSize).toBe(1000);
    await drain(w);
    expect(states(w)).toEqual({ v: 'HANDLED', t: 'HANDLED' });
  });

  test('a caption or chat in a segment with no video or audio waits the lookback, then is IGNORED with the reason', async () => {
    const w = world();
    w.zoom.addMeeting({
      uuid: 'u2', id: 2, startTime: '2025-03-09T10:00:00Z',
      files: [
        { id: 'v', fileType: 'MP4', recordingType: 'speaker_view', size: 1000 },
        { id: 't', fileType: 'TRANSCRIPT', recordingType: 'audio_transcript', size: 100, recordingStart: '2025-03-09T10:00:07Z' },
        { id: 'c', fileType: 'CHAT', recordingType: 'chat_file', size: 100, recordingStart: '2025-03-09T10:00:07Z' },
        // Its segment's video is still processing: it keeps waiting, however long.
        { id: 'v2', fileType: 'MP4', recordingType: 'speaker_view', size: 0, status: 'processing', recordingStart: '2025-03-09T11:00:00Z' },
        { id: 't2', fileType: 'TRANSCRIPT', recordingType: 'audio_transcript', size: 100, recordingStart: '2025-03-09T11:00:00Z' },
      ],
    });
    await w.engine.pollOnce('main');
    await drain(w);
    expect(states(w)).toEqual({ v: 'HANDLED', t: 'PENDING', c: 'PENDING', v2: 'DETECTED', t2: 'PENDING' });
    w.clock.advance(3 * 86_400_000 - 60_000);
    await w.engine.workOnce();
    expect(states(w)).toMatchObject({ t: 'PENDING', c: 'PENDING' });
    w.clock.advance(60_000);
    await w.engine.workOnce();
    expect(states(w)).toEqual({ v: 'HANDLED', t: 'IGNORED', c: 'IGNORED', v2: 'DETECTED', t2: 'PENDING' });
    const t = w.engine.repos.files.list().find((f) => f.zoomFileId === 't')!;
    const last = w.engine.repos.events.listForFile(t.id).at(-1)!;
    expect(last.reason).toMatch(/no video or audio file in this segment .* caption/);
    expect(w.kaltura.liveEntries()).toHaveLength(1);
  });

  test('a policy ignoreReason ignores the whole segment; the policy is resolved once and persisted', async () => {
    let calls = 0;
    const policy: EntryPolicyResolver = {
      async resolve(): Promise<EntryPolicy> {
        calls++;
        return { ignoreReason: 'host is in an opt-out group', entitledUsersEdit: [], entitledUsersPublish: [], entitledUsersView: [], categoryIds: [], tags: [] };
      },
    };
    const w = world({ deps: { policy } });
    seedFullMeeting(w.zoom);
    await w.engine.pollOnce('main');
    await drain(w);
    expect(calls).toBe(1);
    const s = states(w);
    expect(Object.values(s).every((x) => x === 'IGNORED')).toBe(true);
    expect(w.kaltura.created).toHaveLength(0);
    const rec = w.engine.repos.recordings.get(w.engine.repos.files.list()[0].recordingId)!;
    expect(JSON.parse(rec.policyJson!).ignoreReason).toBe('host is in an opt-out group');
    // A file listed later in the same segment is ignored too, without re-resolving.
    w.zoom.setFile('uuid-A==', { id: 'late', fileType: 'MP4', recordingType: 'gallery_view', size: 10 });
    await w.engine.pollOnce('main');
    expect(states(w).late).toBe('IGNORED');
    expect(calls).toBe(1);
  });

  test('policy owner, entitlements, tags and categories (parent only, idempotent)', async () => {
    const policy: EntryPolicyResolver = {
      async resolve() {
        return { ownerId: 'alice', entitledUsersEdit: ['bob'], entitledUsersPublish: [], entitledUsersView: ['carol', 'dan'], categoryIds: [7, 9], tags: ['zoom', 'lecture'], conversionProfileId: 42 };
      },
    };
    const w = world({ deps: { policy } });
    seedFullMeeting(w.zoom);
    w.kaltura.faults.add({ method: 'addCategoryEntry', when: 'before', error: retryable('blocked', { code: 'ACTION_BLOCKED' }), match: () => true });
    await w.engine.pollOnce('main');
    await drain(w);
    const parent = w.engine.repos.files.list().find((f) => f.zoomFileId === '111-ss')!;
    const child = w.engine.repos.files.list().find((f) => f.zoomFileId === '111-sv')!;
    const pe = w.kaltura.entries.get(parent.kalturaEntryId!)!;
    expect(pe.entry).toMatchObject({ userId: 'alice', entitledUsersEdit: 'bob', entitledUsersView: 'carol,dan', tags: 'zoom,lecture', conversionProfileId: 42 });
    expect([...pe.categories].sort()).toEqual([7, 9]);
    expect(w.kaltura.entries.get(child.kalturaEntryId!)!.categories.size).toBe(0);
    expectExactlyOnce(w, ['111-ss', '111-sv']);
  });
});

describe('sink variations', () => {
  test('an errored entry returned by the reference lookup is deleted, not reused', async () => {
    const w = world();
    w.zoom.addMeeting({ uuid: 'u1', id: 1, startTime: '2025-03-09T10:00:00Z', files: [{ id: 'v', fileType: 'MP4', recordingType: 'speaker_view', size: 1000 }] });
    const stale = await w.kaltura.createEntry({ referenceId: 'zk:zoom-main:u1:v', name: 'x', description: '', mediaType: 1, adminTags: 'zoomentry' });
    w.kaltura.entries.get(stale.id)!.entry.status = ENTRY_STATUS.ERROR_CONVERTING;
    const find = w.kaltura.findEntryByReferenceId.bind(w.kaltura);
    w.kaltura.findEntryByReferenceId = async (ref) => (await find(ref)) ?? (ref === 'zk:zoom-main:u1:v' && w.kaltura.entries.get(stale.id)!.entry.status === ENTRY_STATUS.ERROR_CONVERTING ? { ...w.kaltura.entries.get(stale.id)!.entry } : null);
    await w.engine.pollOnce('main');
    await drain(w);
    expect(w.kaltura.entries.get(stale.id)!.entry.status).toBe(ENTRY_STATUS.DELETED);
    expectExactlyOnce(w, ['v']);
  });
});
