/** category and categoryentry. */
import { apiError } from '../api-error.js';
import { nowSec, type CallContext, type ServiceDef } from '../context.js';
import type { CategoryEntryRecord, CategoryRecord } from '../store.js';
import { categoryEntryWire, categoryWire, listWire } from '../wire.js';
import { pageOf } from './paging.js';

const MAX_CATEGORIES_PER_ENTRY = 32;

function findCategory(call: CallContext, id: number): CategoryRecord {
  const c = call.ctx.store.categories.get(id);
  if (!c || c.partnerId !== call.partnerId) throw apiError('CATEGORY_NOT_FOUND', id);
  return c;
}

/** Shared by categoryentry.add and media.add(categoriesIds). */
export function addCategoryEntry(call: CallContext, categoryId: number, entryId: string): CategoryEntryRecord {
  const { store } = call.ctx;
  const entry = store.liveEntry(call.partnerId, entryId);
  if (!entry) throw apiError('INVALID_ENTRY_ID', entryId);
  const cat = findCategory(call, categoryId);
  if (entry.parentEntryId) throw apiError('ASSIGNING_INFO_TO_ENTRY_WITH_PARENT_IS_FORBIDDEN', entryId);
  const links = store.categoryEntries.filter((ce) => ce.partnerId === call.partnerId && ce.entryId === entryId && ce.status === 2);
  if (links.some((ce) => ce.categoryId === cat.id)) throw apiError('CATEGORY_ENTRY_ALREADY_EXISTS');
  if (links.length >= MAX_CATEGORIES_PER_ENTRY) throw apiError('MAX_CATEGORIES_FOR_ENTRY_REACHED', MAX_CATEGORIES_PER_ENTRY);
  const ce: CategoryEntryRecord = {
    partnerId: call.partnerId,
    categoryId: cat.id,
    entryId,
    status: 2,
    creatorUserId: call.ks?.userId ?? '',
    createdAt: nowSec(call.ctx),
  };
  store.categoryEntries.push(ce);
  return ce;
}

export function createCategory(
  store: CallContext['ctx']['store'],
  partnerId: number,
  parent: CategoryRecord | undefined,
  name: string,
  now: number,
  id?: number,
): CategoryRecord {
  const cid = id ?? store.newCategoryId();
  const c: CategoryRecord = {
    partnerId,
    id: cid,
    parentId: parent?.id ?? 0,
    name,
    fullName: parent ? `${parent.fullName}>${name}` : name,
    fullIds: parent ? `${parent.fullIds}>${cid}` : String(cid),
    createdAt: now,
    updatedAt: now,
  };
  store.categories.set(cid, c);
  return c;
}

export const categoryService: ServiceDef = {
  get: { name: 'get', handler: (call, p) => categoryWire(findCategory(call, p.int('id') ?? Number(p.reqStr('id')))) },
  add: {
    name: 'add',
    adminOnly: true,
    handler: (call, p) => {
      const o = p.reqObj('category');
      const name = o.str('name');
      if (!name) throw apiError('PROPERTY_VALIDATION_CANNOT_BE_NULL', 'KalturaCategory::name');
      const parentId = o.int('parentId') ?? 0;
      let parent: CategoryRecord | undefined;
      if (parentId > 0) {
        parent = call.ctx.store.categories.get(parentId);
        if (!parent || parent.partnerId !== call.partnerId) throw apiError('PARENT_CATEGORY_NOT_FOUND', parentId);
      }
      const fullName = parent ? `${parent.fullName}>${name}` : name;
      if ([...call.ctx.store.categories.values()].some((c) => c.partnerId === call.partnerId && c.fullName === fullName)) {
        throw apiError('DUPLICATE_CATEGORY', fullName);
      }
      const c = createCategory(call.ctx.store, call.partnerId, parent, name, nowSec(call.ctx));
      c.referenceId = o.str('referenceId') || undefined;
      return categoryWire(c);
    },
  },
  list: {
    name: 'list',
    handler: (call, p) => {
      const f = p.obj('filter');
      const idIn = f?.str('idIn')?.split(',').map(Number);
      const fullNameIn = f?.str('fullNameIn')?.split(',');
      const prefix = f?.str('nameOrReferenceIdStartsWith')?.toLowerCase();
      const all = [...call.ctx.store.categories.values()]
        .filter(
          (c) =>
            c.partnerId === call.partnerId &&
            (f?.int('idEqual') === undefined || c.id === f.int('idEqual')) &&
            (!idIn || idIn.includes(c.id)) &&
            (f?.int('parentIdEqual') === undefined || c.parentId === f.int('parentIdEqual')) &&
            (!f?.str('fullNameEqual') || c.fullName === f.str('fullNameEqual')) &&
            (!f?.str('fullNameStartsWith') || c.fullName.startsWith(f.str('fullNameStartsWith')!)) &&
            (!fullNameIn || fullNameIn.includes(c.fullName)) &&
            (!f?.str('referenceIdEqual') || c.referenceId === f.str('referenceIdEqual')) &&
            (!prefix || c.name.toLowerCase().startsWith(prefix) || (c.referenceId ?? '').toLowerCase().startsWith(prefix)),
        )
        .sort((a, b) => a.id - b.id);
      return listWire('KalturaCategoryListResponse', pageOf(all, p.obj('pager')).map(categoryWire), all.length);
    },
  },
};

