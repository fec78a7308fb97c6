/** caption_captionasset and attachment_attachmentasset (content kept in memory: they are small). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { apiError } from '../api-error.js';
import { TOKEN_STATUS } from '../content.js';
import { nowSec, type CallContext, type ServiceDef } from '../context.js';
import { asArray, isPlainObject, type Params } from '../params.js';
import type { AssetRecord } from '../store.js';
import { fetchText } from '../url-fetch.js';
import { assetWire, listWire } from '../wire.js';
import { findEntry } from './media.js';
import { pageOf } from './paging.js';
import { findToken } from './upload-token.js';
import { KALTURA_LANGUAGES } from '../../../kaltura-languages/languages.js';

/** KalturaLanguage's values (full names, case-sensitive; ISO codes are not enum values). */
const LANGUAGES = KALTURA_LANGUAGES.names;
const CAPTION_FORMATS: Record<string, string> = { '1': 'srt', '2': 'dfxp', '3': 'vtt', '4': 'cap', '5': 'scc' };
const ATTACHMENT_FORMATS: Record<string, string> = { '1': 'txt', '2': 'media', '3': 'doc', '4': 'json', '5': 'md' };

function findAsset(call: CallContext, kind: AssetRecord['kind'], id: string): AssetRecord {
  const a = call.ctx.store.assets.get(id);
  if (!a || a.kind !== kind || a.partnerId !== call.partnerId || a.status === 3) {
    throw apiError(kind === 'caption' ? 'CAPTION_ASSET_ID_NOT_FOUND' : 'ATTACHMENT_ASSET_ID_NOT_FOUND', id);
  }
  return a;
}

function mediaEntryFor(call: CallContext, entryId: string) {
  const e = findEntry(call, entryId);
  if (e.mediaType !== 1 && e.mediaType !== 5) throw apiError('ENTRY_ID_NOT_FOUND', entryId);
  return e;
}

async function setContent(call: CallContext, a: AssetRecord, p: Params): Promise<void> {
  const { ctx } = call;
  const r = p.reqObj('contentResource');
  const type = r.str('objectType');
  const formats = a.kind === 'caption' ? CAPTION_FORMATS : ATTACHMENT_FORMATS;
  if (!a.fileExt) a.fileExt = formats[a.format ?? ''] ?? 'txt';
  if (type === 'KalturaStringResource') {
    a.content = r.str('content') ?? '';
    a.status = 2;
  } else if (type === 'KalturaUploadedFileTokenResource') {
    const t = findToken(call, r.reqStr('token'));
    if (t.status !== TOKEN_STATUS.FULL_UPLOAD) throw apiError('UPLOAD_TOKEN_INVALID_STATUS_FOR_ADD_ENTRY');
    a.content = await readFile(t.path, 'utf8');
    t.status = TOKEN_STATUS.CLOSED;
    a.status = 2;
  } else if (type === 'KalturaUrlResource') {
    const url = r.reqStr('url');
    const headers = asArray(r.raw('urlHeaders')).map((h) => (isPlainObject(h) ? String(h.value ?? '') : String(h)));
    a.status = 7;
    ctx.track(
      fetchText(url, headers, join(ctx.storageDir, 'tmp', `asset-${a.id}`))
        .then((text) => {
          a.content = text;
          a.status = 2;
          markReady(ctx, a);
        })
        .catch(() => {
          a.status = -1;
        }),
    );
  } else if (!type) {
    throw apiError('OBJECT_TYPE_ABSTRACT', 'KalturaContentResource');
  } else {
    throw apiError('RESOURCE_TYPE_NOT_SUPPORTED', type);
  }
  a.updatedAt = nowSec(ctx);
  markReady(ctx, a);
}

function markReady(ctx: CallContext['ctx'], a: AssetRecord): void {
  if (a.status === 2 && a.readyAt === undefined) a.readyAt = ctx.now();
}

