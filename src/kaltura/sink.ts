/** MediaSink over the Kaltura API v3 (every call's semantics: https://developer.kaltura.com/api-docs/ and kaltura/server api_v3/services). */
import { PermanentError, ZkError } from '../errors.js';
import type { AssetKind, EntryStatus, FlavorInfo, KalturaAssetState, KalturaCategory, KalturaEntry, KalturaUser, MediaSink, NewEntry, UploadTokenState, UserLookupPath } from '../ingest/ports.js';
import { createKalturaClient, type KalturaClientOptions, type SubResult } from './client.js';
import { createLookupCache } from './lookup-cache.js';
import { systemClock } from '../util/clock.js';
import { ALL_MODERATION_STATUSES } from './entry-filters.js';
import { kalturaLanguage } from '../kaltura-languages/languages.js';
import { createIntegrationLookup, fitsOneIntegrationRead, integrationListParams } from './integration-lookup.js';
import type { ZoomIntegrationLookup } from '../ingest/adopt-port.js';
import type { WireAsset, WireCategory, WireEntry, WireFlavorAsset, WireList, WireUploadToken, WireUser } from './wire-types.js';

export interface KalturaSinkOptions extends KalturaClientOptions {
  /** Page size for lists read to the end (groups, categories, assets). Default 30, Kaltura's own default. */
  listPageSize?: number;
  /** How long user, group-membership and category lookups are reused (kaltura.lookupCacheTtl); 0 = never. Default 0. */
  lookupCacheTtlMs?: number;
}

function addContentRequest(entryId: string, token: string) {
  return { service: 'media', action: 'addContent', params: { entryId, resource: { objectType: 'KalturaUploadedFileTokenResource', token } } };
}

function categoryLinkRequest(categoryId: number, entryId: string) {
  return { service: 'categoryentry', action: 'add', params: { categoryEntry: { objectType: 'KalturaCategoryEntry', categoryId, entryId } } };
}

/** A link that already exists is what zk wanted; any other failed link is reported (the content stays submitted). */
function categoryErrorOf(links: SubResult[]): Error | undefined {
  for (const l of links) if (!l.ok && !(l.error.code === 'CATEGORY_ENTRY_ALREADY_EXISTS')) return l.error;
  return undefined;
}

/** A multirequest item's value, or its (already classified) error thrown. */
function valueOf<T>(r: SubResult): T {
  if (!r.ok) throw r.error;
  return r.value as T;
}

const DELETED = 3;
/** KalturaUserStatus DELETED: such a user counts as absent. */
const USER_DELETED = 2;
const ASSET_SERVICE = { caption: 'caption_captionasset', attachment: 'attachment_attachmentasset' } as const;
const ASSET_FILTER = { caption: 'KalturaCaptionAssetFilter', attachment: 'KalturaAttachmentAssetFilter' } as const;
const ASSET_ID_PARAM = { caption: 'captionAssetId', attachment: 'attachmentAssetId' } as const;
const ASSET_NOT_FOUND = { caption: 'CAPTION_ASSET_ID_NOT_FOUND', attachment: 'ATTACHMENT_ASSET_ID_NOT_FOUND' } as const;
const ERROR_STATES = new Set<EntryStatus>([-1, -2]);
const CAPTION_FORMAT = { SRT: '1', WEBVTT: '3' } as const;
const CAPTION_EXT = { SRT: 'srt', WEBVTT: 'vtt' } as const;

/**
 * What a server without eSearch answers for elasticsearch_esearch: CE and on-prem without Elasticsearch
 * (SERVICE_DOES_NOT_EXISTS, ACTION_DOES_NOT_EXISTS) and partners without the plugin (SERVICE_FORBIDDEN,
 * which would otherwise halt the account as a fatal error).
 */
const ESEARCH_ABSENT = ['SERVICE_DOES_NOT_EXISTS', 'SERVICE_FORBIDDEN', 'ACTION_DOES_NOT_EXISTS'];

/** Emails, external ids and Kaltura user ids compare case-insensitively. */
function sameText(a: string | undefined, b: string): boolean {
  return (a ?? '').trim().toLowerCase() === b.trim().toLowerCase();
}