export const categoryEntryService: ServiceDef = {
  add: {
    name: 'add',
    handler: (call, p) => {
      const o = p.reqObj('categoryEntry');
      const entryId = o.str('entryId');
      const categoryId = o.int('categoryId');
      if (!entryId) throw apiError('PROPERTY_VALIDATION_CANNOT_BE_NULL', 'KalturaCategoryEntry::entryId');
      if (categoryId === undefined) throw apiError('PROPERTY_VALIDATION_CANNOT_BE_NULL', 'KalturaCategoryEntry::categoryId');
      const ce = addCategoryEntry(call, categoryId, entryId);
      return categoryEntryWire(ce, call.ctx.store.categories.get(ce.categoryId)!.fullIds);
    },
  },
  list: {
    name: 'list',
    handler: (call, p) => {
      const f = p.obj('filter');
      const entryIdIn = f?.str('entryIdIn')?.split(',');
      const categoryIdIn = f?.str('categoryIdIn')?.split(',').map(Number);
      const entryIdEqual = f?.str('entryIdEqual');
      const categoryIdEqual = f?.int('categoryIdEqual');
      if (!entryIdEqual && !entryIdIn && categoryIdEqual === undefined && !categoryIdIn) throw apiError('MUST_FILTER_ON_ENTRY_OR_CATEGORY');
      const all = call.ctx.store.categoryEntries.filter(
        (ce) =>
          ce.partnerId === call.partnerId &&
          ce.status === 2 &&
          (!entryIdEqual || ce.entryId === entryIdEqual) &&
          (!entryIdIn || entryIdIn.includes(ce.entryId)) &&
          (categoryIdEqual === undefined || ce.categoryId === categoryIdEqual) &&
          (!categoryIdIn || categoryIdIn.includes(ce.categoryId)),
      );
      const fullIds = (ce: CategoryEntryRecord) => call.ctx.store.categories.get(ce.categoryId)?.fullIds ?? '';
      return listWire('KalturaCategoryEntryListResponse', pageOf(all, p.obj('pager')).map((ce) => categoryEntryWire(ce, fullIds(ce))), all.length);
    },
  },
  delete: {
    name: 'delete',
    handler: (call, p) => {
      const entryId = p.reqStr('entryId');
      const categoryId = p.int('categoryId') ?? Number(p.reqStr('categoryId'));
      const link = call.ctx.store.categoryEntries.find(
        (ce) => ce.partnerId === call.partnerId && ce.entryId === entryId && ce.categoryId === categoryId && ce.status === 2,
      );
      if (!link) throw apiError('ENTRY_IS_NOT_ASSIGNED_TO_CATEGORY');
      link.status = 3;
      return null;
    },
  },
};
