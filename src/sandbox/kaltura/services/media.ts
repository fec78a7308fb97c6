/** media, baseentry and flavorasset over one entry store. */
import { apiError } from '../api-error.js';
import { attachToken, startUrlImport, STATUS, TOKEN_STATUS } from '../content.js';
import { nowSec, type CallContext, type ServiceDef } from '../context.js';
import { asArray, isPlainObject, Params } from '../params.js';
import { sameUserId, type EntryRecord, type FlavorRecord } from '../store.js';
import { entryWire, listWire, wire } from '../wire.js';
import { addCategoryEntry } from './category.js';
import { pageOf } from './paging.js';
import { findToken } from './upload-token.js';
import { ensureUser, normaliseUserList } from './user.js';

const READ_ONLY_ON_INSERT = ['id', 'partnerId', 'status', 'moderationStatus', 'createdAt', 'updatedAt', 'rootEntryId', 'plays', 'views', 'duration', 'dataUrl'];
const NOT_UPDATABLE = [...READ_ONLY_ON_INSERT, 'mediaType', 'creatorId'];
const MEDIA_TYPES = [1, 2, 5, 201, 202, 203, 204];
/** KalturaEntryModerationStatus values the sandbox assigns or filters on. */
const MODERATION = { PENDING: 1, REJECTED: 3, AUTO_APPROVED: 6 } as const;

export function findEntry(call: CallContext, id: string): EntryRecord {
  const e = call.ctx.store.liveEntry(call.partnerId, id);
  if (!e) throw apiError('ENTRY_ID_NOT_FOUND', id);
  return e;
}

function rejectProps(o: Params, props: string[], cls: string): void {
  for (const prop of props) if (o.has(prop)) throw apiError('PROPERTY_VALIDATION_NOT_UPDATABLE', `${cls}::${prop}`);
}

function checkReferenceId(o: Params, cls: string): void {
  const ref = o.str('referenceId');
  if (ref !== undefined && ref.length > 0 && ref.length < 2) throw apiError('PROPERTY_VALIDATION_MIN_LENGTH', `${cls}::referenceId`, 2);
}

/** A child inherits the parent's owner as co-editor/publisher/viewer when owners differ. */
function inheritParentOwner(call: CallContext, e: EntryRecord, parent: EntryRecord): void {
  if (!parent.userId || sameUserId(parent.userId, e.userId)) return;
  const add = (csv: string) => normaliseUserList(call.ctx, call.partnerId, [csv, parent.userId].filter(Boolean).join(','));
  e.entitledUsersEdit = add(e.entitledUsersEdit);
  e.entitledUsersPublish = add(e.entitledUsersPublish);
  e.entitledUsersView = add(e.entitledUsersView);
}

function hasCategories(o: Params): boolean {
  return !!(o.str('categories') || o.str('categoriesIds'));
}

