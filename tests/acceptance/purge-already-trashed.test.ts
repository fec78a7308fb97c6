/**
 * A delete that reached Zoom before zk recorded it (a crash between the
 * DELETE and the state write) is retried on restart. Zoom answers that retry
 * with 404/3301, because the file is already in the trash: zk must read that
 * as "done" (PURGED), not loop, fail the file, or disturb the trash entry.
 */
import { afterEach, expect, test } from '@jest/globals';
import { encodeMeetingUuid } from '../../src/zoom/uuid.js';
import { api, tokenFor } from '../zoom/helpers.js';
import { fileRows, world, type World } from './harness.js';

const DAY = 86_400_000;
let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

test('a file already trashed in Zoom when the purge runs becomes PURGED after one DELETE; its deleted_time is kept', async () => {
  w = await world({ deleteEnabled: true, deleteDelay: '1d' });
  await w.runDaemon();
  const pending = fileRows(w).filter((f) => f.state === 'PURGE_PENDING');
  expect(pending.length).toBeGreaterThanOrEqual(1);
  const target = pending[0];

  // The "crashed" delete: the file is trashed in Zoom, zk's row still says PURGE_PENDING.
  const zoom = w.sandbox.zoom;
  const token = await tokenFor(zoom);
  const path = `/meetings/${encodeMeetingUuid(target.meeting_uuid)}/recordings/${encodeURIComponent(target.zoom_file_id)}?action=trash`;
  expect((await api(zoom, token, path, { method: 'DELETE' })).status).toBe(204);
  const trashedAt = zoom.state.meeting(target.meeting_uuid)?.files.find((f) => f.id === target.zoom_file_id)?.deletedTime;
  expect(trashedAt).toBeTruthy();

  zoom.state.resetCallLog();
  w.clock.advance(DAY + 60_000);
  expect(await w.runDaemon()).toBe(0);

  const db = w.db();
  try {
    expect(db.prepare('SELECT state FROM files WHERE id = ?').get(target.id)).toEqual({ state: 'PURGED' });
    // The adapter answers 404/3301 as 'absent', so the row is PURGED once, with no error and no retry, and says so.
    expect(db.prepare("SELECT count(*) AS n FROM events WHERE file_id = ? AND to_state IN ('PURGED', 'RETRY_WAIT', 'FAILED')").get(target.id)).toEqual({ n: 1 });
    expect(db.prepare("SELECT reason FROM events WHERE file_id = ? AND to_state = 'PURGED'").get(target.id)).toEqual({
      reason: expect.stringMatching(/^already absent from Zoom \(404\) after verification/),
    });
    expect(db.prepare('SELECT attempts, last_error_code FROM files WHERE id = ?').get(target.id)).toMatchObject({ last_error_code: null });
  } finally {
    db.close();
  }
  // One DELETE per purged row: the already-trashed one was not retried.
  const purged = fileRows(w).filter((f) => f.state === 'PURGED').length;
  expect(zoom.state.callCounts()['DELETE /v2/meetings/{meetingId}/recordings/{recordingId}']).toBe(purged);
  // Zoom's 30-day trash clock for that file was not restarted.
  const file = zoom.state.meeting(target.meeting_uuid)?.files.find((f) => f.id === target.zoom_file_id);
  expect(file).toMatchObject({ state: 'trashed', deletedTime: trashedAt });
});
