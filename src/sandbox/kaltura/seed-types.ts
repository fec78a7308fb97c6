/** Data a sandbox can start with (see src/sandbox/seed/kaltura-demo.ts). */
export interface KalturaSeedUser {
  id: string;
  email?: string;
  externalId?: string;
  firstName?: string;
  lastName?: string;
  /** 1 active (default), 0 blocked. */
  status?: number;
  isAdmin?: boolean;
}

export interface KalturaSeedGroup {
  /** Group user id (what groupuser.list returns as groupId). */
  id: string;
  members: string[];
}

export interface KalturaSeed {
  partnerId: number;
  users?: KalturaSeedUser[];
  groups?: KalturaSeedGroup[];
  /** Full names ('A>B>C'); missing ancestors are created. `id` pins the id of the last level. */
  categories?: Array<{ fullName: string; id?: number }>;
  /** Entries as they already exist (e.g. made by Kaltura's own Zoom integration, src/sandbox/seed/zoom-integration.ts). */
  entries?: KalturaSeedEntry[];
}

export interface KalturaSeedEntry {
  /** Pinned id, so children and tests can name it. */
  id: string;
  name: string;
  description?: string;
  userId?: string;
  /** Entry status; READY 2 by default. */
  status?: number;
  /** KalturaEntryModerationStatus; 6 auto-approved by default. */
  moderationStatus?: number;
  mediaType: number;
  referenceId?: string;
  parentEntryId?: string;
  adminTags?: string;
  tags?: string;
  /** Epoch ms; default the sandbox's now. */
  createdAt?: number;
  /** The source flavor: exact bytes held. `reportSizeInBytes` false lists only `size` in KB (older deployments). */
  source?: { sizeBytes: number; sha256: string; fileExt: string; reportSizeInBytes?: boolean };
  captions?: Array<{ label: string; language: string; content: string; status?: number }>;
  attachments?: Array<{ filename: string; title: string; content: string; status?: number }>;
}
