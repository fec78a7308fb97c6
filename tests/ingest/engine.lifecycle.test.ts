import { afterEach, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { openStore } from '../../src/store/migrate.js';
import { createRepos } from '../../src/store/repos.js';
import { createEngine } from '../../src/ingest/engine.js';
import { FatalError } from '../../src/errors.js';
import { tempDir } from '../helpers/tmp.js';
import { FakeZoom, retryable } from '../fakes/fake-zoom.js';
import { FakeKaltura } from '../fakes/fake-kaltura.js';
import { makeAccount, makeGlobal, manualClock, makeWorld, states, type World } from './helpers.js';
import { seedFullMeeting } from './fixtures.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function twoAccounts() {
  const tmp = tempDir('zk-ingest-');
  const db = openStore(join(tmp.dir, 'zk.db'));
  cleanups.push(() => (db.close(), tmp.cleanup()));
  const clock = manualClock();
  const mk = () => {
    const zoom = new FakeZoom();
    const kaltura = new FakeKaltura();
    kaltura.fetchUrl = (u, h) => zoom.fetchUrl(u, h);
    return { zoom, kaltura };
  };
  const a = mk();
  const b = mk();
  const engine = createEngine({
    repos: createRepos(db, clock),
    clock,
    config: makeGlobal(),
    accounts: [
      { config: makeAccount('alpha'), source: a.zoom, sink: a.kaltura },
      { config: makeAccount('beta'), source: b.zoom, sink: b.kaltura },
    ],
    random: () => 0.5,
    chunkSizeBytes: 64 * 1024,
  });
  return { engine, a, b, clock, db };
}

describe('account isolation', () => {
  test("one account's FatalError stops only that account", async () => {
    const { engine, a, b } = twoAccounts();
    seedFullMeeting(a.zoom);
    seedFullMeeting(b.zoom);
    await engine.pollAll();
    a.kaltura.faults.add({ method: 'findEntryByReferenceId', error: () => new FatalError('credentials rejected', { code: 'INVALID_KS', source: 'kaltura' }), times: 100 });
    for (let i = 0; i < 4; i++) await engine.workOnce();
    const rows = engine.repos.files.list();
    const beta = rows.filter((f) => f.account === 'beta' && ['parent', 'child', 'caption', 'attachment'].includes(f.role ?? ''));
    expect(beta.every((f) => f.state === 'HANDLED')).toBe(true);
    const alpha = rows.filter((f) => f.account === 'alpha' && f.role === 'parent');
    expect(alpha.every((f) => f.state !== 'FAILED' && f.attempts === 0)).toBe(true);
    expect(engine.accountStatus()).toEqual([{ name: 'alpha', haltedBy: 'credentials rejected' }, { name: 'beta', haltedBy: undefined }]);
    expect(engine.repos.accounts.get('alpha')!.lastError).toBe('credentials rejected');
    // Only one attempt was made before the account stopped.
    expect(a.kaltura.count('findEntryByReferenceId')).toBe(1);

    a.kaltura.faults.clear();
    engine.resumeAccount('alpha');
    for (let i = 0; i < 4; i++) await engine.workOnce();
    expect(engine.repos.files.list().filter((f) => f.account === 'alpha' && f.role === 'parent').every((f) => f.state === 'HANDLED')).toBe(true);
  });

  test("one account's 429 storm does not hold the other and costs no attempts", async () => {
    const { engine, a, b } = twoAccounts();
    seedFullMeeting(a.zoom);
    seedFullMeeting(b.zoom);
    await engine.pollAll();
    a.zoom.faults.add({ method: 'openDownload', error: retryable('429 too many requests', { retryAfterMs: 30_000, code: '429' }), times: 100 });
    for (let i = 0; i < 3; i++) await engine.workOnce();
    const rows = engine.repos.files.list();
    expect(rows.filter((f) => f.account === 'beta' && f.role === 'parent').every((f) => f.state === 'HANDLED')).toBe(true);
    const throttled = rows.find((f) => f.account === 'alpha' && f.role === 'parent')!;
    expect(throttled).toMatchObject({ state: 'RETRY_WAIT', attempts: 0, lastErrorCode: '429' });
  });
});