function hasCode(err: unknown, code: string): boolean {
  return err instanceof ZkError && err.code === code;
}

/** Numeric statuses arrive as numbers or digit strings; plugin statuses ('virusScan.Infected') stay strings. */
function toStatus(raw: number | string): EntryStatus {
  const text = String(raw).trim();
  return /^-?\d+$/.test(text) ? Number(text) : text;
}

function optionalNumber(raw: number | string | undefined | null): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

function toFlavor(w: WireFlavorAsset): FlavorInfo {
  return {
    id: w.id,
    isOriginal: w.isOriginal === true || String(w.isOriginal) === '1' || String(w.isOriginal) === 'true',
    status: Number(w.status ?? -1),
    sizeInBytes: optionalNumber(w.sizeInBytes),
    sizeKb: optionalNumber(w.size),
    description: w.description || undefined,
  };
}

function toEntry(w: WireEntry): KalturaEntry {
  return {
    id: w.id,
    name: w.name ?? '',
    status: toStatus(w.status),
    msDuration: optionalNumber(w.msDuration),
    referenceId: w.referenceId,
    parentEntryId: w.parentEntryId || undefined,
    userId: w.userId || undefined,
    mediaType: w.mediaType === undefined ? undefined : Number(w.mediaType),
  };
}

function toToken(w: WireUploadToken): UploadTokenState {
  return { id: w.id, uploadedFileSize: Number(w.uploadedFileSize ?? 0), status: Number(w.status) };
}

function toUser(w: WireUser): KalturaUser {
  return { id: w.id, email: w.email || undefined, externalId: w.externalId || undefined, status: Number(w.status) };
}

/** Bytes from `sizeInBytes` when Kaltura sends it (exact), else from the KB `size` (±1 KiB). */
function toAssetState(kind: AssetKind, r: WireAsset): KalturaAssetState {
  const exact = r.sizeInBytes !== undefined && r.sizeInBytes !== null && r.sizeInBytes !== '';
  const kb = r.size !== undefined && r.size !== null && r.size !== '' ? Number(r.size) : undefined;
  return {
    id: r.id,
    name: (kind === 'caption' ? r.label : r.filename) ?? '',
    status: Number(r.status ?? -1),
    sizeBytes: exact ? Number(r.sizeInBytes) : kb === undefined ? null : kb * 1024,
    sizeExact: exact,
  };
}

function toCategory(w: WireCategory): KalturaCategory {
  return { id: Number(w.id), fullName: w.fullName };
}

/** Only the fields zk sets; mediaType is insertOnly and never sent on update. */
function entryFields(e: Partial<NewEntry>, forInsert: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { objectType: 'KalturaMediaEntry' };
  const keys = [
    'name', 'description', 'referenceId', 'userId', 'parentEntryId', 'adminTags', 'tags', 'conversionProfileId',
    'entitledUsersEdit', 'entitledUsersPublish', 'entitledUsersView', 'blockAutoTranscript',
  ] as const;
  for (const k of keys) if (e[k] !== undefined) out[k] = e[k];
  if (forInsert && e.mediaType !== undefined) out.mediaType = e.mediaType;
  return out;
}

