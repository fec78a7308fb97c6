/**
 * The shared fake Zoom source answers like the real adapter (src/zoom/source.ts over the Zoom
 * sandbox) where the tests that use it rely on the answer, and its call log and allow-list hold.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { PermanentError } from '../../src/errors.js';
import type { RecordingSource } from '../../src/ingest/ports.js';
import { ZOOM_DEMO_MEETING_IDS, ZOOM_DEMO_UUIDS } from '../../src/sandbox/seed/zoom-demo.js';
import type { ZoomSandbox } from '../../src/sandbox/zoom/server.js';
import { demoSandbox, demoSource } from '../zoom/helpers.js';
import { FakeZoom, meeting } from './fake-zoom.js';

const UNKNOWN_MEETING_ID = 89_999_999_999;

let sbx: ZoomSandbox | undefined;
afterEach(async () => {
  await sbx?.close();
  sbx = undefined;
});

async function realSource(): Promise<RecordingSource> {
  sbx = await demoSandbox();
  return demoSource(sbx);
}

describe('FakeZoom answers as the adapter does', () => {
  it('details of a meeting Zoom does not know: null by default, as the adapter answers 404/3001', async () => {
    const real = await realSource();
    expect(await real.getMeetingDetails(UNKNOWN_MEETING_ID, false)).toBeNull();
    expect(await new FakeZoom().getMeetingDetails(UNKNOWN_MEETING_ID, false)).toBeNull();
  });

  it('details of a meeting Zoom holds: no alternative hosts or tracking fields unless set', async () => {
    const real = await realSource();
    const details = await real.getMeetingDetails(ZOOM_DEMO_MEETING_IDS.labMeeting, false);
    expect(details?.id).toBe(ZOOM_DEMO_MEETING_IDS.labMeeting);
    const fake = new FakeZoom({ meetings: [meeting(5, '2024-06-09T10:00:00Z')] });
    expect(await fake.getMeetingDetails(5, false)).toEqual({ id: 5, alternativeHosts: [], trackingFields: {} });
  });

  it("unknownMeeting 'error' throws the PermanentError ZOOM_3001 instead", async () => {
    const err = await new FakeZoom({ unknownMeeting: 'error' }).getMeetingDetails(UNKNOWN_MEETING_ID, false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect(err).toMatchObject({ code: 'ZOOM_3001', status: 404 });
  });

  it('an unknown user is null', async () => {
    const real = await realSource();
    expect(await real.getUser('nobody@example.edu')).toBeNull();
    expect(await new FakeZoom().getUser('nobody@example.edu')).toBeNull();
  });

  it("deleting a file twice: 'removed', then 'absent'", async () => {
    const real = await realSource();
    const m = await real.getMeetingRecordings(ZOOM_DEMO_UUIDS.labMeeting);
    const fileId = m!.files.find((f) => f.fileType === 'MP4')!.id;
    expect(await real.deleteRecordingFile(ZOOM_DEMO_UUIDS.labMeeting, fileId, 'trash')).toBe('removed');
    expect(await real.deleteRecordingFile(ZOOM_DEMO_UUIDS.labMeeting, fileId, 'trash')).toBe('absent');
    const fake = new FakeZoom({ meetings: [meeting(5, '2024-06-09T10:00:00Z')] });
    expect(await fake.deleteRecordingFile('uuid-5==', 'file-5-0', 'trash')).toBe('removed');
    expect(await fake.deleteRecordingFile('uuid-5==', 'file-5-0', 'trash')).toBe('absent');
  });
});

describe('FakeZoom call log and allow-list', () => {
  it('logs every call as { method, args }, failed ones included', async () => {
    const fake = new FakeZoom({ failAll: new Error('rejected') });
    await expect(fake.listUsers('active')).rejects.toThrow('rejected');
    expect(fake.calls).toEqual([{ method: 'listUsers', args: ['active'] }]);
    expect(fake.count('listUsers')).toBe(1);
    expect(fake.argsOf('listUsers')).toEqual([['active']]);
  });

  it('a method outside `only` throws (and is logged)', async () => {
    const fake = new FakeZoom({ only: ['getUser'], meetings: [meeting(5, '2024-06-09T10:00:00Z')] });
    await expect(fake.deleteRecordingFile('uuid-5==', 'file-5-0', 'trash')).rejects.toThrow('fake: deleteRecordingFile is not used by this test');
    expect(fake.deleted).toEqual([]);
    expect(fake.calls.map((c) => c.method)).toEqual(['deleteRecordingFile']);
  });
});
