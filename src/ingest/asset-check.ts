/**
 * What "Kaltura holds this caption/chat" means: the asset exists on the
 * segment's parent entry, is READY, and holds the bytes zk sent. An asset left
 * by a crash between its add and its setContent exists but is empty (status
 * QUEUED, no size): it is never counted as held.
 */
import { ASSET_STATUS, type AssetKind, type KalturaAssetState } from './ports.js';
import type { FileRow } from './store-port/files.js';
import type { RecordingRow } from './store-port/recordings.js';
import { captionLabel, chatFilename } from './entry-fields.js';
import { kalturaSizeAgrees } from './kaltura-size.js';


export type AssetCheck =
  | { ok: true; asset: KalturaAssetState; detail: string }
  | { ok: false; kind: 'missing' | 'empty' | 'errored' | 'size-mismatch'; detail: string };

export function assetKindOf(file: Pick<FileRow, 'role'>): AssetKind {
  return file.role === 'caption' ? 'caption' : 'attachment';
}

/** The label (caption) or filename (chat) zk gives the file's asset. */
export function assetNameOf(file: Pick<FileRow, 'role' | 'fileType'>, rec: Pick<RecordingRow, 'meetingId'>): string {
  return file.role === 'caption' ? captionLabel(file.fileType) : chatFilename(rec.meetingId);
}

/** Whether one asset is READY with `expectedBytes` (exact with sizeInBytes, within 1 KiB with the KB `size`). */
export function checkAssetState(a: KalturaAssetState, expectedBytes: number): AssetCheck {
  const what = `asset ${a.id}`;
  if (a.status === ASSET_STATUS.ERROR) return { ok: false, kind: 'errored', detail: `${what} has status ${a.status} (error)` };
  if (a.status !== ASSET_STATUS.READY) return { ok: false, kind: 'empty', detail: `${what} has status ${a.status}, not READY (no content)` };
  if (a.sizeBytes === null) return { ok: false, kind: 'empty', detail: `${what} reports no size` };
  if (!kalturaSizeAgrees(a.sizeBytes, a.sizeExact, expectedBytes) || (expectedBytes > 0 && a.sizeExact && a.sizeBytes === 0)) {
    return { ok: false, kind: 'size-mismatch', detail: `${what} holds ${a.sizeBytes} bytes, zk sent ${expectedBytes}` };
  }
  return { ok: true, asset: a, detail: `${what} READY with ${a.sizeBytes} bytes${a.sizeExact ? '' : ' (KB size, ±1 KiB)'} (zk sent ${expectedBytes})` };
}

/** Checks the asset with id `assetId` (or, without one, the first asset named `name`) among `assets`. */
export function checkAssetIn(assets: readonly KalturaAssetState[], name: string, assetId: string | null, expectedBytes: number, entryId: string): AssetCheck {
  const candidates = assets.filter((a) => (assetId ? a.id === assetId : a.name === name));
  if (candidates.length === 0) return { ok: false, kind: 'missing', detail: `${assetId ? `asset ${assetId}` : `no asset named "${name}"`} on entry ${entryId}` };
  const checks = candidates.map((a) => checkAssetState(a, expectedBytes));
  return checks.find((c) => c.ok) ?? checks[0];
}
