import { afterEach, describe, expect, test } from '@jest/globals';
import { makeWorld, states, DAY, type World } from './helpers.js';
import { seedFullMeeting } from './fixtures.js';
import { retryable } from '../fakes/fake-zoom.js';
import { pollRange, splitWindows } from '../../src/ingest/poller.js';

const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));
function world(opts: Parameters<typeof makeWorld>[0] = {}) {
  const w = makeWorld(opts);
  worlds.push(w);
  return w;
}

describe('windows', () => {
  test('split into ≤28-day windows covering the range exactly (a month even across February)', () => {
    const ws = splitWindows('2025-01-01', '2025-03-05');
    expect(ws).toEqual([
      { from: '2025-01-01', to: '2025-01-28' },
      { from: '2025-01-29', to: '2025-02-25' },
      { from: '2025-02-26', to: '2025-03-05' },
    ]);
    expect(splitWindows('2025-03-05', '2025-03-05')).toEqual([{ from: '2025-03-05', to: '2025-03-05' }]);
  });
  test('range is cursor − lookback through today; first poll uses today − lookback', () => {
    const now = Date.parse('2025-03-10T12:00:00Z');
    expect(pollRange(undefined, now, 3 * DAY)).toEqual({ from: '2025-03-07', to: '2025-03-10' });
    expect(pollRange('2025-02-01', now, 3 * DAY)).toEqual({ from: '2025-01-29', to: '2025-03-10' });
    // A cursor in the future (clock skew) never moves the range past today.
    expect(pollRange('2025-04-01', now, 0)).toEqual({ from: '2025-03-10', to: '2025-03-10' });
  });
});

describe('poll', () => {
  test('advances the durable cursor per completed window; an error stops it and marks nothing', async () => {
    const w = world();
    w.engine.repos.cursors.set('main', '2025-01-01');
    seedFullMeeting(w.zoom, 'u-old', 5, '2025-01-02T10:00:00Z');
    w.zoom.faults.add({ method: 'listRecordings', match: (win) => (win as { from: string }).from === '2025-01-26', error: retryable('502 bad gateway') });
    const r = await w.engine.pollOnce('main');
    expect(r).toMatchObject({ ok: false, windows: 1, error: '502 bad gateway' });
    expect(w.engine.repos.cursors.get('main')).toBe('2025-01-25');
    expect(w.engine.repos.accounts.get('main')).toMatchObject({ lastError: 'poll failed: 502 bad gateway', lastPollOkAt: null });
    // The first window's meeting was recorded; nothing was marked missing or deleted.
    expect(Object.keys(states(w))).toHaveLength(6);
    expect(w.zoom.deleted).toHaveLength(0);

    const ok = await w.engine.pollOnce('main');
    expect(ok.ok).toBe(true);
    expect(w.engine.repos.cursors.get('main')).toBe('2025-03-10');
    // Resumed from the cursor (01-25) minus the lookback: 01-22..02-18, then 02-19..03-10.
    expect(w.zoom.argsOf('listRecordings').slice(-2)).toEqual([[{ from: '2025-01-22', to: '2025-02-18' }], [{ from: '2025-02-19', to: '2025-03-10' }]]);
    expect(w.engine.repos.accounts.get('main')).toMatchObject({ lastError: null, lastPollOkAt: w.clock.now() });

    // The next poll re-scans only the lookback.
    w.clock.advance(DAY);
    w.zoom.calls.length = 0;
    await w.engine.pollOnce('main');
    expect(w.zoom.argsOf('listRecordings')).toEqual([[{ from: '2025-03-07', to: '2025-03-11' }]]);
  });

  test('an API error on listing never marks anything; existing rows untouched', async () => {
    const w = world();
    seedFullMeeting(w.zoom);
    await w.engine.pollOnce('main');
    const before = w.engine.repos.files.list().map((f) => [f.id, f.state, f.updatedAt]);
    const eventsBefore = w.engine.repos.events.listForAccount('main', 1000).length;
    w.zoom.faults.add({ method: 'listRecordings', error: retryable('500') });
    const r = await w.engine.pollOnce('main');
    expect(r.ok).toBe(false);
    expect(w.engine.repos.files.list().map((f) => [f.id, f.state, f.updatedAt])).toEqual(before);
    expect(w.engine.repos.events.listForAccount('main', 1000)).toHaveLength(eventsBefore);
  });

  test('a late-listed higher-priority view becomes a child once the parent started', async () => {
    const w = world();
    w.zoom.addMeeting({ uuid: 'u', id: 1, startTime: '2025-03-09T10:00:00Z', files: [{ id: 'sv', fileType: 'MP4', recordingType: 'speaker_view', size: 1000 }] });
    await w.engine.pollOnce('main');
    await w.engine.workOnce();
    w.zoom.setFile('u', { id: 'ss', fileType: 'MP4', recordingType: 'shared_screen_with_speaker_view', size: 2000 });
    await w.engine.pollOnce('main');
    const roles = Object.fromEntries(w.engine.repos.files.list().map((f) => [f.zoomFileId, f.role]));
    expect(roles).toEqual({ sv: 'parent', ss: 'child' });
  });

  test('a size change while not yet transferring is recorded', async () => {
    const w = world();
    w.zoom.addMeeting({ uuid: 'u', id: 1, startTime: '2025-03-09T10:00:00Z', files: [{ id: 'v', fileType: 'MP4', recordingType: 'speaker_view', size: 1000 }] });
    await w.engine.pollOnce('main');
    w.zoom.setFile('u', { id: 'v', fileType: 'MP4', recordingType: 'speaker_view', size: 1500 });
    await w.engine.pollOnce('main');
    expect(w.engine.repos.files.list()[0]).toMatchObject({ state: 'PENDING', fileSize: 1500 });
  });

  test('webinar toggle ignores with a reason even under basicPolicy', async () => {
    const w = world({ account: { webinars: { upload: false } } });
    w.zoom.addMeeting({ uuid: 'w', id: 9, type: 5, startTime: '2025-03-09T10:00:00Z', files: [{ id: 'v', fileType: 'MP4', recordingType: 'speaker_view', size: 1000 }] });
    w.zoom.addMeeting({ uuid: 'm', id: 8, type: 2, startTime: '2025-03-09T11:00:00Z', files: [{ id: 'mv', fileType: 'MP4', recordingType: 'speaker_view', size: 1000 }] });
    await w.engine.pollOnce('main');
    expect(states(w)).toEqual({ v: 'IGNORED', mv: 'PENDING' });
    const row = w.engine.repos.files.list().find((f) => f.zoomFileId === 'v')!;
    expect(w.engine.repos.events.listForFile(row.id).at(-1)!.reason).toBe('webinar uploads are disabled for this account');
  });
});
