/** Shapes the Zoom sandbox is seeded with (demo set, generated set, tests). */

export interface ZoomSandboxAccount {
  accountId: string;
  clientId: string;
  clientSecret: string;
  /** Granular scopes granted to the app; default: every scope the sandbox knows. */
  scopes?: string[];
}

export interface ZoomSeedUser {
  /** Absent for pending users (Zoom returns no id for them). */
  id?: string;
  email: string;
  firstName?: string;
  lastName?: string;
  /** 1 Basic, 2 Licensed, 4 Unassigned without Meetings Basic, 99 None. */
  type: number;
  status: 'active' | 'inactive' | 'pending';
  cmsUserId?: string;
  lastLoginTime?: string;
  lastClientVersion?: string;
  timezone?: string;
}

export interface ZoomSeedFile {
  /** Omit only together with `specShape` or `omitId` (CC/TIMELINE as the 2023 spec shows them). */
  id?: string;
  fileType: string;
  fileExtension: string;
  recordingType: string;
  fileSize: number;
  recordingStart: string;
  recordingEnd: string;
  /** Epoch ms (sandbox clock) when processing ends; until then status is "processing". */
  completesAt?: number;
  /** While processing, list file_type/file_extension as "" (seen in practice). */
  blankTypeWhileProcessing?: boolean;
  /** List without id/status/file_size/recording_type/play_url, as [spec23] shows CC and TIMELINE. */
  specShape?: boolean;
  /** List without `id` only, everything else as usual (a completed CC/TIMELINE with a size but no id). */
  omitId?: boolean;
}

export interface ZoomSeedParticipant {
  name: string;
  /** '' for users outside the host account. */
  email: string;
  userId?: string;
  /** metrics role: host | attendee | cohost */
  role?: 'host' | 'attendee' | 'cohost';
}

export interface ZoomSeedMeeting {
  uuid: string;
  id: number;
  hostId: string;
  hostEmail: string;
  topic: string;
  type: number;
  /** ISO 8601 UTC. The meeting is listed under this date. */
  startTime: string;
  timezone?: string;
  durationMin: number;
  files: ZoomSeedFile[];
  alternativeHosts?: string[];
  trackingFields?: Array<{ field: string; value: string }>;
  /** Report participants (GET /report/meetings/{id}/participants). */
  participants?: ZoomSeedParticipant[];
  /** Dashboard participants with roles (GET /metrics/.../participants). */
  metricsParticipants?: ZoomSeedParticipant[];
  /** Webinar panelists. */
  panelists?: Array<{ name: string; email: string }>;
}

export interface ZoomSeed {
  accountId: string;
  users?: ZoomSeedUser[];
  meetings?: ZoomSeedMeeting[];
}
