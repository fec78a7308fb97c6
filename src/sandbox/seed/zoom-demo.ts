/**
 * Demo data for the Zoom sandbox, relative to a given `now`: one account, users
 * for every status and licence type, and eight meetings from the last two days
 * covering the shapes zk must handle (multi-view, segments, '/' and '//' UUIDs,
 * a deactivated host, a webinar, audio only, processing files, a blocked host).
 * The Kaltura demo seed and tests refer to these ids and emails.
 */
import type { ZoomSandboxAccount, ZoomSeed, ZoomSeedFile, ZoomSeedMeeting, ZoomSeedUser } from '../zoom/seed-types.js';

export const ZOOM_DEMO_ACCOUNT: Readonly<Required<Omit<ZoomSandboxAccount, 'scopes'>>> = {
  accountId: 'sbx-account-1',
  clientId: 'sbx-client-1',
  clientSecret: 'sbx-secret-1',
};

export const ZOOM_DEMO_USERS = {
  alice: {
    id: 'u-alice',
    email: 'alice@example.edu',
    firstName: 'Alice',
    lastName: 'Adams',
    type: 2,
    status: 'active',
    cmsUserId: 'alice',
    lastLoginTime: '2024-11-28T14:02:11Z',
    lastClientVersion: '5.17.11.34827(mac)',
  },
  bob: { id: 'u-bob', email: 'bob@example.edu', firstName: 'Bob', lastName: 'Brown', type: 2, status: 'active', lastClientVersion: '5.16.10.26186(win)' },
  carol: { id: 'u-carol', email: 'carol@example.edu', firstName: 'Carol', lastName: 'Clark', type: 1, status: 'inactive' },
  erin: { id: 'u-erin', email: 'erin@example.edu', firstName: 'Erin', lastName: 'Evans', type: 1, status: 'active' },
  frank: { id: 'u-frank', email: 'frank@example.edu', firstName: 'Frank', lastName: 'Fisher', type: 4, status: 'active' },
  mallory: { id: 'u-mallory', email: 'mallory@example.edu', firstName: 'Mallory', lastName: 'Moore', type: 2, status: 'active' },
  /** Pending: invited, not yet activated; Zoom returns no id. */
  dan: { email: 'dan@example.edu', firstName: 'Dan', lastName: 'Dunn', type: 1, status: 'pending' },
  /** A host whose email is empty (SSO edge case). */
  noemail: { id: 'u-noemail', email: '', firstName: 'No', lastName: 'Email', type: 1, status: 'active' },
} as const satisfies Record<string, ZoomSeedUser>;

/** Meeting UUIDs: bob's starts with '/', frank's contains '//', alice's has a single '/' and a '+' (single-encoded is fine). */
export const ZOOM_DEMO_UUIDS = {
  labMeeting: 'aLiCe+LabMtg/0001AbCd==',
  officeHours: '/b0bOfficeHrs+0002XyZw==',
  archivedSeminar: 'cArOlArchivedSem0003Qq==',
  researchWebinar: 'aLiCeWebinar00004RrSs==',
  phoneSync: 'eRiNPhoneSync0005TtUu==',
  lateUpload: 'eRiNLateUpload0006VvWw==',
  frankRecurring: 'fRaNk//Recurring007XxYy==',
  blockedHost: 'mAlLoRyBlocked0008ZzAa==',
} as const;

export const ZOOM_DEMO_MEETING_IDS = {
  labMeeting: 81_000_000_001,
  officeHours: 81_000_000_002,
  archivedSeminar: 81_000_000_003,
  researchWebinar: 91_000_000_004,
  phoneSync: 81_000_000_005,
  lateUpload: 81_000_000_006,
  frankRecurring: 81_000_000_007,
  blockedHost: 81_000_000_008,
} as const;

export type ZoomDemoMeetingKey = keyof typeof ZOOM_DEMO_UUIDS;

const KIB = 1024;
const MIB = 1024 * 1024;

