/** Issue 21: the order of a purge pass that lets one read re-check a segment's parent and its captions/chat. */
import { expect, test } from '@jest/globals';
import { orderBySegment, siblingKindsDue } from '../../src/ingest/purge-segment-read.js';
import type { FileRow } from '../../src/ingest/store-port/files.js';

const row = (id: number, recordingId: number, role: string, kalturaEntryId = `e${recordingId}`) => ({ id, recordingId, role, kalturaEntryId }) as unknown as FileRow;

test("a due parent is followed at once by its due captions and chat; other files keep their order", () => {
  const due = [row(1, 10, 'caption'), row(2, 20, 'child'), row(3, 10, 'parent'), row(4, 30, 'caption'), row(5, 10, 'attachment'), row(6, 20, 'parent')];
  expect(orderBySegment(due).map((f) => f.id)).toEqual([2, 3, 1, 5, 4, 6]);
});

test('the kinds read with a parent are those of its due siblings on the same entry', () => {
  const parent = row(3, 10, 'parent');
  expect(siblingKindsDue(parent, [parent, row(1, 10, 'caption'), row(5, 10, 'attachment'), row(7, 11, 'caption')]).sort()).toEqual(['attachment', 'caption']);
  // A caption still on an older parent entry is not read with this one.
  expect(siblingKindsDue(parent, [parent, row(1, 10, 'caption', 'e-old')])).toEqual([]);
  expect(siblingKindsDue(row(2, 10, 'child'), [row(1, 10, 'caption')])).toEqual([]);
});
