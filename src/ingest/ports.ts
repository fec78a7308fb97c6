/**
 * Ports: what the ingest domain needs from the outside world. src/zoom and
 * src/kaltura implement these; src/ingest imports nothing else that does I/O.
 *
 * Error contract for every method: adapters throw only ZkError subclasses
 * (RetryableError / PermanentError / FatalError from src/errors.ts), classified
 * at the adapter boundary. No method returns "empty" to mean "failed".
 */
import type { Readable } from 'node:stream';
import type { AccountConfig } from '../config/schema.js';

// ---------------------------------------------------------------- Zoom side

/** One file of a recording, as Zoom lists it (normalised). */
export interface ZoomRecordingFile {
  /** Zoom's recording file id. CC/TIMELINE files without an id get a stable synthetic one: `${fileType}:${recordingStart}`. */
  id: string;
  meetingUuid: string;
  recordingStart: string;
  recordingEnd: string;
  /** MP4, M4A, TRANSCRIPT, CC, CHAT, TIMELINE, SUMMARY, CSV, ... ('' while processing). */
  fileType: string;
  fileExtension: string;
  /** Bytes; 0 while processing. */
  fileSize: number;
  recordingType: string;
  /** 'completed' or 'processing' ('' when Zoom omits it). */
  status: string;
  downloadUrl: string;
}

/** The stable id zk gives a file Zoom lists without one (CC, TIMELINE): never an id Zoom can delete by. */
export function syntheticFileId(fileType: string, recordingStart: string): string {
  return `${fileType}:${recordingStart}`;
}

/**
 * Whether `zoomFileId` is one zk made up (see syntheticFileId): "<file type>:<recording start>". Zoom's own ids
 * (UUID-like) never hold a colon; the type part is matched loosely because Zoom may fill file_type in later.
 */
export function isSyntheticFileId(zoomFileId: string): boolean {
  return /^[A-Za-z_]*:/.test(zoomFileId);
}

/** One meeting instance with its files. */
export interface ZoomMeeting {
  uuid: string;
  /** Numeric meeting (or webinar) id. */
  id: number;
  hostId: string;
  hostEmail: string;
  topic: string;
  /** Zoom meeting type; 5, 6 and 9 are webinars. */
  type: number;
  startTime: string;
  durationMin: number;
  files: ZoomRecordingFile[];
}

/** A UTC date window, inclusive, `YYYY-MM-DD`; at most one month long. */
export interface DateWindow {
  from: string;
  to: string;
}

export interface DownloadOptions {
  /**
   * The whole file, whatever its length (text files: Zoom's file_size is not exact for them and
   * they may come without Content-Length). The caller bounds what it reads. Offset must be 0.
   */
  anyLength?: boolean;
}

export interface DownloadStream {
  stream: Readable;
  /** Bytes that `stream` will deliver (Content-Length of the response); -1 when unknown (an `anyLength` download without one). */
  contentLength: number;
  /** Offset the stream starts at (the Range start). */
  offset: number;
  contentType: string;
}

export interface ZoomUser {
  id?: string;
  email: string;
  firstName?: string;
  lastName?: string;
  displayName?: string;
  /** 1 Basic, 2 Licensed, 4 Unassigned without Meetings Basic, 99 None, others by code. */
  type: number;
  status: 'active' | 'inactive' | 'pending' | string;
  cmsUserId?: string;
  lastLoginTime?: string;
  lastClientVersion?: string;
}

export interface ZoomMeetingDetails {
  id: number;
  alternativeHosts: string[];
  /** Values of tracking fields by field name (KalturaCategory, KalturaCategoryPath). */
  trackingFields: Record<string, string>;
}