function isoAt(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function file(id: string, fileType: string, ext: string, recordingType: string, size: number, startMs: number, minutes: number, extra: Partial<ZoomSeedFile> = {}): ZoomSeedFile {
  return {
    id,
    fileType,
    fileExtension: ext,
    recordingType,
    fileSize: size,
    recordingStart: isoAt(startMs),
    recordingEnd: isoAt(startMs + minutes * 60_000),
    ...extra,
  };
}

/** The eight demo meetings, keyed by name; start times are within the 2 days before `now`. */
export function zoomDemoMeetings(now: number): Record<ZoomDemoMeetingKey, ZoomSeedMeeting> {
  const base = Math.floor(now / 60_000) * 60_000;
  const h = (hoursAgo: number) => base - hoursAgo * 3_600_000;
  const U = ZOOM_DEMO_USERS;
  const I = ZOOM_DEMO_MEETING_IDS;
  const Q = ZOOM_DEMO_UUIDS;

  const lab = h(30);
  const office1 = h(26);
  const office2 = office1 + 35 * 60_000;
  const seminar = h(40);
  const webinar = h(20);
  const phone = h(8);
  const late = h(1);
  const frank = h(12);
  const blocked = h(6);

  return {
    labMeeting: {
      uuid: Q.labMeeting,
      id: I.labMeeting,
      hostId: U.alice.id,
      hostEmail: U.alice.email,
      topic: 'Weekly Lab Meeting',
      type: 2,
      startTime: isoAt(lab),
      timezone: 'America/New_York',
      durationMin: 45,
      files: [
        file('f-lab-ssv', 'MP4', 'MP4', 'shared_screen_with_speaker_view', 3 * MIB + 17, lab + 60_000, 44),
        file('f-lab-sv', 'MP4', 'MP4', 'speaker_view', 2 * MIB + 5, lab + 60_000, 44),
        file('f-lab-gv', 'MP4', 'MP4', 'gallery_view', 2 * MIB + 333, lab + 60_000, 44),
        file('f-lab-audio', 'M4A', 'M4A', 'audio_only', 512 * KIB + 7, lab + 60_000, 44),
        file('f-lab-transcript', 'TRANSCRIPT', 'VTT', 'audio_transcript', 6 * KIB + 3, lab + 60_000, 44),
        file('f-lab-chat', 'CHAT', 'TXT', 'chat_file', 2 * KIB + 11, lab + 60_000, 44),
        file('f-lab-timeline', 'TIMELINE', 'JSON', 'timeline', 3 * KIB + 1, lab + 60_000, 44),
      ],
      alternativeHosts: [U.bob.email],
      trackingFields: [{ field: 'KalturaCategory', value: 'Lab Recordings' }],
      participants: [
        { name: 'Erin Evans', email: U.erin.email, userId: U.erin.id },
        { name: 'Guest Speaker', email: '' },
      ],
      metricsParticipants: [
        { name: 'Alice Adams', email: U.alice.email, userId: U.alice.id, role: 'host' },
        { name: 'Bob Brown', email: U.bob.email, userId: U.bob.id, role: 'cohost' },
        { name: 'Erin Evans', email: U.erin.email, userId: U.erin.id, role: 'attendee' },
      ],
    },
    officeHours: {
      uuid: Q.officeHours,
      id: I.officeHours,
      hostId: U.bob.id,
      hostEmail: U.bob.email,
      topic: 'Office Hours',
      type: 8,
      startTime: isoAt(office1),
      timezone: 'America/Chicago',
      durationMin: 60,
      files: [
        file('f-oh-1-sv', 'MP4', 'MP4', 'speaker_view', 1 * MIB + 101, office1, 25),
        file('f-oh-1-audio', 'M4A', 'M4A', 'audio_only', 256 * KIB + 13, office1, 25),
        file('f-oh-2-sv', 'MP4', 'MP4', 'speaker_view', 1 * MIB + 202, office2, 20),
        file('f-oh-2-audio', 'M4A', 'M4A', 'audio_only', 300 * KIB + 9, office2, 20),
      ],
    },
    archivedSeminar: {
      uuid: Q.archivedSeminar,
      id: I.archivedSeminar,
      hostId: U.carol.id,
      hostEmail: U.carol.email,
      topic: 'Archived Seminar',
      type: 2,
      startTime: isoAt(seminar),
      durationMin: 50,
      files: [
        file('f-sem-ss', 'MP4', 'MP4', 'shared_screen', 4 * MIB - 1, seminar + 30_000, 49),
        file('f-sem-cc', 'CC', 'VTT', 'closed_caption', 5 * KIB + 5, seminar + 30_000, 49),
      ],
    },
    researchWebinar: {
      uuid: Q.researchWebinar,
      id: I.researchWebinar,
      hostId: U.alice.id,
      hostEmail: U.alice.email,
      topic: 'Research Webinar',
      type: 5,
      startTime: isoAt(webinar),
      durationMin: 90,
      files: [
        file('f-web-as', 'MP4', 'MP4', 'active_speaker', 3 * MIB + 3, webinar + 120_000, 88),
        file('f-web-transcript', 'TRANSCRIPT', 'VTT', 'audio_transcript', 9 * KIB + 9, webinar + 120_000, 88),
      ],
      panelists: [
        { name: 'Bob Brown', email: U.bob.email },
        { name: 'Frank Fisher', email: U.frank.email },
      ],
      metricsParticipants: [
        { name: 'Alice Adams', email: U.alice.email, userId: U.alice.id, role: 'host' },
        { name: 'Frank Fisher', email: U.frank.email, userId: U.frank.id, role: 'cohost' },
      ],
    },
    phoneSync: {
      uuid: Q.phoneSync,
      id: I.phoneSync,
      hostId: U.erin.id,
      hostEmail: U.erin.email,
      topic: 'Phone Sync',
      type: 1,
      startTime: isoAt(phone),
      durationMin: 15,
      files: [file('f-phone-audio', 'M4A', 'M4A', 'audio_only', 400 * KIB + 1, phone, 15)],
    },
    lateUpload: {
      uuid: Q.lateUpload,
      id: I.lateUpload,
      hostId: U.erin.id,
      hostEmail: U.erin.email,
      topic: 'Late Upload',
      type: 2,
      startTime: isoAt(late),
      durationMin: 30,
      files: [
        file('f-late-sv', 'MP4', 'MP4', 'speaker_view', 2 * MIB + 77, late, 30, { completesAt: base + 2 * 60_000 }),
        file('f-late-transcript', 'TRANSCRIPT', 'VTT', 'audio_transcript', 4 * KIB + 4, late, 30, {
          completesAt: base + 10 * 60_000,
          blankTypeWhileProcessing: true,
        }),
      ],
    },
    frankRecurring: {
      uuid: Q.frankRecurring,
      id: I.frankRecurring,
      hostId: U.frank.id,
      hostEmail: U.frank.email,
      topic: 'Frank Standup',
      type: 3,
      startTime: isoAt(frank),
      durationMin: 20,
      files: [
        file('f-frank-gv', 'MP4', 'MP4', 'gallery_view', 1 * MIB + 999, frank, 20),
        file('f-frank-summary', 'SUMMARY', 'JSON', 'summary', 2 * KIB + 22, frank, 20),
      ],
    },
    blockedHost: {
      uuid: Q.blockedHost,
      id: I.blockedHost,
      hostId: U.mallory.id,
      hostEmail: U.mallory.email,
      topic: 'Blocked Host Meeting',
      type: 2,
      startTime: isoAt(blocked),
      durationMin: 25,
      files: [file('f-blocked-sv', 'MP4', 'MP4', 'speaker_view', 1 * MIB + 55, blocked, 25)],
    },
  };
}

export function zoomDemoSeed(now: number, accountId: string = ZOOM_DEMO_ACCOUNT.accountId): ZoomSeed {
  return {
    accountId,
    users: Object.values(ZOOM_DEMO_USERS).map((u) => ({ ...u })),
    meetings: Object.values(zoomDemoMeetings(now)),
  };
}

/** Options for startZoomSandbox that give the demo account and its data. */
export function zoomDemoSandboxOptions(now: number = Date.now()): { accounts: ZoomSandboxAccount[]; seed: ZoomSeed } {
  return { accounts: [{ ...ZOOM_DEMO_ACCOUNT }], seed: zoomDemoSeed(now) };
}
