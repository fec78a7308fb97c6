/**
 * Zoom's own Node SDK (@zoom/rivet 0.4.0) against the emulator. Rivet's OAuth
 * host is a constant (https://zoom.us), so it cannot fetch a token from the
 * sandbox; its `tokenStore` option lets us hand it one fetched from the
 * sandbox instead. Its API base URL is overridable (`baseUrl`, passed through
 * to its endpoints although the typings do not list it).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MeetingsS2SAuthClient } from '@zoom/rivet/meetings';
import { UsersS2SAuthClient } from '@zoom/rivet/users';
import { ZOOM_DEMO_ACCOUNT, ZOOM_DEMO_MEETING_IDS, ZOOM_DEMO_UUIDS } from '../../src/sandbox/seed/zoom-demo.js';
import type { ZoomSandbox } from '../../src/sandbox/zoom/server.js';
import { encodeMeetingUuid } from '../../src/zoom/uuid.js';
import { demoSandbox, tokenFor } from '../zoom/helpers.js';

interface S2SToken {
  accessToken: string;
  expirationTimeIso: string;
  scopes: string[];
}

describe('@zoom/rivet against the zoom emulator', () => {
  let sbx: ZoomSandbox;
  let options: Record<string, unknown>;

  beforeAll(async () => {
    sbx = await demoSandbox();
    const token: S2SToken = { accessToken: await tokenFor(sbx), expirationTimeIso: new Date(Date.now() + 3_000_000).toISOString(), scopes: [] };
    options = {
      clientId: ZOOM_DEMO_ACCOUNT.clientId,
      clientSecret: ZOOM_DEMO_ACCOUNT.clientSecret,
      accountId: ZOOM_DEMO_ACCOUNT.accountId,
      disableReceiver: true,
      baseUrl: sbx.apiUrl,
      tokenStore: { getLatestToken: () => token, storeToken: () => undefined },
    };
  });
  afterAll(() => sbx.close());

  it('lists a user’s recordings and gets one meeting’s recordings (double-encoded UUID)', async () => {
    const meetings = new MeetingsS2SAuthClient(options as never);
    const list = await meetings.endpoints.cloudRecording.listAllRecordings({
      path: { userId: 'bob@example.edu' },
      query: { from: '2024-11-28', to: '2024-11-30', page_size: 300 },
    });
    expect(list.statusCode).toBe(200);
    expect(list.data?.meetings?.map((m) => m.uuid)).toEqual([ZOOM_DEMO_UUIDS.officeHours]);

    const one = await meetings.endpoints.cloudRecording.getMeetingRecordings({ path: { meetingId: encodeMeetingUuid(ZOOM_DEMO_UUIDS.officeHours) } });
    expect(one.statusCode).toBe(200);
    expect(one.data?.recording_files).toHaveLength(4);
    expect(sbx.state.callCounts()['POST /oauth/token']).toBe(1); // only ours: rivet never tried its own
  });

  it('lists users and gets one user', async () => {
    const users = new UsersS2SAuthClient(options as never);
    const list = await users.endpoints.users.listUsers({ query: { status: 'pending' } });
    expect(list.data?.users?.map((u) => u.email)).toEqual(['dan@example.edu']);
    const alice = await users.endpoints.users.getUser({ path: { userId: 'alice@example.edu' } });
    expect(alice.data).toMatchObject({ id: 'u-alice', email: 'alice@example.edu', type: 2 });
  });

  it('surfaces the emulator’s error bodies as Zoom errors', async () => {
    const meetings = new MeetingsS2SAuthClient(options as never);
    await expect(meetings.endpoints.cloudRecording.getMeetingRecordings({ path: { meetingId: encodeURIComponent(ZOOM_DEMO_UUIDS.officeHours) } })).rejects.toThrow(
      '[404/3301]: "There is no recording for this meeting."',
    );
  });
  it('trashes a file with 204; trashing it again is 404/3301 and keeps its deleted_time', async () => {
    const meetings = new MeetingsS2SAuthClient(options as never);
    const path = { meetingId: encodeMeetingUuid(ZOOM_DEMO_UUIDS.labMeeting), recordingId: 'f-lab-transcript' };
    const first = await meetings.endpoints.cloudRecording.deleteRecordingFileForMeetingOrWebinar({ path, query: { action: 'trash' } });
    expect(first.statusCode).toBe(204);
    const trashedAt = sbx.state.meeting(ZOOM_DEMO_UUIDS.labMeeting)?.files.find((f) => f.id === path.recordingId)?.deletedTime;
    expect(trashedAt).toBeTruthy();
    await expect(meetings.endpoints.cloudRecording.deleteRecordingFileForMeetingOrWebinar({ path, query: { action: 'trash' } })).rejects.toThrow('[404/3301]');
    expect(sbx.state.meeting(ZOOM_DEMO_UUIDS.labMeeting)?.files.find((f) => f.id === path.recordingId)).toMatchObject({ state: 'trashed', deletedTime: trashedAt });
  });

  it('reads meeting and webinar details, panelists and the participants report', async () => {
    const meetings = new MeetingsS2SAuthClient(options as never);
    const meeting = await meetings.endpoints.meetings.getMeeting({ path: { meetingId: ZOOM_DEMO_MEETING_IDS.labMeeting } });
    expect(meeting.data).toMatchObject({ id: ZOOM_DEMO_MEETING_IDS.labMeeting, settings: { alternative_hosts: 'bob@example.edu' } });
    const webinar = await meetings.endpoints.webinars.getWebinar({ path: { webinarId: String(ZOOM_DEMO_MEETING_IDS.researchWebinar) } });
    expect(webinar.data).toMatchObject({ id: ZOOM_DEMO_MEETING_IDS.researchWebinar, type: 5 });
    for (const meetingOnly of ['assistant_id', 'status', 'pre_schedule']) expect(webinar.data).not.toHaveProperty(meetingOnly);
    const panelists = await meetings.endpoints.webinars.listPanelists({ path: { webinarId: ZOOM_DEMO_MEETING_IDS.researchWebinar } });
    expect(panelists.data?.panelists?.map((p) => p.email)).toEqual(['bob@example.edu', 'frank@example.edu']);
    const report = await meetings.endpoints.reports.getMeetingParticipantReports({ path: { meetingId: String(ZOOM_DEMO_MEETING_IDS.labMeeting) } });
    expect(report.statusCode).toBe(200);
    expect(report.data?.participants?.length).toBeGreaterThan(0);
  });
});
