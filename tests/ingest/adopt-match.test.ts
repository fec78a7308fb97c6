/** Issue 22: the evidence rules of adoption (pure). Never adopt on weak evidence. */
import { describe, expect, test } from '@jest/globals';
import { decideSegment, matchAsset, matchMedia, parentReferenceId } from '../../src/ingest/adopt-match.js';
import type { IntegrationEntry } from '../../src/ingest/adopt-port.js';

const UUID = 'abc/def==';
const START = '2026-11-01T10:00:00Z';
const SEG = { meetingUuid: UUID, recordingStart: START, meetingId: 81 };
const NOW = 1_800_000_000_000;
const CTX = { meetingUuid: UUID, now: NOW, importTimeoutMs: 3_600_000 };
const DESC = `Zoom Recording ID: 81\nUUID: ${UUID}\nMeeting Time: Sun, 01 Nov 2026 10:00:00 GMT`;

function entry(over: Partial<IntegrationEntry>): IntegrationEntry {
  return { id: '0_p', status: 2, referenceId: parentReferenceId(SEG), mediaType: 1, adminTags: 'zoomentry', description: DESC, createdAt: NOW - 86_400_000, source: { sizeInBytes: 1000, status: 2 }, ...over };
}

describe('segment decision', () => {
  test('a READY parent made by the integration is adopted', () => {
    expect(decideSegment([entry({})], SEG, NOW, 3_600_000)).toMatchObject({ decision: 'adopt', parent: { id: '0_p' } });
  });
  test('no entry, or one without the zoomentry admin tag, is nothing to adopt', () => {
    expect(decideSegment([], SEG, NOW, 1).decision).toBe('none');
    expect(decideSegment([entry({ adminTags: 'other' })], SEG, NOW, 1).decision).toBe('none');
  });
  test('errored, incomplete, duplicated parents are conflicts; a young importing parent is waited for', () => {
    expect(decideSegment([entry({ status: -1 })], SEG, NOW, 1).decision).toBe('conflict');
    expect(decideSegment([entry({ status: 7 })], SEG, NOW, 1).decision).toBe('conflict');
    expect(decideSegment([entry({}), entry({ id: '0_q' })], SEG, NOW, 1).decision).toBe('conflict');
    expect(decideSegment([entry({ status: 1, createdAt: NOW - 60_000 })], SEG, NOW, 3_600_000).decision).toBe('wait');
    expect(decideSegment([entry({ status: 1, createdAt: NOW - 7_200_000 })], SEG, NOW, 3_600_000).decision).toBe('conflict');
  });
  test('an errored duplicate beside a live parent does not block adoption', () => {
    expect(decideSegment([entry({ id: '0_e', status: -2 }), entry({})], SEG, NOW, 1)).toMatchObject({ decision: 'adopt', parent: { id: '0_p' } });
  });
});

describe('media', () => {
  const mp4 = (fileSize: number) => ({ fileType: 'MP4', fileSize });
  test('sizeInBytes equal to Zoom file_size and the same media type adopts', () => {
    expect(matchMedia(mp4(1000), [], [entry({})], new Set(), CTX)).toMatchObject({ outcome: 'adopt', entryId: '0_p', bytes: 1000 });
    expect(matchMedia({ fileType: 'M4A', fileSize: 1000 }, [], [entry({})], new Set(), CTX).outcome).toBe('absent');
  });
  test('a one-byte difference in sizeInBytes is not the same file', () => {
    expect(matchMedia(mp4(1001), [], [entry({})], new Set(), CTX).outcome).toBe('conflict');
  });
  test('an entry another file already stands for is not adopted twice', () => {
    expect(matchMedia(mp4(1000), [], [entry({})], new Set(['0_p']), CTX).outcome).toBe('absent');
  });
  test('size in KB only: adopted when unique in the segment and the description names the meeting', () => {
    const kb = entry({ source: { sizeKb: 400, status: 2 } });
    expect(matchMedia(mp4(400 * 1024 + 9), [mp4(2_000_000)], [kb], new Set(), CTX)).toMatchObject({ outcome: 'adopt', bytes: 400 * 1024 });
    // Another view of the segment has the same KB: which one the entry holds is a guess.
    expect(matchMedia(mp4(400 * 1024 + 9), [mp4(400 * 1024 + 500)], [kb], new Set(), CTX).outcome).toBe('conflict');
    // The description was edited: KB alone is weak evidence.
    expect(matchMedia(mp4(400 * 1024 + 9), [], [{ ...kb, description: 'my lecture' }], new Set(), CTX).outcome).toBe('conflict');
  });
  test('no size evidence at all is never adopted', () => {
    expect(matchMedia(mp4(1000), [], [entry({ source: null })], new Set(), CTX).outcome).toBe('conflict');
    expect(matchMedia(mp4(1000), [], [entry({ source: {} })], new Set(), CTX).outcome).toBe('conflict');
  });
  test('errored or not READY entries and flavors are not adopted', () => {
    expect(matchMedia(mp4(1000), [], [entry({ status: -1 })], new Set(), CTX).outcome).toBe('conflict');
    expect(matchMedia(mp4(1000), [], [entry({ source: { sizeInBytes: 1000, status: -1 } })], new Set(), CTX).outcome).toBe('conflict');
    expect(matchMedia(mp4(1000), [], [entry({ status: 1, createdAt: NOW - 1000 })], new Set(), CTX).outcome).toBe('wait');
  });
  test("an entry explained by another file of the segment leaves this one absent (a partial segment)", () => {
    expect(matchMedia(mp4(5000), [mp4(1000)], [entry({})], new Set(), CTX).outcome).toBe('absent');
  });
  test('two entries with the same bytes are ambiguous', () => {
    expect(matchMedia(mp4(1000), [], [entry({}), entry({ id: '0_c', parentEntryId: '0_p' })], new Set(), CTX).outcome).toBe('conflict');
  });
});

describe('assets', () => {
  test('captions by label, chat by filename, READY only', () => {
    const assets = [
      { kind: 'caption' as const, id: 'c1', label: 'Zoom_TRANSCRIPT', status: 2 },
      { kind: 'caption' as const, id: 'c2', label: 'Zoom_CC', status: -1 },
      { kind: 'attachment' as const, id: 'a1', filename: 'Recording 81 chat file.txt', status: 2 },
    ];
    expect(matchAsset({ fileType: 'TRANSCRIPT', role: 'caption' }, 81, assets)).toMatchObject({ outcome: 'adopt', assetId: 'c1' });
    expect(matchAsset({ fileType: 'CC', role: 'caption' }, 81, assets).outcome).toBe('conflict');
    expect(matchAsset({ fileType: 'CHAT', role: 'attachment' }, 81, assets)).toMatchObject({ outcome: 'adopt', assetId: 'a1' });
    expect(matchAsset({ fileType: 'CHAT', role: 'attachment' }, 82, assets).outcome).toBe('absent');
  });
});

test('two files of the segment with identical bytes: one entry is a guess, not adopted', () => {
  const e: IntegrationEntry = { id: '0_p', status: 2, referenceId: parentReferenceId(SEG), mediaType: 1, adminTags: 'zoomentry', description: DESC, createdAt: NOW, source: { sizeInBytes: 1000, status: 2 } };
  expect(matchMedia({ fileType: 'MP4', fileSize: 1000 }, [{ fileType: 'MP4', fileSize: 1000 }], [e], new Set(), CTX).outcome).toBe('conflict');
});