/** Everything zk needs from one Zoom account. One instance per account (own token, pacing). */
export interface RecordingSource {
  readonly account: string;
  /** All meetings with recordings in the window, account-wide (deactivated hosts included), every page. */
  listRecordings(window: DateWindow, signal?: AbortSignal): Promise<ZoomMeeting[]>;
  /** One meeting instance's recordings; null when Zoom says it has none (3301). */
  getMeetingRecordings(meetingUuid: string, signal?: AbortSignal): Promise<ZoomMeeting | null>;
  /**
   * Opens the file's bytes from `offset`. Rejects (RetryableError) when the
   * response is HTML or its length does not match the file's remaining size.
   */
  openDownload(file: ZoomRecordingFile, offset: number, signal?: AbortSignal, opts?: DownloadOptions): Promise<DownloadStream>;
  /** URL and headers Kaltura can fetch the file with (url transfer mode). Tokens only in headers. */
  downloadAccess(file: ZoomRecordingFile): Promise<{ url: string; headers: string[] }>;
  /** Trash (or permanently delete) one recording file. */
  /** 'absent' when Zoom says the file is already gone (404/3301: trashed or deleted before, e.g. ahead of a crash). */
  deleteRecordingFile(meetingUuid: string, fileId: string, action: 'trash' | 'delete'): Promise<'removed' | 'absent'>;

  // Used by the Kaltura-semantics policies (owner, permissions, categories).
  getUser(userIdOrEmail: string): Promise<ZoomUser | null>;
  getMeetingDetails(meetingId: number, isWebinar: boolean): Promise<ZoomMeetingDetails | null>;
  /** Emails of participants (report, every page, by instance UUID); for webinars the panelists, by the numeric webinar ID. */
  listParticipantEmails(meetingUuidOrId: string, isWebinar: boolean): Promise<string[]>;
  /** Emails of participants whose role was cohost (dashboard metrics). */
  listCohostEmails(meetingUuidOrId: string, isWebinar: boolean): Promise<string[]>;
  listUsers(status: 'active' | 'inactive' | 'pending'): Promise<ZoomUser[]>;
}

// ---------------------------------------------------------------- Kaltura side

/** Kaltura entry status values (KalturaEntryStatus; src/ingest/entry-status.ts maps each to a decision). */
export const ENTRY_STATUS = {
  ERROR_IMPORTING: -2,
  ERROR_CONVERTING: -1,
  IMPORT: 0,
  PRECONVERT: 1,
  READY: 2,
  DELETED: 3,
  PENDING: 4,
  MODERATE: 5,
  BLOCKED: 6,
  NO_CONTENT: 7,
  /** The virus-scan plugin's values are strings in Kaltura's dynamic enum. */
  INFECTED: 'virusScan.Infected',
  SCAN_FAILURE: 'virusScan.ScanFailure',
} as const;

/** Caption/attachment asset status (KalturaCaptionAssetStatus / KalturaAttachmentAssetStatus share the numbers). */
export const ASSET_STATUS = { ERROR: -1, QUEUED: 0, READY: 2, DELETED: 3, IMPORTING: 7 } as const;

export type AssetKind = 'caption' | 'attachment';

/** A caption or attachment asset as Kaltura reports it now. */
export interface KalturaAssetState {
  id: string;
  /** The caption's label or the attachment's filename (how zk finds its own asset again). */
  name: string;
  status: number;
  /** Bytes the asset holds: `sizeInBytes` when Kaltura reports it, else `size` (KB) × 1024; null when neither. */
  sizeBytes: number | null;
  /** True when sizeBytes came from `sizeInBytes` (exact), false when from the KB `size` (±1 KiB). */
  sizeExact: boolean;
}

/** A numeric KalturaEntryStatus, or a plugin's string value (e.g. 'virusScan.Infected'). */
export type EntryStatus = number | string;

export interface KalturaEntry {
  id: string;
  name: string;
  status: EntryStatus;
  /** Playable duration in ms as Kaltura measured it from the converted content (absent until known). */
  msDuration?: number;
  referenceId?: string;
  parentEntryId?: string;
  userId?: string;
  mediaType?: number;
}

export interface NewEntry {
  referenceId: string;
  name: string;
  description: string;
  /** 1 video, 5 audio. */
  mediaType: 1 | 5;
  userId?: string;
  parentEntryId?: string;
  adminTags: string;
  tags?: string;
  conversionProfileId?: number;
  entitledUsersEdit?: string;
  entitledUsersPublish?: string;
  entitledUsersView?: string;
  /** Keeps REACH from machine-captioning an entry whose captions come from Zoom (transcripts.enabled). */
  blockAutoTranscript?: boolean;
}

