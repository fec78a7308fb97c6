/**
 * One read for a segment's re-checks. When a parent's Zoom delete is due together with its
 * captions' or chat's, the parent entry, its flavors and those assets are read in one round trip
 * right before the parent's delete; the siblings' deletes follow back to back in the same pass,
 * judged on that read (the parent entry READY with its size, the asset READY with its bytes).
 * Nothing else runs between that read and those deletes, and the read is dropped as soon as the
 * pass moves to another segment: a sibling that is not next in line reads again on its own.
 */
import type { AssetKind, KalturaAssetState, KalturaEntry } from './ports.js';
import type { FileRow } from './store-port/files.js';

export interface SegmentRead {
  recordingId: number;
  entryId: string;
  entry: KalturaEntry | null;
  assets: Partial<Record<AssetKind, KalturaAssetState[]>>;
}

const SIBLING_KIND: Record<string, AssetKind | undefined> = { caption: 'caption', attachment: 'attachment' };

/** Due files with each segment's parent followed at once by its due captions and chat; otherwise in their order. */
export function orderBySegment(due: readonly FileRow[]): FileRow[] {
  const parents = new Map<number, FileRow>();
  for (const f of due) if (f.role === 'parent') parents.set(f.recordingId, f);
  const out: FileRow[] = [];
  const placed = new Set<number>();
  for (const f of due) {
    if (placed.has(f.id)) continue;
    // A sibling whose parent is due too goes right after that parent.
    if (SIBLING_KIND[f.role ?? ''] && parents.has(f.recordingId)) continue;
    out.push(f);
    placed.add(f.id);
    if (f.role !== 'parent') continue;
    for (const s of due) {
      if (s.recordingId === f.recordingId && SIBLING_KIND[s.role ?? ''] && !placed.has(s.id)) {
        out.push(s);
        placed.add(s.id);
      }
    }
  }
  return out;
}

/** The asset kinds of `parent`'s captions and chat due in the same pass (read with the parent's re-check). */
export function siblingKindsDue(parent: FileRow, due: readonly FileRow[]): AssetKind[] {
  if (parent.role !== 'parent') return [];
  const kinds = new Set<AssetKind>();
  for (const s of due) {
    const kind = SIBLING_KIND[s.role ?? ''];
    if (kind && s.recordingId === parent.recordingId && s.kalturaEntryId === parent.kalturaEntryId) kinds.add(kind);
  }
  return [...kinds];
}
