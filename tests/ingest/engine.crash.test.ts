import { afterEach, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { makeWorld, drain, states, DAY, type World } from './helpers.js';
import { seedFullMeeting } from './fixtures.js';
import { contentFor } from '../fakes/fake-zoom.js';
import { ENTRY_STATUS } from '../../src/ingest/ports.js';
import { SimulatedCrash, crashPointFromEnv, type CrashPointName } from '../../src/ingest/crash-points.js';

const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A crash hook that "kills the process" the nth time `point` is reached. */
function crashAt(point: CrashPointName, nth = 1) {
  let seen = 0;
  return (name: CrashPointName) => {
    if (name === point && ++seen === nth) throw new SimulatedCrash(point);
  };
}

async function runUntilCrash(w: World): Promise<boolean> {
  try {
    await w.engine.pollOnce('main');
    for (let i = 0; i < 6; i++) {
      await w.engine.workOnce();
      await w.engine.purgeOnce();
      w.clock.advance(DAY);
    }
    return false;
  } catch (err) {
    if (err instanceof SimulatedCrash) return true;
    throw err;
  }
}

const POINTS: Array<[CrashPointName, number]> = [
  ['after-window-listed', 1],
  ['after-policy-resolved', 1],
  ['after-entry-create', 1],
  ['after-entry-create', 2],
  ['after-entry-save', 1],
  ['after-token-create', 1],
  ['after-token-save', 1],
  ['mid-upload', 2],
  ['after-upload-complete', 1],
  ['before-add-content', 1],
  ['after-add-content', 1],
  ['before-importing-write', 1],
  ['before-handled-write', 1],
  ['after-caption-add', 1],
  ['after-attachment-add', 1],
  ['before-delete', 1],
  ['after-delete-before-write', 1],
];

describe('crash at named points, then restart', () => {
  test.each(POINTS)('%s (#%i): exactly-once, byte-identical, nothing deleted unverified', async (point, nth) => {
    const w = makeWorld({ account: { delete: { enabled: true, delay: '1d' } }, deps: { crashPoint: crashAt(point, nth) } });
    worlds.push(w);
    seedFullMeeting(w.zoom);
    expect(await runUntilCrash(w)).toBe(true);

    // Restart: a new engine over the same database and remote state (same lease owner, as the daemon).
    w.restart({ crashPoint: undefined });
    await w.engine.pollOnce('main');
    for (let i = 0; i < 4; i++) {
      await drain(w);
      await w.engine.purgeOnce();
      w.clock.advance(DAY);
    }

    const live = w.kaltura.liveEntries();
    expect(live).toHaveLength(2);
    for (const id of ['111-ss', '111-sv']) {
      const row = w.engine.repos.files.list().find((f) => f.zoomFileId === id)!;
      const mine = live.filter((s) => s.entry.referenceId === row.referenceId);
      expect(mine).toHaveLength(1);
      expect(mine[0].entry.status).toBe(ENTRY_STATUS.READY);
      expect(sha(mine[0].content!)).toBe(sha(contentFor(id, row.fileSize)));
    }
    const parent = live.find((s) => !s.entry.parentEntryId)!;
    expect(parent.captions).toHaveLength(1);
    expect(parent.attachments).toHaveLength(1);
    expect(states(w)).toEqual({ '111-ss': 'PURGED', '111-sv': 'PURGED', '111-a': 'PURGED', '111-t': 'PURGED', '111-ch': 'PURGED', '111-tl': 'IGNORED' });
    // Each file deleted from Zoom once, and the timeline never.
    expect(w.zoom.deleted.map((d) => d.fileId).sort()).toEqual(['111-a', '111-ch', '111-ss', '111-sv', '111-t']);
  });

  test('mid-upload crash resumes from the token instead of restarting the file', async () => {
    const w = makeWorld({ deps: { crashPoint: crashAt('mid-upload', 3) } });
    worlds.push(w);
    w.zoom.addMeeting({ uuid: 'u', id: 1, startTime: '2025-03-09T10:00:00Z', files: [{ id: 'v', fileType: 'MP4', recordingType: 'speaker_view', size: 400_000 }] });
    expect(await runUntilCrash(w)).toBe(true);
    expect(w.engine.repos.files.list()[0]).toMatchObject({ state: 'TRANSFERRING', uploadedBytes: 3 * 65_536 });
    w.restart({ crashPoint: undefined });
    await drain(w);
    expect(states(w).v).toBe('HANDLED');
    expect(w.zoom.downloads.map((d) => d.offset)).toEqual([0, 3 * 65_536]);
    expect(w.kaltura.tokens.size).toBe(1);
    const events = w.engine.repos.events.listForFile(w.engine.repos.files.list()[0].id);
    expect(events.some((e) => e.reason === 'resuming an interrupted transfer')).toBe(true);
  });

  test('another process holding a row lease keeps the daemon off it until the lease expires', async () => {
    const w = makeWorld({ deps: { leaseTtlMs: 60_000 } });
    worlds.push(w);
    w.zoom.addMeeting({ uuid: 'u', id: 1, startTime: '2025-03-09T10:00:00Z', files: [{ id: 'v', fileType: 'MP4', recordingType: 'speaker_view', size: 1000 }] });
    await w.engine.pollOnce('main');
    const id = w.engine.repos.files.list()[0].id;
    expect(w.engine.repos.files.claim(id, 'import', 60_000)).toBe(true);
    await w.engine.workOnce();
    expect(states(w).v).toBe('PENDING');
    w.clock.advance(61_000);
    await drain(w);
    expect(states(w).v).toBe('HANDLED');
  });

  test('crashPointFromEnv kills on the nth hit and rejects unknown names', () => {
    let killed = 0;
    const hook = crashPointFromEnv('mid-upload:2', () => killed++)!;
    hook('mid-upload');
    hook('after-entry-create');
    expect(killed).toBe(0);
    hook('mid-upload');
    expect(killed).toBe(1);
    expect(crashPointFromEnv(undefined, () => undefined)).toBeUndefined();
    expect(() => crashPointFromEnv('nowhere', () => undefined)).toThrow(/ZK_CRASH_AT/);
  });
});
