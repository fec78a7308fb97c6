/**
 * Port: adoption records, the segment's decision (which entry of Kaltura's Zoom
 * integration is its parent) and each file's outcome. Every write that changes
 * what zk does next happens in one transaction with that change.
 * The SQLite store implements it (adoptions-repo.ts).
 */
import type { FileState } from '../states.js';
import type { EventActor } from './events.js';
import type { FilePatch } from './files.js';

export type SegmentDecisionKind = 'adopt' | 'none' | 'conflict';
export type FileAdoptionOutcome = 'adopted' | 'conflict' | 'absent';

export interface SegmentAdoption {
  recordingId: number;
  decision: SegmentDecisionKind;
  parentEntryId: string | null;
  reason: string;
  checkedAt: number;
}

export interface FileAdoption {
  fileId: number;
  account: string;
  outcome: FileAdoptionOutcome;
  kalturaEntryId: string | null;
  kalturaAssetId: string | null;
  detail: string;
  at: number;
}

export interface AdoptionsRepo {
  segment(recordingId: number): SegmentAdoption | undefined;
  /**
   * Records the segment's decision once. For `adopt`, in the same transaction:
   * the segment's parent entry becomes the integration's entry, and files
   * planned as parent that have not started become children (the segment's
   * parent exists already). False when a decision existed or the segment got a
   * parent entry meanwhile.
   */
  decideSegment(recordingId: number, decision: SegmentDecisionKind, parentEntryId: string | null, reason: string): boolean;
  file(fileId: number): FileAdoption | undefined;
  /** A file that is not adopted (conflict or absent): zk ingests it itself. */
  recordFile(fileId: number, account: string, outcome: 'conflict' | 'absent', detail: string): void;
  /** The adopted file moves to HANDLED with the existing entry/asset; the outcome row is written with it. */
  adopt(
    file: { id: number; account: string },
    from: readonly FileState[],
    patch: FilePatch & { kalturaEntryId: string },
    reason: string,
    evidence: string,
    opts: { actor: EventActor; leaseOwner: string },
  ): boolean;
  /** Entry ids other files of the segment already stand for. */
  heldEntryIds(recordingId: number, exceptFileId: number): Set<string>;
  countByOutcome(account?: string): Record<FileAdoptionOutcome, number>;
}