function listAssets(call: CallContext, kind: AssetRecord['kind'], p: Params) {
  const f = p.obj('filter');
  const ids = [f?.str('entryIdEqual'), ...(f?.str('entryIdIn')?.split(',') ?? [])].filter((s): s is string => !!s);
  const all = [...call.ctx.store.assets.values()]
    .filter((a) => a.kind === kind && a.partnerId === call.partnerId && a.status !== 3 && (ids.length === 0 || ids.includes(a.entryId)))
    .sort((x, y) => x.seq - y.seq);
  const type = kind === 'caption' ? 'KalturaCaptionAssetListResponse' : 'KalturaAttachmentAssetListResponse';
  return listWire(type, pageOf(all, p.obj('pager')).map(assetWire), all.length);
}

function deleteAsset(call: CallContext, kind: AssetRecord['kind'], p: Params): null {
  findAsset(call, kind, p.reqStr(kind === 'caption' ? 'captionAssetId' : 'attachmentAssetId')).status = 3;
  return null;
}

/** The actions caption and attachment assets share; only the kind and get's id parameter differ. */
function assetActions(kind: 'caption' | 'attachment', getIdParam: string): ServiceDef {
  return {
    setcontent: {
      name: 'setContent',
      handler: async (call, p) => {
        const a = findAsset(call, kind, p.reqStr('id'));
        await setContent(call, a, p);
        return assetWire(a);
      },
    },
    get: { name: 'get', handler: (call, p) => assetWire(findAsset(call, kind, p.reqStr(getIdParam))) },
    list: { name: 'list', handler: (call, p) => listAssets(call, kind, p) },
    delete: { name: 'delete', handler: (call, p) => deleteAsset(call, kind, p) },
  };
}

export const captionAssetService: ServiceDef = {
  add: {
    name: 'add',
    handler: (call, p) => {
      const { ctx } = call;
      const entry = mediaEntryFor(call, p.reqStr('entryId'));
      const o = p.obj('captionAsset');
      const language = o?.str('language');
      if (language !== undefined && !LANGUAGES.has(language)) throw apiError('INVALID_ENUM_VALUE', language, 'language', 'KalturaLanguage');
      const format = o?.str('format');
      if (format !== undefined && !CAPTION_FORMATS[format]) throw apiError('INVALID_ENUM_VALUE', format, 'format', 'KalturaCaptionType');
      // kParentChildEntryUtils::getCaptionAssetEntryId: captions of a child live on its parent.
      const target = entry.parentEntryId ? ctx.store.liveEntry(call.partnerId, entry.parentEntryId) ?? entry : entry;
      const a: AssetRecord = {
        kind: 'caption',
        seq: ctx.store.nextSeq(),
        partnerId: call.partnerId,
        id: ctx.store.newEntryId(),
        entryId: target.id,
        status: 0,
        label: o?.str('label'),
        language,
        format,
        fileExt: o?.str('fileExt'),
        isDefault: o?.bool('isDefault', false),
        createdAt: nowSec(ctx),
        updatedAt: nowSec(ctx),
      };
      ctx.store.assets.set(a.id, a);
      return assetWire(a);
    },
  },
  ...assetActions('caption', 'captionAssetId'),
};

export const attachmentAssetService: ServiceDef = {
  add: {
    name: 'add',
    handler: (call, p) => {
      const { ctx } = call;
      const entry = findEntry(call, p.reqStr('entryId'));
      const o = p.obj('attachmentAsset');
      const format = o?.str('format');
      if (format !== undefined && !ATTACHMENT_FORMATS[format]) throw apiError('INVALID_ENUM_VALUE', format, 'format', 'KalturaAttachmentType');
      const a: AssetRecord = {
        kind: 'attachment',
        seq: ctx.store.nextSeq(),
        partnerId: call.partnerId,
        id: ctx.store.newEntryId(),
        entryId: entry.id,
        status: 0,
        filename: o?.str('filename'),
        title: o?.str('title'),
        format,
        fileExt: o?.str('fileExt'),
        createdAt: nowSec(ctx),
        updatedAt: nowSec(ctx),
      };
      ctx.store.assets.set(a.id, a);
      return assetWire(a);
    },
  },
  ...assetActions('attachment', 'attachmentAssetId'),
};
