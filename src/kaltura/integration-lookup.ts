/**
 * ZoomIntegrationLookup over the Kaltura API: what Kaltura's own Zoom
 * integration made, read-only. Lists name every status but DELETED and every
 * moderation status explicitly: Kaltura's default entry filter shows only
 * READY entries that are not pending or rejected in moderation, and an entry
 * hidden that way would be ingested a second time.
 */
import type { IntegrationAsset, IntegrationEntry, SourceEvidence, ZoomIntegrationLookup } from '../ingest/adopt-port.js';
import type { KalturaClient } from './client.js';
import type { WireList } from './wire-types.js';
import { ALL_MODERATION_STATUSES } from './entry-filters.js';

/** Every entry status but DELETED (3), including the errored ones adoption must report. */
const ALL_BUT_DELETED = '-2,-1,0,1,2,4,5,6,7';
const PAGE = 500;
/** Kaltura caps a filter's `…In` list; referenceIds per request stay well under it. */
const IDS_PER_CALL = 50;

interface WireIntegrationEntry {
  id: string;
  status: number | string;
  referenceId?: string;
  parentEntryId?: string;
  mediaType?: number | string;
  adminTags?: string;
  description?: string;
  createdAt?: number;
}

interface WireSourceFlavor {
  entryId: string;
  isOriginal?: boolean;
  flavorParamsId?: number | string;
  size?: number | string;
  sizeInBytes?: number | string;
  status?: number | string;
}

interface WireAssetWithStatus {
  id: string;
  label?: string;
  filename?: string;
  status?: number | string;
}

const num = (v: unknown): number | undefined => (v === undefined || v === null || v === '' ? undefined : Number(v));

function chunks<T>(items: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
}

/** The media.list parameters of one page of integration entries with these referenceIds (at most IDS_PER_CALL). */
export function integrationListParams(refs: string[], pageIndex: number): Record<string, unknown> {
  return {
    filter: {
      objectType: 'KalturaMediaEntryFilter',
      referenceIdIn: refs.join(','),
      statusIn: ALL_BUT_DELETED,
      moderationStatusIn: ALL_MODERATION_STATUSES,
      orderBy: '+createdAt',
    },
    pager: { objectType: 'KalturaFilterPager', pageSize: PAGE, pageIndex },
  };
}

/** The lookup, plus what a combined read (sink.ts) needs to finish an answer whose first page it fetched itself. */
export interface IntegrationLookupParts extends ZoomIntegrationLookup {
  /** Integration entries from a first page of integrationListParams(refs, 1): further pages, filtering, source evidence. */
  entriesFromFirstPage(referenceIds: string[], first: WireList<unknown>): Promise<IntegrationEntry[]>;
}

/** Whether a combined read can stand in for findIntegrationEntries' first request (one chunk of referenceIds). */
export const fitsOneIntegrationRead = (referenceIds: string[]) => new Set(referenceIds).size <= IDS_PER_CALL;

export function createIntegrationLookup(client: Pick<KalturaClient, 'call'>): IntegrationLookupParts {
  const read = <T>(service: string, action: string, params: Record<string, unknown>) => client.call<T>(service, action, params, { idempotent: true });

  async function listAll<T>(service: string, filter: Record<string, unknown>, first?: WireList<T>): Promise<T[]> {
    const out: T[] = [];
    for (let pageIndex = 1; ; pageIndex++) {
      const res = pageIndex === 1 && first ? first : await read<WireList<T>>(service, 'list', { filter, pager: { objectType: 'KalturaFilterPager', pageSize: PAGE, pageIndex } });
      const objects = res.objects ?? [];
      out.push(...objects);
      if (objects.length < PAGE || out.length >= res.totalCount) return out;
    }
  }

  async function sourceEvidence(entryIds: string[]): Promise<Map<string, SourceEvidence>> {
    const out = new Map<string, SourceEvidence>();
    for (const ids of chunks(entryIds, IDS_PER_CALL)) {
      const flavors = await listAll<WireSourceFlavor>('flavorasset', { objectType: 'KalturaAssetFilter', entryIdIn: ids.join(',') });
      for (const f of flavors) {
        if (!(f.isOriginal === true || Number(f.flavorParamsId) === 0)) continue;
        out.set(f.entryId, { sizeInBytes: num(f.sizeInBytes), sizeKb: num(f.size), status: num(f.status) });
      }
    }
    return out;
  }

  async function finish(referenceIds: string[], wire: WireIntegrationEntry[]): Promise<IntegrationEntry[]> {
    const wanted = new Set(referenceIds);
    const entries = wire.filter((e) => e.referenceId !== undefined && wanted.has(e.referenceId) && Number(e.status) !== 3);
    const sources = entries.length > 0 ? await sourceEvidence(entries.map((e) => e.id)) : new Map<string, SourceEvidence>();
    return entries.map(
      (e): IntegrationEntry => ({
        id: e.id,
        status: Number(e.status),
        referenceId: e.referenceId!,
        parentEntryId: e.parentEntryId || undefined,
        mediaType: num(e.mediaType),
        adminTags: e.adminTags ?? '',
        description: e.description ?? '',
        createdAt: (e.createdAt ?? 0) * 1000,
        source: sources.get(e.id) ?? null,
      }),
    );
  }

  const filterOf = (refs: string[]) => integrationListParams(refs, 1).filter as Record<string, unknown>;

  return {
    async findIntegrationEntries(referenceIds) {
      const wire: WireIntegrationEntry[] = [];
      for (const refs of chunks([...new Set(referenceIds)], IDS_PER_CALL)) wire.push(...(await listAll<WireIntegrationEntry>('media', filterOf(refs))));
      return finish(referenceIds, wire);
    },

    async entriesFromFirstPage(referenceIds, first) {
      const refs = [...new Set(referenceIds)];
      return finish(referenceIds, await listAll<WireIntegrationEntry>('media', filterOf(refs), first as WireList<WireIntegrationEntry>));
    },

    async listIntegrationAssets(entryId) {
      const [captions, attachments] = await Promise.all([
        listAll<WireAssetWithStatus>('caption_captionasset', { objectType: 'KalturaCaptionAssetFilter', entryIdEqual: entryId }),
        listAll<WireAssetWithStatus>('attachment_attachmentasset', { objectType: 'KalturaAttachmentAssetFilter', entryIdEqual: entryId }),
      ]);
      return [
        ...captions.map((a): IntegrationAsset => ({ kind: 'caption', id: a.id, label: a.label, status: Number(a.status ?? -1) })),
        ...attachments.map((a): IntegrationAsset => ({ kind: 'attachment', id: a.id, filename: a.filename, status: Number(a.status ?? -1) })),
      ];
    },
  };
}
