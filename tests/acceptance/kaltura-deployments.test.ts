/**
 * Issue 16 acceptance: the demo mix (multi-view meetings, a webinar, transcripts, chat, audio-only)
 * through each Kaltura deployment a customer may run, end to end with deletion enabled. Every file
 * ends READY in Kaltura exactly once, verified, and trashed from Zoom after the delay; infected
 * recordings end FAILED and stay in Zoom. No READY entry is ever deleted.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import type { KalturaDeployment } from '../../src/sandbox/kaltura/deployment.js';
import { assertExactlyOnce, fileRows, settle, world, type World } from './harness.js';

const DAY = 86_400_000;
let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

function verifiedBy(w: World): Record<string, number> {
  const db = w.db();
  try {
    const rows = db.prepare("SELECT verified_by AS by, COUNT(*) AS n FROM files WHERE role IN ('parent', 'child') AND verified_by IS NOT NULL GROUP BY verified_by").all() as Array<{ by: string; n: number }>;
    return Object.fromEntries(rows.map((r) => [r.by, r.n]));
  } finally {
    db.close();
  }
}

/** No entry that was ever READY was deleted: every deleted entry in the sandbox was errored or never held content. */
function deletedReadyEntries(w: World): string[] {
  return w.sandbox.kaltura.state.entries().filter((e) => e.status === 3 && w.sandbox.kaltura.state.contentOf(e.id) !== null).map((e) => e.id);
}

async function runToPurge(w: World): Promise<void> {
  w.sandbox.zoom.state.completeProcessing();
  await settle(w);
  w.clock.advance(DAY + 60_000);
  await w.runDaemon();
  // A second pass lets COVERED audio follow its purged video.
  await w.runDaemon();
}

const MODES: Array<[string, 'upload' | 'url', KalturaDeployment, string]> = [
  ['no eSearch (SERVICE_DOES_NOT_EXISTS)', 'upload', { noESearch: 'missing' }, 'source-size'],
  ['no eSearch (SERVICE_FORBIDDEN)', 'url', { noESearch: 'forbidden' }, 'source-size'],
  ['source flavor dropped after conversion', 'upload', { dropSourceFlavor: true }, 'upload-token'],
  ['source flavor dropped after conversion', 'url', { dropSourceFlavor: true }, 'duration'],
  ['READY at add', 'upload', { readyAtAdd: true }, 'source-size'],
  ['READY at add', 'url', { readyAtAdd: true }, 'source-size'],
];

describe.each(MODES)('%s, %s mode', (_label, transferMode, deployment, evidence) => {
  test('every file verified, READY exactly once and trashed from Zoom after the delay', async () => {
    w = await world({ transferMode, deleteEnabled: true, deleteDelay: '1d', kalturaDeployment: deployment });
    await runToPurge(w);
    const rows = fileRows(w);
    const notPurged = rows.filter((f) => f.state !== 'PURGED' && f.state !== 'IGNORED').map((f) => ({ id: f.id, role: f.role, state: f.state, code: f.last_error_code }));
    expect(notPurged).toEqual([]);
    expect(rows.filter((f) => f.role === 'parent' || f.role === 'child').length).toBeGreaterThanOrEqual(8);
    await assertExactlyOnce(w, expect);
    expect(Object.keys(verifiedBy(w))).toEqual([evidence]);
    expect(deletedReadyEntries(w)).toEqual([]);
    // Owners are still found by email: alice's Kaltura id is not her email, so only a search finds her.
    const entries = w.sandbox.kaltura.state.entries().filter((e) => e.status === 2 && !e.parentEntryId);
    expect(entries.some((e) => e.userId === 'alice')).toBe(true);
    if (deployment.noESearch) expect(w.sandbox.kaltura.state.callCounts()['user.list'] ?? 0).toBeGreaterThanOrEqual(1);
  });
});

test('virus scan: infected recordings end FAILED as infected, are never uploaded again and stay in Zoom; the rest are purged', async () => {
  w = await world({ deleteEnabled: true, deleteDelay: '1d', kalturaDeployment: { virusScan: { infected: '^Office Hours$' } } });
  await runToPurge(w);
  const infected = w.sandbox.kaltura.state.entries().filter((e) => e.status === 'virusScan.Infected');
  expect(infected.length).toBeGreaterThanOrEqual(1);
  const infectedIds = new Set(infected.map((e) => e.id));
  const rows = fileRows(w);
  const infectedRows = rows.filter((f) => f.kaltura_entry_id !== null && infectedIds.has(f.kaltura_entry_id) && (f.role === 'parent' || f.role === 'child'));
  expect(infectedRows.length).toBe(infected.length);
  for (const f of infectedRows) expect({ id: f.id, state: f.state, code: f.last_error_code }).toEqual({ id: f.id, state: 'FAILED', code: 'ENTRY_INFECTED' });
  // Everything of the infected meeting is still in Zoom.
  const meetingUuid = infectedRows[0].meeting_uuid;
  expect(w.sandbox.zoom.state.meeting(meetingUuid)!.files.every((f) => f.state === 'live')).toBe(true);
  // The others went through.
  expect(rows.filter((f) => f.meeting_uuid !== meetingUuid && f.state !== 'PURGED' && f.state !== 'IGNORED')).toEqual([]);

  // Never uploaded again: another run, and an operator retry, add no entry and no upload.
  const calls = () => w!.sandbox.kaltura.state.callCounts();
  const before = { add: calls()['media.add'] ?? 0, tokens: calls()['uploadtoken.add'] ?? 0 };
  const db = new (await import('better-sqlite3')).default(w.database);
  db.prepare("UPDATE files SET state = 'PENDING', attempts = 0 WHERE state = 'FAILED'").run();
  db.close();
  await settle(w);
  expect({ add: calls()['media.add'] ?? 0, tokens: calls()['uploadtoken.add'] ?? 0 }).toEqual(before);
  for (const f of fileRows(w).filter((r) => infectedRows.some((i) => i.id === r.id))) expect(f.state).toBe('FAILED');
  await assertExactlyOnce(w, expect);
});