describe('lifecycle', () => {
  let w: World;
  afterEach(() => w?.cleanup());

  test('ticks never overlap: no poll while a tick is still working, never two polls at once, even when start() is called twice', async () => {
    // A poll every tick (pollInterval = workInterval) and slow, plentiful work: a second loop, or a tick that did not
    // wait for its work, would start a poll while uploads of the previous tick are still in flight.
    w = makeWorld({ global: { pollInterval: '1s' }, deps: { workIntervalMs: 1000 } });
    for (let m = 1; m <= 6; m++) {
      w.zoom.addMeeting({ uuid: `u${m}`, id: m, startTime: '2025-03-09T10:00:00Z', files: [{ id: `v${m}`, fileType: 'MP4', recordingType: 'speaker_view', size: 300_000 }] });
    }
    const slow = () => new Promise((r) => setTimeout(r, 2));
    let polls = 0;
    let uploads = 0;
    let pollCount = 0;
    let maxPolls = 0;
    const overlaps: string[] = [];
    const realList = w.zoom.listRecordings.bind(w.zoom);
    w.zoom.listRecordings = async (...args) => {
      if (uploads > 0) overlaps.push(`poll ${pollCount} began with ${uploads} upload(s) in flight`);
      polls++;
      pollCount++;
      maxPolls = Math.max(maxPolls, polls);
      try {
        await slow();
        return await realList(...args);
      } finally {
        polls--;
      }
    };
    const realUpload = w.kaltura.uploadChunk.bind(w.kaltura);
    w.kaltura.uploadChunk = async (...args) => {
      if (polls > 0) overlaps.push('upload began during a poll');
      uploads++;
      try {
        await slow();
        return await realUpload(...args);
      } finally {
        uploads--;
      }
    };
    w.engine.start();
    w.engine.start(); // a second start must not start a second loop
    const done = () => Object.values(states(w)).filter((s) => s === 'HANDLED').length === 6;
    for (let i = 0; i < 5000 && !(done() && pollCount >= 4); i++) await new Promise((r) => setTimeout(r, 1));
    await w.engine.stop();
    expect(maxPolls).toBe(1);
    expect(overlaps).toEqual([]);
    expect(done()).toBe(true);
    expect(pollCount).toBeGreaterThanOrEqual(4);
  });

  test('start is idempotent; stop aborts an in-flight upload and a restart resumes it', async () => {
    w = makeWorld({ deps: { workIntervalMs: 1000 } });
    w.zoom.addMeeting({ uuid: 'u', id: 1, startTime: '2025-03-09T10:00:00Z', files: [{ id: 'v', fileType: 'MP4', recordingType: 'speaker_view', size: 2_000_000 }] });
    let active = 0;
    let maxActive = 0;
    let chunks = 0;
    const realUpload = w.kaltura.uploadChunk.bind(w.kaltura);
    let stopRequested: Promise<void> | undefined;
    w.kaltura.uploadChunk = async (...args) => {
      active++;
      maxActive = Math.max(maxActive, active);
      try {
        const r = await realUpload(...args);
        if (++chunks === 5) stopRequested = w.engine.stop();
        return r;
      } finally {
        active--;
      }
    };
    w.engine.start();
    w.engine.start(); // idempotent
    for (let i = 0; i < 200 && !stopRequested; i++) await new Promise((r) => setImmediate(r));
    await stopRequested;
    await w.engine.stop(); // idempotent
    expect(maxActive).toBe(1);
    const row = w.engine.repos.files.list()[0];
    expect(row.state).toBe('TRANSFERRING');
    expect(row.leaseOwner).toBeNull();
    expect(row.uploadedBytes).toBeGreaterThan(0);
    expect(row.uploadedBytes).toBeLessThan(2_000_000);

    w.kaltura.uploadChunk = realUpload;
    w.restart();
    for (let i = 0; i < 3; i++) await w.engine.workOnce();
    expect(states(w).v).toBe('HANDLED');
    const offsets = w.zoom.downloads.map((d) => d.offset);
    expect(offsets[0]).toBe(0);
    expect(offsets.at(-1)).toBe(row.uploadedBytes);
  });
});