/** One flavor asset of an entry, as verification needs it. */
export interface FlavorInfo {
  id: string;
  /** The source (original) flavor: what was uploaded or imported. */
  isOriginal: boolean;
  /** KalturaFlavorAssetStatus: -1 ERROR, 0 QUEUED, 1 CONVERTING, 2 READY, 3 DELETED, 4 NOT_APPLICABLE, ... */
  status: number;
  /** Exact bytes (Kaltura's `sizeInBytes`), when the server reports it. */
  sizeInBytes?: number;
  /** Kaltura's `size`, in KB (rounded), when reported. */
  sizeKb?: number;
  /** Kaltura's description; on an errored flavor it carries the conversion error. */
  description?: string;
}

export interface UploadTokenState {
  id: string;
  /** Contiguous bytes the server holds. */
  uploadedFileSize: number;
  /** 0 PENDING, 1 PARTIAL_UPLOAD, 2 FULL_UPLOAD, 3 CLOSED, 4 TIMED_OUT, 5 DELETED. */
  status: number;
}

export interface KalturaUser {
  id: string;
  email?: string;
  externalId?: string;
  /** 1 active, 0 blocked, 2 deleted. */
  status: number;
}

export type UserLookupPath = 'esearch' | 'user.list';

export interface KalturaCategory {
  id: number;
  fullName: string;
}

/** How addContent went when it travelled with the final chunk. */
export interface ContentOutcome {
  entry?: KalturaEntry;
  error?: Error;
  categoryError?: Error;
}

export interface MediaSink {
  /** Finds an entry by referenceId in any status but DELETED (oldest live one first; an errored one only if nothing else); the caller inspects status. */
  findEntryByReferenceId(referenceId: string): Promise<KalturaEntry | null>;
  createEntry(entry: NewEntry): Promise<KalturaEntry>;
  /**
   * createEntry and createUploadToken in one round trip (optional: sinks without it get two calls).
   * The token is null when only its part failed (the caller makes one later).
   */
  createEntryWithUploadToken?(entry: NewEntry, fileName: string, fileSize: number): Promise<{ entry: KalturaEntry; token: UploadTokenState | null }>;
  getEntry(entryId: string): Promise<KalturaEntry | null>;
  /** getEntry and listFlavors in one round trip (optional); entry null (and no flavors) when it does not exist. */
  getEntryWithFlavors?(entryId: string): Promise<{ entry: KalturaEntry | null; flavors: FlavorInfo[] }>;
  /** Every flavor asset of the entry (source and conversions), every page. */
  listFlavors(entryId: string): Promise<FlavorInfo[]>;
  deleteEntry(entryId: string): Promise<void>;

  createUploadToken(fileName: string, fileSize: number): Promise<UploadTokenState>;
  getUploadToken(tokenId: string): Promise<UploadTokenState | null>;
  /** Sends one chunk; `resumeAt` is the byte offset of this chunk. */
  uploadChunk(
    tokenId: string,
    chunk: Buffer,
    opts: { resume: boolean; resumeAt: number; finalChunk: boolean; fileName: string },
    signal?: AbortSignal,
  ): Promise<UploadTokenState>;
  addContentFromUploadToken(entryId: string, tokenId: string): Promise<KalturaEntry>;
  /**
   * addContent from the token and a link to each category in one round trip (optional). An addContent
   * failure is thrown; a failed link (other than one that already exists) is returned as categoryError.
   */
  addContentAndCategories?(entryId: string, tokenId: string, categoryIds: number[]): Promise<{ entry: KalturaEntry; categoryError?: Error }>;
  /**
   * The final chunk, then addContent from that token and the category links, in one round trip
   * (optional). A failed chunk is thrown (and nothing is attached); otherwise `content` says how
   * addContent went: `error` (e.g. ENTRY_ALREADY_WITH_CONTENT) or the entry, plus a failed link.
   */
  uploadFinalChunkWithContent?(
    tokenId: string,
    chunk: Buffer,
    opts: { resume: boolean; resumeAt: number; fileName: string },
    entryId: string,
    categoryIds: number[],
    signal?: AbortSignal,
  ): Promise<{ token: UploadTokenState; content: ContentOutcome }>;
  addContentFromUrl(entryId: string, url: string, headers: string[]): Promise<KalturaEntry>;

