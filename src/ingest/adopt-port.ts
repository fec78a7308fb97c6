/**
 * Port: what adoption needs to see of the entries Kaltura's own Zoom integration
 * made (kaltura/server plugins/vendor/zoom, KZoomDropFolderEngine::processFolder;
 * see src/sandbox/seed/zoom-integration.ts for their shape). Read-only by design:
 * zk never changes or deletes the other integration's entries. The Kaltura
 * adapter implements it; the composition root passes it only when
 * `kaltura.adopt` is `zoomIntegration`.
 */

/** Source flavor evidence of an entry: `sizeInBytes` when Kaltura reports it, else `size` in KB (rounded down). */
import type { KalturaEntry } from './ports.js';

export interface SourceEvidence {
  sizeInBytes?: number;
  sizeKb?: number;
  /** Flavor asset status (2 READY). */
  status?: number;
}

export interface IntegrationEntry {
  id: string;
  status: number;
  referenceId: string;
  parentEntryId?: string;
  mediaType?: number;
  adminTags: string;
  description: string;
  /** Epoch ms. */
  createdAt: number;
  /** Null when the entry has no source flavor (yet). */
  source: SourceEvidence | null;
}

export interface IntegrationAsset {
  kind: 'caption' | 'attachment';
  id: string;
  /** Captions. */
  label?: string;
  /** Attachments. */
  filename?: string;
  /** Asset status: 2 READY, 0 queued, 7 importing, -1 error. */
  status: number;
}

export interface ZoomIntegrationLookup {
  /**
   * Every entry with one of these referenceIds in any status but DELETED and in
   * any moderation status (Kaltura's default filter hides in-flight entries and
   * entries pending or rejected in moderation), every page, with source evidence.
   */
  findIntegrationEntries(referenceIds: string[]): Promise<IntegrationEntry[]>;
  /**
   * findIntegrationEntries and zk's own referenceId lookup (MediaSink.findEntryByReferenceId, same
   * answer) in one round trip: both are reads, made together right before a segment's parent is created.
   */
  findIntegrationEntriesAndOwn?(referenceIds: string[], ownReferenceId: string): Promise<{ entries: IntegrationEntry[]; own: KalturaEntry | null }>;
  /** Caption and attachment assets on an entry, with their status. */
  listIntegrationAssets(entryId: string): Promise<IntegrationAsset[]>;
}
