/**
 * Issue 4 acceptance, end to end: the demo set through the real adapters and
 * the daemon composition against both emulators, in upload and url mode, with
 * deletion only after verification and the delay.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { assertExactlyOnce, fileRows, statesOf, world, type World } from './harness.js';

const DAY = 86_400_000;
let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

describe.each(['upload', 'url'] as const)('%s mode', (transferMode) => {
  test('ingests the demo set exactly once, byte-identical; a second run changes nothing', async () => {
    w = await world({ transferMode });
    expect(await w.runDaemon()).toBe(0);
    const first = await assertExactlyOnce(w, expect);
    expect(first.verifiedMedia).toBeGreaterThanOrEqual(8);
    const states = statesOf(w);
    // Files still processing in Zoom are held, never sent.
    expect(states.DETECTED).toBeGreaterThanOrEqual(1);
    expect(fileRows(w).filter((f) => f.state === 'DETECTED').every((f) => f.kaltura_entry_id === null)).toBe(true);
    // Captions and chat landed on parents.
    const entries = w.sandbox.kaltura.state.entries();
    expect(entries.some((e) => e.captions.some((c) => c.label === 'Zoom_TRANSCRIPT' && c.language === 'English'))).toBe(true);
    expect(entries.some((e) => e.attachments.length > 0)).toBe(true);

    const before = { entries: entries.length, calls: w.sandbox.kaltura.state.callCounts() };
    expect(await w.runDaemon()).toBe(0);
    expect(w.sandbox.kaltura.state.entries().length).toBe(before.entries);
    const after = w.sandbox.kaltura.state.callCounts();
    // Keys as the sandbox logs them (service.action); these were called in the first run (in both modes), so a wrong key fails here.
    for (const create of ['media.add', 'caption_captionasset.add', 'attachment_attachmentasset.add']) expect(before.calls[create] ?? 0).toBeGreaterThan(0);
    for (const create of ['media.add', 'uploadtoken.add', 'caption_captionasset.add', 'attachment_attachmentasset.add']) {
      expect({ create, n: after[create] ?? 0 }).toEqual({ create, n: before.calls[create] ?? 0 });
    }
    expect(statesOf(w)).toEqual(states);
  });

  test('processing files are ingested once Zoom completes them; late transcripts attach to the existing entry', async () => {
    w = await world({ transferMode });
    await w.runDaemon();
    const detected = fileRows(w).filter((f) => f.state === 'DETECTED');
    expect(detected.length).toBeGreaterThanOrEqual(1);
    expect(w.sandbox.zoom.state.completeProcessing()).toBeGreaterThanOrEqual(detected.length);
    await w.runDaemon();
    const now = fileRows(w);
    for (const f of detected) expect({ id: f.id, state: now.find((x) => x.id === f.id)?.state }).toEqual({ id: f.id, state: 'HANDLED' });
    await assertExactlyOnce(w, expect);
  });
});

test('deletes from Zoom only after verification and the delay, covered audio with its video', async () => {
  w = await world({ deleteEnabled: true, deleteDelay: '1d' });
  await w.runDaemon();
  const zoomGone = () => w!.sandbox.zoom.state.snapshot().meetings.flatMap((m) => m.files).filter((f) => f.state !== 'live').length;
  expect(zoomGone()).toBe(0);
  expect(statesOf(w).PURGE_PENDING).toBeGreaterThanOrEqual(8);

  w.clock.advance(DAY / 2);
  await w.runDaemon();
  expect(zoomGone()).toBe(0);

  w.clock.advance(DAY / 2 + 60_000);
  await w.runDaemon();
  // A second pass lets COVERED audio follow its purged video.
  await w.runDaemon();
  const rows = fileRows(w);
  const purged = rows.filter((f) => f.state === 'PURGED');
  expect(purged.length).toBeGreaterThanOrEqual(8);
  expect(rows.filter((f) => f.state === 'COVERED')).toEqual([]);
  expect(rows.filter((f) => f.role === 'covered' && f.state === 'PURGED').length).toBeGreaterThanOrEqual(1);
  // Files that completed in Zoom only during the day (the late upload) wait for their own delay, still in Zoom.
  for (const f of rows.filter((r) => r.state === 'PURGE_PENDING')) {
    expect(f.meeting_uuid).toBe('eRiNLateUpload0006VvWw==');
    expect(w.sandbox.zoom.state.meeting(f.meeting_uuid)?.files.find((x) => x.id === f.zoom_file_id)?.state).toBe('live');
  }
  const trashed = w.sandbox.zoom.state.snapshot().meetings.flatMap((m) => m.files).filter((f) => f.state === 'trashed');
  expect(trashed.length).toBe(purged.length);
  // Ignored and still-processing files stay in Zoom.
  for (const f of rows.filter((r) => r.state === 'IGNORED' || r.state === 'DETECTED')) {
    const live = w.sandbox.zoom.state.meeting(f.meeting_uuid)?.files.find((x) => x.id === f.zoom_file_id);
    expect({ id: f.id, state: live?.state }).toEqual({ id: f.id, state: 'live' });
  }
  await assertExactlyOnce(w, expect);
});

test('a Kaltura entry that stops being READY holds the deletion', async () => {
  w = await world({ deleteEnabled: true, deleteDelay: '1h' });
  await w.runDaemon();
  const victim = fileRows(w).find((f) => f.state === 'PURGE_PENDING' && f.role === 'parent')!;
  // Someone deletes the entry in the KMC before zk's delay passes.
  const { createKalturaClient } = await import('../../src/kaltura/client.js');
  const cfg = w.config();
  const client = createKalturaClient({ serviceUrl: cfg.kaltura.serviceUrl, partnerId: cfg.kaltura.partnerId, adminSecret: cfg.kaltura.adminSecret, userId: 'admin', privileges: 'disableentitlement', sessionExpiryMs: 3_600_000 });
  await client.call('media', 'delete', { entryId: victim.kaltura_entry_id });
  w.clock.advance(2 * 3_600_000);
  await w.runDaemon();
  const row = fileRows(w).find((f) => f.id === victim.id)!;
  expect(row.state).toBe('PURGE_PENDING');
  const file = w.sandbox.zoom.state.meeting(victim.meeting_uuid)!.files.find((f) => f.id === victim.zoom_file_id)!;
  expect(file.state).toBe('live');
  expect(fileRows(w).filter((f) => f.state === 'PURGED').length).toBeGreaterThan(0);
});