function addEntry(call: CallContext, p: Params): EntryRecord {
  const { ctx } = call;
  const o = p.reqObj('entry');
  rejectProps(o, READ_ONLY_ON_INSERT, 'KalturaMediaEntry');
  checkReferenceId(o, 'KalturaMediaEntry');
  const mediaType = o.int('mediaType');
  if (mediaType !== undefined && !MEDIA_TYPES.includes(mediaType)) {
    throw apiError('INVALID_ENUM_VALUE', String(mediaType), 'mediaType', 'KalturaMediaType');
  }
  const parentId = o.str('parentEntryId') || undefined;
  let parent: EntryRecord | undefined;
  if (parentId) {
    if (hasCategories(o)) throw apiError('ASSIGNING_INFO_TO_ENTRY_WITH_PARENT_IS_FORBIDDEN', parentId);
    parent = ctx.store.liveEntry(call.partnerId, parentId);
    if (!parent) throw apiError('PARENT_ENTRY_ID_NOT_FOUND', parentId);
  }
  // The entry keeps the owner id as sent (entry.puser_id); the kuser it points at is found case-insensitively.
  const userId = o.str('userId') || call.ks?.userId || undefined;
  if (userId) ensureUser(ctx, call.partnerId, userId);
  const now = nowSec(ctx);
  const e: EntryRecord = {
    seq: ctx.store.nextSeq(),
    partnerId: call.partnerId,
    id: ctx.store.newEntryId(),
    name: o.str('name') ?? '',
    description: o.str('description'),
    userId,
    creatorId: o.str('creatorId') || userId,
    // A profile without flavors makes media.add answer a READY draft entry.
    status: ctx.deployment.readyAtAdd ? STATUS.READY : STATUS.NO_CONTENT,
    mediaType,
    referenceId: o.str('referenceId') || undefined,
    parentEntryId: parentId,
    tags: o.str('tags'),
    adminTags: o.str('adminTags'),
    entitledUsersEdit: normaliseUserList(ctx, call.partnerId, o.str('entitledUsersEdit')),
    entitledUsersPublish: normaliseUserList(ctx, call.partnerId, o.str('entitledUsersPublish')),
    entitledUsersView: normaliseUserList(ctx, call.partnerId, o.str('entitledUsersView')),
    conversionProfileId: o.int('conversionProfileId'),
    blockAutoTranscript: o.has('blockAutoTranscript') ? o.bool('blockAutoTranscript', false) : undefined,
    sourceType: '1',
    createdAt: now,
    updatedAt: now,
    moderationStatus: ctx.faults.current.entryModeration ? MODERATION.PENDING : MODERATION.AUTO_APPROVED,
    indexedAt: ctx.now() + (ctx.faults.current.indexLagMs ?? 0),
  };
  if (parent) inheritParentOwner(call, e, parent);
  ctx.store.entries.set(e.id, e);
  for (const id of (o.str('categoriesIds') ?? '').split(',').filter(Boolean)) addCategoryEntry(call, Number(id), e.id);
  for (const fullName of (o.str('categories') ?? '').split(',').filter(Boolean)) {
    const cat = [...ctx.store.categories.values()].find((c) => c.partnerId === call.partnerId && c.fullName === fullName);
    if (cat) addCategoryEntry(call, cat.id, e.id);
  }
  return e;
}

function headersOf(resource: Params): string[] {
  return asArray(resource.raw('urlHeaders'))
    .map((h) => (isPlainObject(h) ? String(h.value ?? '') : String(h)))
    .filter(Boolean);
}

async function addContent(call: CallContext, p: Params): Promise<EntryRecord> {
  const { ctx } = call;
  const entryId = p.reqStr('entryId');
  const e = findEntry(call, entryId);
  const resource = p.reqObj('resource');
  const type = resource.str('objectType');
  if (!type || type === 'KalturaResource' || type === 'KalturaContentResource') throw apiError('OBJECT_TYPE_ABSTRACT', type ?? 'KalturaResource');
  // A READY draft (readyAtAdd) without content still takes content, as on Kaltura.
  const draft = e.status === STATUS.READY && !e.content && !e.flavor;
  if (e.status !== STATUS.NO_CONTENT && !draft) throw apiError('ENTRY_ALREADY_WITH_CONTENT');
  if (type === 'KalturaUploadedFileTokenResource') {
    const t = findToken(call, resource.reqStr('token'));
    if (t.status === TOKEN_STATUS.CLOSED || t.status === TOKEN_STATUS.TIMED_OUT) throw apiError('UPLOAD_TOKEN_INVALID_STATUS_FOR_ADD_ENTRY');
    t.attachedEntryId = e.id;
    e.sourceType = '1';
    if (t.status === TOKEN_STATUS.FULL_UPLOAD) {
      await attachToken(ctx, e, t);
    } else {
      e.pendingTokenId = t.id;
      e.status = STATUS.IMPORT;
    }
  } else if (type === 'KalturaUrlResource' || type === 'KalturaRemoteStorageResource') {
    const url = resource.reqStr('url');
    try {
      new URL(url);
    } catch {
      throw apiError('INVALID_FIELD_VALUE', 'url');
    }
    startUrlImport(ctx, e, url, headersOf(resource));
  } else {
    throw apiError('RESOURCE_TYPE_NOT_SUPPORTED', type);
  }
  e.updatedAt = nowSec(ctx);
  return e;
}

function wouldCycle(call: CallContext, entryId: string, parentId: string): boolean {
  const seen = new Set<string>();
  for (let cur: string | undefined = parentId; cur; ) {
    if (cur === entryId || seen.has(cur)) return true;
    seen.add(cur);
    cur = call.ctx.store.entries.get(cur)?.parentEntryId;
  }
  return false;
}

