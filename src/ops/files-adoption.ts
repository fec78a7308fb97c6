/** `zk files show`: what adoption decided for a file (and its segment), from file_adoptions / segment_adoptions. */
import type { Db } from '../store/db.js';
import { createAdoptionsRepo, type AdoptionsRepo } from '../store/adoptions-repo.js';
import { createFilesRepo } from '../store/files-repo.js';

export interface FileAdoptionView {
  /** adopted: recorded with the entry/asset of Kaltura's Zoom integration; conflict: an integration entry zk could not adopt (zk ingested it); absent: the integration had not ingested this file. */
  outcome: 'adopted' | 'conflict' | 'absent' | 'segment-conflict';
  kalturaEntryId: string | null;
  kalturaAssetId: string | null;
  detail: string;
}

/** The adoption records `zk files show` reads (the adoption repository's own lookups). */
export type AdoptionRecords = Pick<AdoptionsRepo, 'file' | 'segment'>;

export function fileAdoptions(db: Db): AdoptionRecords {
  // Reads only: the clock stamps writes, which this view never makes.
  const clock = { now: () => 0 };
  return createAdoptionsRepo(db, clock, createFilesRepo(db, clock));
}

export function adoptionOf(records: AdoptionRecords, file: { id: number; recordingId: number }): FileAdoptionView | null {
  const adopted = records.file(file.id);
  if (adopted) return { outcome: adopted.outcome, kalturaEntryId: adopted.kalturaEntryId, kalturaAssetId: adopted.kalturaAssetId, detail: adopted.detail };
  const segment = records.segment(file.recordingId);
  if (segment?.decision === 'conflict') return { outcome: 'segment-conflict', kalturaEntryId: null, kalturaAssetId: null, detail: segment.reason };
  return null;
}

export function renderAdoption(a: FileAdoptionView | null | undefined): string | null {
  if (!a) return null;
  switch (a.outcome) {
    case 'adopted':
      return `from Kaltura's Zoom integration: ${a.kalturaAssetId ? `asset ${a.kalturaAssetId} on entry ${a.kalturaEntryId}` : `entry ${a.kalturaEntryId}`} (${a.detail})`;
    case 'absent':
      return `not ingested by Kaltura's Zoom integration; zk ingested it into the adopted segment`;
    default:
      return `not adopted, zk ingested it itself: ${a.detail}`;
  }
}
