/** `zk files show`: what adoption decided for a file (and its segment), from file_adoptions / segment_adoptions. */
import type { Db } from '../store/db.js';

export interface FileAdoptionView {
  /** adopted: recorded with the entry/asset of Kaltura's Zoom integration; conflict: an integration entry zk could not adopt (zk ingested it); absent: the integration had not ingested this file. */
  outcome: 'adopted' | 'conflict' | 'absent' | 'segment-conflict';
  kalturaEntryId: string | null;
  kalturaAssetId: string | null;
  detail: string;
}

export function adoptionOf(db: Db, fileId: number): FileAdoptionView | null {
  const file = db
    .prepare('SELECT outcome, kaltura_entry_id AS kalturaEntryId, kaltura_asset_id AS kalturaAssetId, detail FROM file_adoptions WHERE file_id = ?')
    .get(fileId) as FileAdoptionView | undefined;
  if (file) return file;
  const segment = db
    .prepare(`SELECT s.decision, s.parent_entry_id AS parentEntryId, s.reason FROM segment_adoptions s JOIN files f ON f.recording_id = s.recording_id WHERE f.id = ?`)
    .get(fileId) as { decision: string; parentEntryId: string | null; reason: string } | undefined;
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