function updateEntry(call: CallContext, p: Params): EntryRecord {
  const { ctx } = call;
  const e = findEntry(call, p.reqStr('entryId'));
  const o = p.reqObj(p.has('mediaEntry') ? 'mediaEntry' : 'baseEntry');
  rejectProps(o, NOT_UPDATABLE, 'KalturaMediaEntry');
  checkReferenceId(o, 'KalturaMediaEntry');
  if (o.isNulled('parentEntryId') || (o.has('parentEntryId') && o.str('parentEntryId') === '')) {
    e.parentEntryId = undefined;
  } else if (o.str('parentEntryId')) {
    const parentId = o.str('parentEntryId')!;
    const parent = ctx.store.liveEntry(call.partnerId, parentId);
    if (!parent) throw apiError('PARENT_ENTRY_ID_NOT_FOUND', parentId);
    if (wouldCycle(call, e.id, parentId)) throw apiError('CYCLE_IN_PARENTAGE');
    e.parentEntryId = parentId;
    inheritParentOwner(call, e, parent);
  }
  if (e.parentEntryId && hasCategories(o)) throw apiError('ASSIGNING_INFO_TO_ENTRY_WITH_PARENT_IS_FORBIDDEN', e.id);
  for (const f of ['name', 'description', 'tags', 'adminTags', 'referenceId'] as const) {
    if (o.isNulled(f)) (e as unknown as Record<string, unknown>)[f] = f === 'name' ? '' : undefined;
    else if (o.str(f) !== undefined) e[f] = o.str(f)!;
  }
  if (o.str('userId')) {
    e.userId = o.str('userId');
    ensureUser(ctx, call.partnerId, e.userId!);
  }
  for (const f of ['entitledUsersEdit', 'entitledUsersPublish', 'entitledUsersView'] as const) {
    if (o.isNulled(f)) e[f] = '';
    else if (o.str(f) !== undefined) e[f] = normaliseUserList(ctx, call.partnerId, o.str(f));
  }
  if (o.int('conversionProfileId') !== undefined) e.conversionProfileId = o.int('conversionProfileId');
  if (o.has('blockAutoTranscript')) e.blockAutoTranscript = o.bool('blockAutoTranscript', false);
  e.updatedAt = nowSec(ctx);
  return e;
}

function listEntries(call: CallContext, p: Params): { page: EntryRecord[]; total: number } {
  const f = p.obj('filter');
  const csv = (name: string) => f?.str(name)?.split(',').map((s) => s.trim()).filter(Boolean);
  const idEqual = f?.str('idEqual');
  const idIn = csv('idIn');
  const refIn = csv('referenceIdIn');
  // Statuses compare as text: plugin values ('virusScan.Infected') are strings in Kaltura's dynamic enum.
  let statusIn = csv('statusIn');
  const statusNotIn = csv('statusNotIn');
  const statusEqual = f?.str('statusEqual');
  // KalturaBaseEntryFilter: without idEqual and without any status field, only READY entries are listed.
  if (!idEqual && statusIn === undefined && statusNotIn === undefined && statusEqual === undefined) statusIn = [String(STATUS.READY)];
  const isRoot = f?.str('isRoot');
  // KalturaBaseEntryFilter::setDefaultModerationStatus: no moderation field hides PENDING and REJECTED entries.
  const modIn = csv('moderationStatusIn')?.map(Number);
  const modNotIn = csv('moderationStatusNotIn')?.map(Number) ??
    (modIn === undefined && f?.int('moderationStatusEqual') === undefined ? [MODERATION.PENDING, MODERATION.REJECTED] : undefined);
  const modEqual = f?.int('moderationStatusEqual');
  const now = call.ctx.now();
  const all = [...call.ctx.store.entries.values()].filter(
    (e) =>
      e.partnerId === call.partnerId &&
      e.indexedAt <= now &&
      (!modIn || modIn.includes(e.moderationStatus)) &&
      (!modNotIn || !modNotIn.includes(e.moderationStatus)) &&
      (modEqual === undefined || e.moderationStatus === modEqual) &&
      e.status !== STATUS.DELETED &&
      (!idEqual || e.id === idEqual) &&
      (!idIn || idIn.includes(e.id)) &&
      (!f?.str('referenceIdEqual') || e.referenceId === f.str('referenceIdEqual')) &&
      (!refIn || (e.referenceId !== undefined && refIn.includes(e.referenceId))) &&
      (!f?.str('parentEntryIdEqual') || e.parentEntryId === f.str('parentEntryIdEqual')) &&
      (!f?.str('userIdEqual') || e.userId === f.str('userIdEqual')) &&
      (f?.int('mediaTypeEqual') === undefined || e.mediaType === f.int('mediaTypeEqual')) &&
      (statusEqual === undefined || String(e.status) === statusEqual) &&
      (!statusIn || statusIn.includes(String(e.status))) &&
      (!statusNotIn || !statusNotIn.includes(String(e.status))) &&
      (isRoot === undefined || isRoot === '' || (isRoot === '1' || isRoot === 'true') === !e.parentEntryId),
  );
  const order = f?.str('orderBy') ?? '-createdAt';
  const dir = order.startsWith('+') ? 1 : -1;
  const key = order.replace(/^[+-]/, '') === 'updatedAt' ? 'updatedAt' : 'createdAt';
  all.sort((a, b) => dir * (a[key] - b[key] || a.seq - b.seq));
  return { page: pageOf(all, p.obj('pager')), total: all.length };
}

