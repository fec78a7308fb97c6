/**
 * Port: the drop-folder rows, one per Zoom recording file, keyed by (account,
 * meeting uuid, zoom file id). Every state change goes through `transition`, a
 * compare-and-set on the expected state that appends its event in the same
 * short synchronous transaction, so the history can never disagree with the row.
 * The SQLite store implements it (files-repo.ts).
 */
import type { FileState } from '../states.js';
import type { EventActor } from './events.js';

export type FileRole = 'parent' | 'child' | 'caption' | 'attachment' | 'covered' | 'none';

export interface FileRow {
  id: number;
  account: string;
  meetingUuid: string;
  zoomFileId: string;
  recordingId: number;
  fileType: string;
  fileExtension: string;
  recordingType: string;
  zoomStatus: string;
  fileSize: number;
  downloadUrl: string | null;
  role: FileRole | null;
  state: FileState;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  lastErrorCode: string | null;
  referenceId: string | null;
  kalturaEntryId: string | null;
  kalturaAssetId: string | null;
  uploadTokenId: string | null;
  uploadedBytes: number;
  ingestedSize: number | null;
  /** Epoch ms of a Kaltura create whose resulting id is not saved yet (see migrations/0003). */
  createStartedAt: number | null;
  leaseOwner: string | null;
  leaseUntil: number | null;
  detectedAt: number;
  handledAt: number | null;
  purgeAfter: number | null;
  purgedAt: number | null;
  updatedAt: number;
  /** When Kaltura accepted the content (addContent answered); zk's own record that content was submitted. */
  contentSubmittedAt: number | null;
  /** The evidence verification used: source-size, upload-token or duration. */
  verifiedBy: string | null;
  /** ERROR_CONVERTING outcomes seen for this file (a second one fails it). */
  conversionFailures: number;
  /** Consecutive ACTION_BLOCKED answers; past `kaltura.actionBlocked.freeRetries` they spend attempts. */
  blockedStreak: number;
}

/** Columns a transition or update may change (identity columns and `state` are not among them). */
export type FilePatch = Partial<
  Pick<
    FileRow,
    | 'fileType' | 'fileExtension' | 'recordingType' | 'zoomStatus' | 'fileSize' | 'downloadUrl' | 'role'
    | 'attempts' | 'nextAttemptAt' | 'lastError' | 'lastErrorCode' | 'referenceId' | 'kalturaEntryId'
    | 'kalturaAssetId' | 'uploadTokenId' | 'uploadedBytes' | 'ingestedSize' | 'leaseOwner' | 'leaseUntil'
    | 'handledAt' | 'purgeAfter' | 'purgedAt' | 'createStartedAt' | 'contentSubmittedAt' | 'verifiedBy' | 'conversionFailures' | 'blockedStreak'
  >
>;

/** A file as listed by Zoom, ready to record. */
export interface ListedFile {
  account: string;
  recordingId: number;
  meetingUuid: string;
  zoomFileId: string;
  fileType: string;
  fileExtension: string;
  recordingType: string;
  zoomStatus: string;
  fileSize: number;
  downloadUrl: string;
}

export interface TransitionOptions {
  actor?: EventActor;
  /** Only transition while this process holds the row's lease (or the row has none). */
  leaseOwner?: string;
}

export interface FilesRepo {
  /**
   * Records a listed file. New rows start DETECTED (with an event). Existing rows
   * take Zoom's latest size/status only while nothing has been transferred
   * (DETECTED, PENDING), so a file is never re-planned under a running upload.
   */
  upsertListed(file: ListedFile, actor?: EventActor): { id: number; created: boolean };
  get(id: number): FileRow | undefined;
  find(account: string, meetingUuid: string, zoomFileId: string): FileRow | undefined;
  listByRecording(recordingId: number): FileRow[];
  list(filter?: { account?: string; state?: FileState; limit?: number }): FileRow[];
  countByState(account?: string): Record<string, number>;
  /**
   * The one way a file changes state: compare-and-set on `from`, patch, and append
   * the event with `reason`, in one transaction. Returns false (and writes nothing)
   * when the row is not in an expected state.
   */
  transition(fileId: number, from: FileState | readonly FileState[], to: FileState, reason: string, patch?: FilePatch, opts?: TransitionOptions | EventActor): boolean;
  /** Non-state progress (entry id, token id, uploaded bytes), guarded by the expected state. No event. */
  update(fileId: number, expected: FileState | readonly FileState[], patch: FilePatch): boolean;
  /** Takes the row's lease if free, expired or already ours. */
  claim(fileId: number, owner: string, ttlMs: number): boolean;
  renewLease(fileId: number, owner: string, ttlMs: number): boolean;
  releaseLease(fileId: number, owner: string): void;
  /**
   * Files of an account that the work cycle should pick up now: leases free,
   * expired, or held by `owner` itself (a restarted process reclaims its own rows
   * at once; owners are unique per running process role).
   */
  listDue(account: string, owner: string, limit: number): FileRow[];
  /**
   * PENDING captions and chats detected at or before `detectedBefore` whose segment has no parent entry and no
   * video or audio file at all (none still processing either): nothing will ever carry them.
   */
  listStrandedAssets(account: string, detectedBefore: number): FileRow[];
  /** HANDLED files (not yet scheduled for deletion). */
  listHandled(account: string): FileRow[];
  /** PURGE_PENDING files whose delay passed and whose retry time (if any) came. */
  listPurgeDue(account: string, owner: string, limit: number): FileRow[];
  /** FAILED → PENDING with attempts reset (the operator's `zk files retry`). */
  reviveFailed(fileId: number, actor?: EventActor, reason?: string): boolean;
}