export function createKalturaSink(opts: KalturaSinkOptions): MediaSink & ZoomIntegrationLookup {
  const client = createKalturaClient(opts);
  const pageSize = opts.listPageSize ?? 30;
  const read = <T>(service: string, action: string, params: Record<string, unknown>) =>
    client.call<T>(service, action, params, { idempotent: true });
  const create = <T>(service: string, action: string, params: Record<string, unknown>) => client.call<T>(service, action, params);
  // Owned by this sink (one per account and process): nothing is shared between sinks or runs.
  const cache = createLookupCache(opts.clock ?? systemClock(), opts.lookupCacheTtlMs ?? 0);

  /** Reads every page (Kaltura lists are paged; stopping at page 1 silently loses data). */
  async function listAll<T>(service: string, filter: Record<string, unknown>): Promise<T[]> {
    const out: T[] = [];
    for (let pageIndex = 1; ; pageIndex++) {
      const res = await read<WireList<T>>(service, 'list', { filter, pager: { objectType: 'KalturaFilterPager', pageSize, pageIndex } });
      const objects = res.objects ?? [];
      out.push(...objects);
      if (objects.length < pageSize || out.length >= res.totalCount) return out;
    }
  }

  function searchUserParams(fieldName: 'email' | 'external_id', value: string): Record<string, unknown> {
    return {
      searchParams: {
        objectType: 'KalturaESearchUserParams',
        // Blocked users are found too: the caller decides what a blocked owner means.
        objectStatuses: '0,1',
        searchOperator: {
          objectType: 'KalturaESearchUserOperator',
          operator: 1,
          searchItems: [{ objectType: 'KalturaESearchUserItem', fieldName, itemType: 1, searchTerm: value }],
        },
      },
      pager: { objectType: 'KalturaPager', pageSize: 10, pageIndex: 1 },
    };
  }

  function searchMatch(res: WireList<{ object: WireUser }>, fieldName: 'email' | 'external_id', value: string): KalturaUser | null {
    const match = (res.objects ?? []).map((r) => r.object).find((u) => sameText(fieldName === 'email' ? u.email : u.externalId, value));
    return match ? toUser(match) : null;
  }

  async function searchUser(fieldName: 'email' | 'external_id', value: string): Promise<KalturaUser | null> {
    return searchMatch(await read<WireList<{ object: WireUser }>>('elasticsearch_esearch', 'searchUser', searchUserParams(fieldName, value)), fieldName, value);
  }

  /** Without eSearch: emailLike is a substring match, so the exact (case-insensitive) match is made here. */
  async function listUserByEmail(email: string): Promise<KalturaUser | null> {
    const rows = await listAll<WireUser>('user', { objectType: 'KalturaUserFilter', emailLike: email.trim(), typeEqual: 0, statusIn: '0,1' });
    const match = rows.find((u) => sameText(u.email, email));
    return match ? toUser(match) : null;
  }

  /** Without eSearch there is no external-id filter: SSO deployments use the external id as the user id. */
  async function getUserByExternalId(externalId: string): Promise<KalturaUser | null> {
    const user = await getUser(externalId.trim());
    return user && (sameText(user.externalId, externalId) || sameText(user.id, externalId)) ? user : null;
  }

  // Detected once per sink (one per account and process); a transient failure is not remembered.
  let lookupPath: Promise<UserLookupPath> | undefined;
  function userLookupPath(): Promise<UserLookupPath> {
    lookupPath ??= (async (): Promise<UserLookupPath> => {
      try {
        await searchUser('email', 'zk-lookup-probe@invalid');
        opts.logger?.info('kaltura user lookup uses eSearch', { path: 'esearch' });
        return 'esearch';
      } catch (err) {
        if (ESEARCH_ABSENT.some((code) => hasCode(err, code))) {
          opts.logger?.info('kaltura user lookup uses user.list (no eSearch on this server)', { path: 'user.list', code: (err as ZkError).code });
          return 'user.list';
        }
        lookupPath = undefined;
        throw err;
      }
    })();
    return lookupPath;
  }

  function findUserBy(fieldName: 'email' | 'external_id', value: string): Promise<KalturaUser | null> {
    return cache.get(`user-by-${fieldName}:${value.trim().toLowerCase()}`, async () => {
      if ((await userLookupPath()) === 'esearch') return searchUser(fieldName, value);
      return fieldName === 'email' ? listUserByEmail(value) : getUserByExternalId(value);
    });
  }

  function getUser(userId: string): Promise<KalturaUser | null> {
    // User ids compare case-insensitively in Kaltura.
    return cache.get(`user:${userId.trim().toLowerCase()}`, async () => {
      try {
        return toUser(await read<WireUser>('user', 'get', { userId }));
      } catch (err) {
        if (hasCode(err, 'INVALID_USER_ID')) return null;
        throw err;
      }
    });
  }

  async function addContentAndCategories(entryId: string, tokenId: string, categoryIds: number[]): Promise<{ entry: KalturaEntry; categoryError?: Error }> {
    const [content, ...links] = await client.multi([addContentRequest(entryId, tokenId), ...categoryIds.map((id) => categoryLinkRequest(id, entryId))]);
    return { entry: toEntry(valueOf<WireEntry>(content)), categoryError: categoryErrorOf(links) };
  }

  function findCategoryByFullName(fullName: string): Promise<KalturaCategory | null> {
    // A missing category is not remembered: zk may create it (categories.createMissing).
    return cache.get(`category-full:${fullName}`, () => readCategoryByFullName(fullName), (c) => c !== null);
  }

  async function readCategoryByName(name: string): Promise<KalturaCategory | null> {
    const res = await read<WireList<WireCategory>>('category', 'list', {
      filter: { objectType: 'KalturaCategoryFilter', nameOrReferenceIdStartsWith: name },
      pager: { objectType: 'KalturaFilterPager', pageSize: 500, pageIndex: 1 },
    });
    const hits = (res.objects ?? []).filter((c) => c.name === name);
    if (hits.length > 1) {
      const names = hits.slice(0, 5).map((c) => `"${c.fullName}"`).join(', ');
      throw new PermanentError(`category name "${name}" matches ${hits.length} Kaltura categories (${names}${hits.length > 5 ? ', …' : ''})`, {
        code: 'CATEGORY_AMBIGUOUS',
        source: 'kaltura',
      });
    }
    return hits.length === 1 ? toCategory(hits[0]) : null;
  }

  async function readCategoryByFullName(fullName: string): Promise<KalturaCategory | null> {
    const res = await read<WireList<WireCategory>>('category', 'list', {
      filter: { objectType: 'KalturaCategoryFilter', fullNameEqual: fullName },
    });
    const hits = (res.objects ?? []).filter((c) => c.fullName === fullName);
    return hits.length === 1 ? toCategory(hits[0]) : null;
  }

  const integration = createIntegrationLookup(client);

  /** zk's own referenceId lookup. Always a status filter: without one Kaltura lists READY entries only, hiding in-flight ones. */
  function ownLookupParams(referenceId: string): Record<string, unknown> {
    return {
      filter: {
        objectType: 'KalturaMediaEntryFilter',
        referenceIdEqual: referenceId,
        statusNotIn: String(DELETED),
        moderationStatusIn: ALL_MODERATION_STATUSES,
        orderBy: '+createdAt',
      },
      pager: { objectType: 'KalturaFilterPager', pageSize: 500, pageIndex: 1 },
    };
  }

  function ownEntryOf(res: WireList<WireEntry>, referenceId: string): KalturaEntry | null {
    const entries = (res.objects ?? []).map(toEntry).filter((e) => e.referenceId === referenceId && e.status !== DELETED);
    // Prefer the oldest live entry; an errored one is returned only when nothing better exists.
    return entries.find((e) => !ERROR_STATES.has(e.status)) ?? entries[entries.length - 1] ?? null;
  }

  async function findEntryByReferenceId(referenceId: string): Promise<KalturaEntry | null> {
    return ownEntryOf(await read<WireList<WireEntry>>('media', 'list', ownLookupParams(referenceId)), referenceId);
  }

  return {
    // Adoption's read-only view of Kaltura's own Zoom integration (src/kaltura/integration-lookup.ts).
    findIntegrationEntries: integration.findIntegrationEntries,
    listIntegrationAssets: integration.listIntegrationAssets,

    findEntryByReferenceId,

    async findIntegrationEntriesAndOwn(referenceIds, ownReferenceId) {
      if (!fitsOneIntegrationRead(referenceIds)) return { entries: await integration.findIntegrationEntries(referenceIds), own: await findEntryByReferenceId(ownReferenceId) };
      // Two reads in one round trip; a lost answer is simply read again (idempotent).
      const [found, own] = await client.multi(
        [
          { service: 'media', action: 'list', params: integrationListParams([...new Set(referenceIds)], 1) },
          { service: 'media', action: 'list', params: ownLookupParams(ownReferenceId) },
        ],
        { idempotent: true },
      );
      return {
        entries: await integration.entriesFromFirstPage(referenceIds, valueOf<WireList<unknown>>(found)),
        own: ownEntryOf(valueOf<WireList<WireEntry>>(own), ownReferenceId),
      };
    },

    async createEntry(entry) {
      return toEntry(await create<WireEntry>('media', 'add', { entry: entryFields(entry, true) }));
    },

    async createEntryWithUploadToken(entry, fileName, fileSize) {
      // One round trip. A lost answer is recovered like a lost media.add (the referenceId lookup adopts
      // the entry); the token it made is then simply never used.
      const [added, token] = await client.multi([
        { service: 'media', action: 'add', params: { entry: entryFields(entry, true) } },
        { service: 'uploadtoken', action: 'add', params: { uploadToken: { objectType: 'KalturaUploadToken', fileName, fileSize } } },
      ]);
      return { entry: toEntry(valueOf<WireEntry>(added)), token: token.ok ? toToken(token.value as WireUploadToken) : null };
    },

    async getEntryWithFlavors(entryId) {
      const [entry, flavors] = await client.multi(
        [
          { service: 'media', action: 'get', params: { entryId } },
          {
            service: 'flavorasset',
            action: 'list',
            params: { filter: { objectType: 'KalturaAssetFilter', entryIdEqual: entryId }, pager: { objectType: 'KalturaFilterPager', pageSize: 500, pageIndex: 1 } },
          },
        ],
        { idempotent: true },
      );
      if (!entry.ok && hasCode(entry.error, 'ENTRY_ID_NOT_FOUND')) return { entry: null, flavors: [] };
      const found = toEntry(valueOf<WireEntry>(entry));
      const list = valueOf<WireList<WireFlavorAsset>>(flavors);
      const rows = list.objects ?? [];
      // More than one page (never seen for one entry, but a list is never cut short): read them all.
      const all = rows.length < (list.totalCount ?? 0) ? await listAll<WireFlavorAsset>('flavorasset', { objectType: 'KalturaAssetFilter', entryIdEqual: entryId }) : rows;
      return { entry: found, flavors: all.map(toFlavor) };
    },

    async getEntry(entryId) {
      try {
        return toEntry(await read<WireEntry>('media', 'get', { entryId }));
      } catch (err) {
        if (hasCode(err, 'ENTRY_ID_NOT_FOUND')) return null;
        throw err;
      }
    },

    async listFlavors(entryId) {
      const rows = await listAll<WireFlavorAsset>('flavorasset', { objectType: 'KalturaAssetFilter', entryIdEqual: entryId });
      return rows.map(toFlavor);
    },

    async deleteEntry(entryId) {
      try {
        await client.call('media', 'delete', { entryId }, { idempotent: true });
      } catch (err) {
        if (hasCode(err, 'ENTRY_ID_NOT_FOUND')) return;
        throw err;
      }
    },

    async createUploadToken(fileName, fileSize) {
      return toToken(await create<WireUploadToken>('uploadtoken', 'add', { uploadToken: { objectType: 'KalturaUploadToken', fileName, fileSize } }));
    },

    async getUploadToken(tokenId) {
      try {
        return toToken(await read<WireUploadToken>('uploadtoken', 'get', { uploadTokenId: tokenId }));
      } catch (err) {
        if (hasCode(err, 'UPLOAD_TOKEN_NOT_FOUND')) return null;
        throw err;
      }
    },

    async uploadChunk(tokenId, chunk, o, signal) {
      const fields = {
        uploadTokenId: tokenId,
        resume: o.resume ? '1' : '0',
        finalChunk: o.finalChunk ? '1' : '0',
        resumeAt: String(o.resumeAt),
      };
      try {
        // Idempotent by offset: resending the same bytes at the same resumeAt changes nothing.
        return toToken(await client.upload<WireUploadToken>(fields, chunk, o.fileName, { idempotent: true, signal }));
      } catch (err) {
        // A final chunk whose earlier attempt landed (response lost) finds the token already complete.
        if (o.finalChunk && hasCode(err, 'UPLOAD_TOKEN_INVALID_STATUS_FOR_UPLOAD')) {
          const token = await read<WireUploadToken>('uploadtoken', 'get', { uploadTokenId: tokenId });
          const state = toToken(token);
          if (state.status >= 2 && state.uploadedFileSize === Math.max(o.resumeAt, 0) + chunk.length) return state;
        }
        throw err;
      }
    },

    async addContentFromUploadToken(entryId, tokenId) {
      return toEntry(
        await client.call<WireEntry>('media', 'addContent', {
          entryId,
          resource: { objectType: 'KalturaUploadedFileTokenResource', token: tokenId },
        }),
      );
    },

    addContentAndCategories,

    async uploadFinalChunkWithContent(tokenId, chunk, o, entryId, categoryIds, signal) {
      const upload = {
        service: 'uploadtoken',
        action: 'upload',
        params: { uploadTokenId: tokenId, resume: o.resume ? '1' : '0', finalChunk: '1', resumeAt: String(o.resumeAt) },
      };
      // addContent names the token by back-reference to the upload's answer: if the chunk fails, the
      // reference is empty and addContent fails too, so an incomplete token is never attached.
      const [sent, content, ...links] = await client.multi(
        [upload, addContentRequest(entryId, '{1:result:id}'), ...categoryIds.map((id) => categoryLinkRequest(id, entryId))],
        { signal },
        { item: 1, chunk, fileName: o.fileName },
      );
      if (!sent.ok) {
        // The chunk landed before (its answer was lost): the token is complete, so submit it on its own.
        if (!hasCode(sent.error, 'UPLOAD_TOKEN_INVALID_STATUS_FOR_UPLOAD')) throw sent.error;
        const state = toToken(await read<WireUploadToken>('uploadtoken', 'get', { uploadTokenId: tokenId }));
        if (!(state.status >= 2 && state.uploadedFileSize === Math.max(o.resumeAt, 0) + chunk.length)) throw sent.error;
        try {
          const rest = await addContentAndCategories(entryId, tokenId, categoryIds);
          return { token: state, content: { entry: rest.entry, categoryError: rest.categoryError } };
        } catch (err) {
          return { token: state, content: { error: err as Error } };
        }
      }
      const token = toToken(sent.value as WireUploadToken);
      const categoryError = categoryErrorOf(links);
      return { token, content: content.ok ? { entry: toEntry(content.value as WireEntry), categoryError } : { error: content.error, categoryError } };
    },

    async addContentFromUrl(entryId, url, headers) {
      return toEntry(
        await client.call<WireEntry>('media', 'addContent', {
          entryId,
          resource: {
            objectType: 'KalturaUrlResource',
            url,
            urlHeaders: headers.map((value) => ({ objectType: 'KalturaString', value })),
            shouldRedirect: true,
            forceAsyncDownload: true,
          },
        }),
      );
    },

    async updateEntry(entryId, fields) {
      return toEntry(await client.call<WireEntry>('media', 'update', { entryId, mediaEntry: entryFields(fields, false) }, { idempotent: true }));
    },

    getUser,
    userLookupPath,

    async getUserOrSearch(userId, search) {
      const [fieldName, value] = search.email !== undefined ? (['email', search.email] as const) : (['external_id', search.externalId ?? ''] as const);
      const idKey = `user:${userId.trim().toLowerCase()}`;
      const searchKey = `user-by-${fieldName}:${value.trim().toLowerCase()}`;
      const sequential = async () => {
        const byId = await getUser(userId);
        return { byId, bySearch: byId && byId.status !== USER_DELETED ? null : await findUserBy(fieldName, value) };
      };
      // Both reads in one round trip only where eSearch answers (without it the search is a paged list).
      if (cache.has(idKey) || (await userLookupPath()) !== 'esearch') return sequential();
      const [got, found] = await client.multi(
        [
          { service: 'user', action: 'get', params: { userId } },
          { service: 'elasticsearch_esearch', action: 'searchUser', params: searchUserParams(fieldName, value) },
        ],
        { idempotent: true },
      );
      const byId = got.ok ? toUser(got.value as WireUser) : hasCode(got.error, 'INVALID_USER_ID') ? null : valueOf<never>(got);
      cache.set(idKey, byId);
      if (byId && byId.status !== USER_DELETED) return { byId, bySearch: null };
      const bySearch = searchMatch(valueOf<WireList<{ object: WireUser }>>(found), fieldName, value);
      cache.set(searchKey, bySearch);
      return { byId, bySearch };
    },

    findUserByEmail: (email) => findUserBy('email', email),
    findUserByExternalId: (externalId) => findUserBy('external_id', externalId),

    async addUser(user) {
      const body: Record<string, unknown> = { objectType: 'KalturaUser', id: user.id, type: 0, status: 1 };
      if (user.email) body.email = user.email;
      const added = toUser(await create<WireUser>('user', 'add', { user: body }));
      cache.set(`user:${added.id.trim().toLowerCase()}`, added);
      return added;
    },

    listUserGroupIds(userId) {
      return cache.get(`groups:${userId.trim().toLowerCase()}`, async () => {
        const rows = await listAll<{ groupId: string }>('groupuser', { objectType: 'KalturaGroupUserFilter', userIdEqual: userId });
        return [...new Set(rows.map((r) => r.groupId))];
      });
    },

    findCategoryByFullName,

    findCategoryByName: (name) => cache.get(`category-name:${name}`, () => readCategoryByName(name), (c) => c !== null),

    async addCategory(parentId, name) {
      try {
        return toCategory(await create<WireCategory>('category', 'add', { category: { objectType: 'KalturaCategory', parentId: parentId ?? 0, name } }));
      } catch (err) {
        if (!hasCode(err, 'DUPLICATE_CATEGORY')) throw err;
        // Someone (or our own lost response) created it: return the existing one.
        const parent = parentId ? await read<WireCategory>('category', 'get', { id: parentId }) : undefined;
        const existing = await findCategoryByFullName(parent ? `${parent.fullName}>${name}` : name);
        if (!existing) throw err;
        return existing;
      }
    },

    async addCategoryEntry(categoryId, entryId) {
      try {
        await create('categoryentry', 'add', { categoryEntry: { objectType: 'KalturaCategoryEntry', categoryId, entryId } });
      } catch (err) {
        if (hasCode(err, 'CATEGORY_ENTRY_ALREADY_EXISTS')) return;
        throw err;
      }
    },

    async listCategoryIdsOfEntry(entryId) {
      const rows = await listAll<{ categoryId: number | string }>('categoryentry', { objectType: 'KalturaCategoryEntryFilter', entryIdEqual: entryId });
      return rows.map((r) => Number(r.categoryId));
    },

    async listCaptionLabels(entryId) {
      const rows = await listAll<WireAsset>('caption_captionasset', { objectType: 'KalturaCaptionAssetFilter', entryIdEqual: entryId });
      return rows.map((r) => ({ id: r.id, label: r.label ?? '' }));
    },

    async addCaption(entryId, caption) {
      return toAssetState('caption', await addWithContent('caption_captionasset', {
        entryId,
        captionAsset: {
          objectType: 'KalturaCaptionAsset',
          label: caption.label,
          language: kalturaLanguage(caption.language),
          format: CAPTION_FORMAT[caption.format],
          fileExt: CAPTION_EXT[caption.format],
        },
      }, caption.content));
    },

    async listAttachmentFilenames(entryId) {
      const rows = await listAll<WireAsset>('attachment_attachmentasset', { objectType: 'KalturaAttachmentAssetFilter', entryIdEqual: entryId });
      return rows.map((r) => ({ id: r.id, filename: r.filename ?? '' }));
    },

    async addTextAttachment(entryId, attachment) {
      return toAssetState('attachment', await addWithContent('attachment_attachmentasset', {
        entryId,
        attachmentAsset: {
          objectType: 'KalturaAttachmentAsset',
          filename: attachment.filename,
          title: attachment.title,
          format: '1',
          fileExt: 'txt',
        },
      }, attachment.content));
    },

    async listAssets(kind, entryId) {
      const rows = await listAll<WireAsset>(ASSET_SERVICE[kind], { objectType: ASSET_FILTER[kind], entryIdEqual: entryId });
      return rows.map((r) => toAssetState(kind, r));
    },

    async getEntryWithFlavorsAndAssets(entryId, kinds) {
      const flavorFilter = { objectType: 'KalturaAssetFilter', entryIdEqual: entryId };
      const assetFilter = (kind: AssetKind) => ({ objectType: ASSET_FILTER[kind], entryIdEqual: entryId });
      // Reads only, in one round trip; a lost answer is simply read again.
      const [entry, flavors, ...lists] = await client.multi(
        [
          { service: 'media', action: 'get', params: { entryId } },
          { service: 'flavorasset', action: 'list', params: { filter: flavorFilter, pager: { objectType: 'KalturaFilterPager', pageSize: 500, pageIndex: 1 } } },
          ...kinds.map((kind) => ({ service: ASSET_SERVICE[kind], action: 'list', params: { filter: assetFilter(kind), pager: { objectType: 'KalturaFilterPager', pageSize, pageIndex: 1 } } })),
        ],
        { idempotent: true },
      );
      if (!entry.ok && hasCode(entry.error, 'ENTRY_ID_NOT_FOUND')) return { entry: null, flavors: [], assets: Object.fromEntries(kinds.map((k) => [k, []])) };
      const found = toEntry(valueOf<WireEntry>(entry));
      const flavorList = valueOf<WireList<WireFlavorAsset>>(flavors);
      const flavorRows = flavorList.objects ?? [];
      // A list is never cut short: further pages are read on their own.
      const allFlavors = flavorRows.length < (flavorList.totalCount ?? 0) ? await listAll<WireFlavorAsset>('flavorasset', flavorFilter) : flavorRows;
      const assets: Partial<Record<AssetKind, KalturaAssetState[]>> = {};
      for (const [i, kind] of kinds.entries()) {
        const list = valueOf<WireList<WireAsset>>(lists[i]);
        const rows = list.objects ?? [];
        const all = rows.length >= pageSize && rows.length < (list.totalCount ?? 0) ? await listAll<WireAsset>(ASSET_SERVICE[kind], assetFilter(kind)) : rows;
        assets[kind] = all.map((r) => toAssetState(kind, r));
      }
      return { entry: found, flavors: allFlavors.map(toFlavor), assets };
    },

    async getEntryWithAssets(kind, entryId) {
      const filter = { objectType: ASSET_FILTER[kind], entryIdEqual: entryId };
      // Two reads in one round trip (a caption's or chat's re-check before its Zoom delete).
      const [entry, assets] = await client.multi(
        [
          { service: 'media', action: 'get', params: { entryId } },
          { service: ASSET_SERVICE[kind], action: 'list', params: { filter, pager: { objectType: 'KalturaFilterPager', pageSize, pageIndex: 1 } } },
        ],
        { idempotent: true },
      );
      const found = !entry.ok && hasCode(entry.error, 'ENTRY_ID_NOT_FOUND') ? null : toEntry(valueOf<WireEntry>(entry));
      const list = valueOf<WireList<WireAsset>>(assets);
      const rows = list.objects ?? [];
      // A list is never cut short: further pages are read on their own.
      const all = rows.length >= pageSize && rows.length < (list.totalCount ?? 0) ? await listAll<WireAsset>(ASSET_SERVICE[kind], filter) : rows;
      return { entry: found, assets: all.map((r) => toAssetState(kind, r)) };
    },

    async deleteAsset(kind, assetId) {
      try {
        await client.call(ASSET_SERVICE[kind], 'delete', { [ASSET_ID_PARAM[kind]]: assetId }, { idempotent: true });
      } catch (err) {
        if (hasCode(err, ASSET_NOT_FOUND[kind])) return;
        throw err;
      }
    },
  };

  /**
   * The asset's add and setContent in one multirequest (setContent takes the new id by back-reference).
   * An asset left without content would make the label/filename check skip it forever, so a failed
   * setContent removes it. A lost answer leaves what the next attempt's lookup by name repairs
   * (the create is recorded in flight before this call).
   */
  async function addWithContent(service: string, addParams: Record<string, unknown>, content: string): Promise<WireAsset> {
    const [added, set] = await client.multi([
      { service, action: 'add', params: addParams },
      { service, action: 'setContent', params: { id: '{1:result:id}', contentResource: { objectType: 'KalturaStringResource', content } } },
    ]);
    const asset = valueOf<WireAsset>(added);
    if (set.ok) return set.value as WireAsset;
    const idParam = service === 'caption_captionasset' ? 'captionAssetId' : 'attachmentAssetId';
    await client.call(service, 'delete', { [idParam]: asset.id }, { idempotent: true }).catch(() => undefined);
    throw set.error;
  }
}