function deleteEntry(call: CallContext, p: Params): null {
  const e = findEntry(call, p.reqStr('entryId'));
  e.status = STATUS.DELETED;
  e.updatedAt = nowSec(call.ctx);
  return null;
}

export const mediaService: ServiceDef = {
  add: { name: 'add', handler: (call, p) => entryWire(addEntry(call, p)) },
  addcontent: { name: 'addContent', handler: async (call, p) => entryWire(await addContent(call, p)) },
  get: { name: 'get', handler: (call, p) => entryWire(findEntry(call, p.reqStr('entryId'))) },
  list: {
    name: 'list',
    handler: (call, p) => {
      const { page, total } = listEntries(call, p);
      return listWire('KalturaMediaListResponse', page.map(entryWire), total);
    },
  },
  update: { name: 'update', handler: (call, p) => entryWire(updateEntry(call, p)) },
  delete: { name: 'delete', handler: deleteEntry },
};

export const baseEntryService: ServiceDef = {
  get: mediaService.get,
  update: { name: 'update', handler: (call, p) => entryWire(updateEntry(call, p)) },
  delete: mediaService.delete,
  list: {
    name: 'list',
    handler: (call, p) => {
      const { page, total } = listEntries(call, p);
      return listWire('KalturaBaseEntryListResponse', page.map(entryWire), total);
    },
  },
};

function flavorWire(e: EntryRecord, f: FlavorRecord, skew: number): ReturnType<typeof wire> {
  const sizeBytes = f.sizeBytes + (f.isOriginal === false ? 0 : skew);
  return wire('KalturaFlavorAsset', {
    flavorParamsId: f.flavorParamsId ?? 0,
    isOriginal: f.isOriginal ?? true,
    fileExt: f.fileExt,
    tags: f.isOriginal === false ? 'web,mbr' : 'source',
    id: f.id,
    entryId: e.id,
    partnerId: e.partnerId,
    version: 1,
    // Kaltura reports `size` in KB; newer servers add the exact `sizeInBytes`.
    size: Math.floor(sizeBytes / 1024),
    sizeInBytes: f.reportSizeInBytes ? sizeBytes : undefined,
    status: f.status,
    description: f.description,
    createdAt: f.createdAt,
    updatedAt: f.createdAt,
  });
}

export const flavorAssetService: ServiceDef = {
  list: {
    name: 'list',
    handler: (call, p) => {
      const f = p.obj('filter');
      const ids = [f?.str('entryIdEqual'), ...(f?.str('entryIdIn')?.split(',') ?? [])].filter((s): s is string => !!s);
      const objects = ids
        .map((id) => call.ctx.store.liveEntry(call.partnerId, id.trim()))
        .filter((e): e is EntryRecord => !!e)
        .flatMap((e) => [...(e.flavor ? [e.flavor] : []), ...(e.converted ?? [])].map((fl) => flavorWire(e, fl, call.ctx.faults.current.flavorSizeSkewBytes ?? 0)));
      const { page, total } = { page: pageOf(objects, p.obj('pager')), total: objects.length };
      return listWire('KalturaFlavorAssetListResponse', page, total);
    },
  },
};