  // Kaltura-semantics (owner, permissions, categories, groups, captions, chat).
  updateEntry(entryId: string, fields: Partial<NewEntry>): Promise<KalturaEntry>;
  getUser(userId: string): Promise<KalturaUser | null>;
  /**
   * getUser(userId) and, unless that finds a live (not deleted) user, findUserByEmail / findUserByExternalId,
   * in one round trip where the server allows it (optional).
   */
  getUserOrSearch?(userId: string, search: { email?: string; externalId?: string }): Promise<{ byId: KalturaUser | null; bySearch: KalturaUser | null }>;
  findUserByEmail(email: string): Promise<KalturaUser | null>;
  findUserByExternalId(externalId: string): Promise<KalturaUser | null>;
  /**
   * How this server is searched for users: 'esearch' where elasticsearch_esearch answers, else 'user.list'
   * (user.list with emailLike, user.get by id). Detected once per sink; optional for test doubles.
   */
  userLookupPath?(): Promise<UserLookupPath>;
  addUser(user: { id: string; email?: string }): Promise<KalturaUser>;
  /** Group ids the user belongs to (every page). */
  listUserGroupIds(userId: string): Promise<string[]>;
  findCategoryByFullName(fullName: string): Promise<KalturaCategory | null>;
  /**
   * The one category with this exact name, or null if none. A name several categories share is
   * not guessed: throws PermanentError CATEGORY_AMBIGUOUS, whose message lists their full names.
   */
  findCategoryByName(name: string): Promise<KalturaCategory | null>;
  addCategory(parentId: number | null, name: string): Promise<KalturaCategory>;
  addCategoryEntry(categoryId: number, entryId: string): Promise<void>;
  listCategoryIdsOfEntry(entryId: string): Promise<number[]>;
  listCaptionLabels(entryId: string): Promise<Array<{ id: string; label: string }>>;
  /** Adds the caption and sets its content; returns the asset as Kaltura answered setContent (status, size). */
  addCaption(entryId: string, caption: { label: string; language: string; format: 'WEBVTT' | 'SRT'; content: string }): Promise<KalturaAssetState>;
  listAttachmentFilenames(entryId: string): Promise<Array<{ id: string; filename: string }>>;
  /** Adds the attachment and sets its content; returns the asset as Kaltura answered setContent (status, size). */
  addTextAttachment(entryId: string, attachment: { filename: string; title: string; content: string }): Promise<KalturaAssetState>;
  /** Every live caption or attachment asset of the entry, with status and size (every page). */
  listAssets(kind: AssetKind, entryId: string): Promise<KalturaAssetState[]>;
  /**
   * getEntryWithFlavors and listAssets for each of `kinds`, all read in one round trip (a segment's
   * re-check before its parent's and its captions'/chat's Zoom deletes).
   */
  getEntryWithFlavorsAndAssets?(entryId: string, kinds: AssetKind[]): Promise<{ entry: KalturaEntry | null; flavors: FlavorInfo[]; assets: Partial<Record<AssetKind, KalturaAssetState[]>> }>;
  /** The entry (null when Kaltura has none) and listAssets(kind, entryId), both read in one round trip. */
  getEntryWithAssets?(kind: AssetKind, entryId: string): Promise<{ entry: KalturaEntry | null; assets: KalturaAssetState[] }>;
  /** Deletes an asset; an asset already gone is not an error. */
  deleteAsset(kind: AssetKind, assetId: string): Promise<void>;
}

// ---------------------------------------------------------------- Entry policy (Kaltura semantics)

/**
 * What a recording segment's Kaltura entries look like: owner, entitlements,
 * categories. Resolved once per segment (before its parent entry is created)
 * and persisted in recordings.policy_json, so a restart does not re-resolve.
 */
export interface EntryPolicy {
  /** Set when the segment must not be ingested (e.g. group opt-out): every file becomes IGNORED with this reason. */
  ignoreReason?: string;
  /** Kaltura user id of the owner; absent = the KS user owns it. */
  ownerId?: string;
  entitledUsersEdit: string[];
  entitledUsersPublish: string[];
  entitledUsersView: string[];
  /** Categories linked to the parent entry only (children may not carry categories). */
  categoryIds: number[];
  tags: string[];
  conversionProfileId?: number;
}

export interface EntryPolicyResolver {
  /** `meeting.files` holds the segment's files. Throws only ZkError subclasses. */
  resolve(meeting: ZoomMeeting, account: AccountConfig): Promise<EntryPolicy>;
}
