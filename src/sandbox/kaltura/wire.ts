/** Response objects as KalturaJsonSerializer writes them: nulls omitted, objectType last. */
import type { AssetRecord, CategoryEntryRecord, CategoryRecord, EntryRecord, GroupUserRecord, UploadTokenRecord, UserRecord } from './store.js';

export type Wire = Record<string, unknown>;

export function wire(objectType: string, fields: Record<string, unknown>): Wire {
  const out: Wire = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null) out[k] = v;
  out.objectType = objectType;
  return out;
}

export function listWire(objectType: string, objects: Wire[], totalCount: number): Wire {
  return { objects, totalCount, objectType };
}

export function entryWire(e: EntryRecord): Wire {
  return wire('KalturaMediaEntry', {
    mediaType: e.mediaType,
    sourceType: e.sourceType,
    id: e.id,
    name: e.name,
    description: e.description,
    partnerId: e.partnerId,
    userId: e.userId,
    creatorId: e.creatorId,
    tags: e.tags,
    adminTags: e.adminTags,
    status: e.status,
    moderationStatus: e.moderationStatus,
    type: 1,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    referenceId: e.referenceId,
    parentEntryId: e.parentEntryId,
    rootEntryId: e.parentEntryId ?? e.id,
    conversionProfileId: e.conversionProfileId,
    entitledUsersEdit: e.entitledUsersEdit,
    entitledUsersPublish: e.entitledUsersPublish,
    entitledUsersView: e.entitledUsersView,
    blockAutoTranscript: e.blockAutoTranscript,
    msDuration: e.msDuration,
    duration: e.msDuration === undefined ? undefined : Math.round(e.msDuration / 1000),
  });
}

export function tokenWire(t: UploadTokenRecord, uploadUrl: string): Wire {
  return wire('KalturaUploadToken', {
    id: t.id,
    partnerId: t.partnerId,
    userId: t.userId,
    status: t.status,
    fileName: t.fileName,
    fileSize: t.fileSize,
    uploadedFileSize: t.size,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    uploadUrl,
    autoFinalize: t.autoFinalize ? 1 : 0,
    attachedObjectType: t.attachedEntryId ? 'KalturaMediaEntry' : undefined,
    attachedObjectId: t.attachedEntryId,
  });
}

export function userWire(u: UserRecord): Wire {
  const fullName = [u.firstName, u.lastName].filter(Boolean).join(' ') || undefined;
  return wire(u.type === 1 ? 'KalturaGroup' : 'KalturaUser', {
    id: u.id,
    partnerId: u.partnerId,
    type: u.type,
    screenName: u.screenName ?? u.id,
    fullName,
    email: u.email,
    firstName: u.firstName,
    lastName: u.lastName,
    status: u.status,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
    isAdmin: u.isAdmin,
    externalId: u.externalId,
  });
}

export function groupUserWire(g: GroupUserRecord): Wire {
  return wire('KalturaGroupUser', {
    id: `${g.groupId}:${g.userId}`,
    userId: g.userId,
    groupId: g.groupId,
    status: g.status,
    partnerId: g.partnerId,
    createdAt: g.createdAt,
    updatedAt: g.updatedAt,
    creationMode: g.creationMode,
    groupType: 1,
  });
}

export function categoryWire(c: CategoryRecord): Wire {
  return wire('KalturaCategory', {
    id: c.id,
    parentId: c.parentId,
    depth: c.fullIds.split('>').length - 1,
    partnerId: c.partnerId,
    name: c.name,
    fullName: c.fullName,
    fullIds: c.fullIds,
    referenceId: c.referenceId,
    status: 2,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  });
}

export function categoryEntryWire(ce: CategoryEntryRecord, fullIds: string): Wire {
  return wire('KalturaCategoryEntry', {
    categoryId: ce.categoryId,
    entryId: ce.entryId,
    createdAt: ce.createdAt,
    categoryFullIds: fullIds,
    status: ce.status,
    creatorUserId: ce.creatorUserId,
  });
}

export function assetWire(a: AssetRecord): Wire {
  const common = {
    id: a.id,
    entryId: a.entryId,
    partnerId: a.partnerId,
    version: 1,
    // KalturaAsset: `size` in KB (rounded down), `sizeInBytes` exact.
    size: a.content === undefined ? undefined : Math.floor(Buffer.byteLength(a.content) / 1024),
    sizeInBytes: a.content === undefined ? undefined : Buffer.byteLength(a.content),
    fileExt: a.fileExt,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
  if (a.kind === 'caption') {
    return wire('KalturaCaptionAsset', {
      language: a.language,
      languageCode: a.language === 'English' ? 'en' : undefined,
      isDefault: a.isDefault ? 1 : 0,
      label: a.label,
      format: a.format,
      status: a.status,
      ...common,
    });
  }
  return wire('KalturaAttachmentAsset', {
    filename: a.filename,
    title: a.title,
    format: a.format,
    status: a.status,
    ...common,
  });
}
