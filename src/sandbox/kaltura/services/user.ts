/** user, groupuser and the eSearch searchUser subset that Kaltura's Zoom integration uses. */
import { apiError } from '../api-error.js';
import { nowSec, type CallContext, type SandboxContext, type ServiceDef } from '../context.js';
import { asArray, isPlainObject, Params } from '../params.js';
import { sameUserId, type GroupUserRecord, type UserRecord } from '../store.js';
import { groupUserWire, listWire, userWire, wire } from '../wire.js';
import { pageOf } from './paging.js';

const USER_ID_RE = /^[A-Za-z0-9,!#$%&'*+?^_`{|}~.@-]{1,320}$/;

/**
 * Owners and entitled users are auto-created (KalturaBaseEntry::ensureKusersExist).
 * Returns the id as stored: an existing user's own case wins over the caller's.
 */
export function ensureUser(ctx: SandboxContext, partnerId: number, id: string): string {
  if (!id) return id;
  const existing = ctx.store.user(partnerId, id);
  if (existing) return existing.id;
  ctx.store.putUser({ partnerId, id, status: 1, type: 0, isAdmin: false, createdAt: nowSec(ctx), updatedAt: nowSec(ctx) });
  return id;
}

/** Comma-separated user ids: auto-creates missing ones, drops deleted ones. */
export function normaliseUserList(ctx: SandboxContext, partnerId: number, csv: string | undefined): string {
  const ids = (csv ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const out: string[] = [];
  for (const given of ids) {
    const id = ensureUser(ctx, partnerId, given);
    if (ctx.store.user(partnerId, id)?.status === 2) continue;
    if (!out.some((o) => sameUserId(o, id))) out.push(id);
  }
  return out.join(',');
}

function usersOf(call: CallContext): UserRecord[] {
  return [...call.ctx.store.users.values()].filter((u) => u.partnerId === call.partnerId && u.status !== 2);
}

export const userService: ServiceDef = {
  get: {
    name: 'get',
    handler: (call, p) => {
      const id = p.str('userId') || call.ks?.userId || '';
      if (call.ks?.type === 0 && id !== call.ks.userId) throw apiError('CANNOT_RETRIEVE_ANOTHER_USER_USING_NON_ADMIN_SESSION', id);
      const u = call.ctx.store.user(call.partnerId, id);
      if (!u || u.status === 2) throw apiError('INVALID_USER_ID');
      return userWire(u);
    },
  },
  list: {
    name: 'list',
    adminOnly: true,
    handler: (call, p) => {
      const f = p.obj('filter');
      const idIn = f?.str('idIn')?.split(',').map((s) => s.trim());
      const statusIn = f?.str('statusIn')?.split(',').map(Number);
      const typeIn = f?.str('typeIn')?.split(',').map(Number);
      const emailLike = f?.str('emailLike')?.toLowerCase();
      const all = usersOf(call).filter(
        (u) =>
          (!f?.str('idEqual') || sameUserId(u.id, f.str('idEqual'))) &&
          (!idIn || idIn.some((i) => sameUserId(i, u.id))) &&
          (!emailLike || (u.email ?? '').toLowerCase().includes(emailLike)) &&
          (!f?.str('emailStartsWith') || (u.email ?? '').toLowerCase().startsWith(f.str('emailStartsWith')!.toLowerCase())) &&
          (f?.int('statusEqual') === undefined || u.status === f.int('statusEqual')) &&
          (!statusIn || statusIn.includes(u.status)) &&
          (f?.int('typeEqual') === undefined || u.type === f.int('typeEqual')) &&
          (!typeIn || typeIn.includes(u.type)),
      );
      return listWire('KalturaUserListResponse', pageOf(all, p.obj('pager')).map(userWire), all.length);
    },
  },
  add: {
    name: 'add',
    adminOnly: true,
    handler: (call, p) => {
      const { ctx } = call;
      const o = p.reqObj('user');
      const id = o.str('id');
      if (!id) throw apiError('PROPERTY_VALIDATION_CANNOT_BE_NULL', 'KalturaUser::id');
      if (!USER_ID_RE.test(id)) throw apiError('INVALID_FIELD_VALUE', 'id');
      const existing = ctx.store.user(call.partnerId, id);
      if (existing && existing.status !== 2) throw apiError('DUPLICATE_USER_BY_ID', id);
      const email = o.str('email');
      if (email !== undefined && email !== '' && !/^[^@\s]+@[^@\s]+$/.test(email)) throw apiError('INVALID_FIELD_VALUE', 'email');
      const u: UserRecord = {
        partnerId: call.partnerId,
        id,
        email: email || undefined,
        externalId: o.str('externalId') || undefined,
        firstName: o.str('firstName'),
        lastName: o.str('lastName'),
        screenName: o.str('screenName'),
        status: o.int('status') ?? 1,
        type: o.int('type') ?? 0,
        isAdmin: o.bool('isAdmin', false),
        createdAt: nowSec(ctx),
        updatedAt: nowSec(ctx),
      };
      ctx.store.putUser(u);
      return userWire(u);
    },
  },
};

export const groupUserService: ServiceDef = {
  list: {
    name: 'list',
    adminOnly: true,
    handler: (call, p) => {
      const f = p.obj('filter');
      const userIdIn = f?.str('userIdIn')?.split(',').map((s) => s.trim());
      const groupIdIn = f?.str('groupIdIn')?.split(',').map((s) => s.trim());
      if (!f?.str('userIdEqual') && !f?.str('groupIdEqual') && !userIdIn && !groupIdIn) {
        throw apiError('PROPERTY_VALIDATION_CANNOT_BE_NULL', 'userIdEqual,userIdIn,groupIdEqual,groupIdIn');
      }
      const all = call.ctx.store.groupUsers.filter(
        (g) =>
          g.partnerId === call.partnerId &&
          g.status === 0 &&
          (!f?.str('userIdEqual') || sameUserId(g.userId, f.str('userIdEqual'))) &&
          (!f?.str('groupIdEqual') || sameUserId(g.groupId, f.str('groupIdEqual'))) &&
          (!userIdIn || userIdIn.some((i) => sameUserId(i, g.userId))) &&
          (!groupIdIn || groupIdIn.some((i) => sameUserId(i, g.groupId))),
      );
      return listWire('KalturaGroupUserListResponse', pageOf(all, p.obj('pager')).map(groupUserWire), all.length);
    },
  },
  add: {
    name: 'add',
    adminOnly: true,
    handler: (call, p) => {
      const { ctx } = call;
      const o = p.reqObj('groupUser');
      const userId = o.reqStr('userId');
      const groupId = o.reqStr('groupId');
      const user = ctx.store.user(call.partnerId, userId);
      if (!user || user.status === 2) throw apiError('USER_NOT_FOUND');
      const group = ctx.store.user(call.partnerId, groupId);
      if (!group || group.type !== 1) throw apiError('GROUP_NOT_FOUND');
      if (
        ctx.store.groupUsers.some(
          (g) => g.partnerId === call.partnerId && sameUserId(g.userId, userId) && sameUserId(g.groupId, groupId) && g.status === 0,
        )
      ) {
        throw apiError('GROUP_USER_ALREADY_EXISTS');
      }
      const g: GroupUserRecord = {
        partnerId: call.partnerId,
        userId: user.id,
        groupId: group.id,
        status: 0,
        creationMode: o.int('creationMode') ?? 1,
        createdAt: nowSec(ctx),
        updatedAt: nowSec(ctx),
      };
      ctx.store.groupUsers.push(g);
      return groupUserWire(g);
    },
  },
};

const FIELD_OF: Record<string, (u: UserRecord) => string | undefined> = {
  user_id: (u) => u.id,
  email: (u) => u.email,
  external_id: (u) => u.externalId,
  screen_name: (u) => u.screenName,
  first_name: (u) => u.firstName,
  last_name: (u) => u.lastName,
};

/** One eSearch user item; only EXACT_MATCH (1), PARTIAL (2) and STARTS_WITH (3) on text fields. */
function itemMatches(item: Params, u: UserRecord): boolean {
  if ((item.str('objectType') ?? '').endsWith('Operator')) return operatorMatches(item, u);
  const get = FIELD_OF[item.str('fieldName') ?? ''];
  if (!get) return false;
  const value = (get(u) ?? '').toLowerCase();
  const term = (item.str('searchTerm') ?? '').toLowerCase();
  switch (item.int('itemType') ?? 1) {
    case 2:
      return value.includes(term);
    case 3:
      return value.startsWith(term);
    case 4:
      return value !== '';
    default:
      return value !== '' && value === term;
  }
}

function operatorMatches(op: Params, u: UserRecord): boolean {
  const items = asArray(op.raw('searchItems')).filter(isPlainObject).map((i) => new Params(i));
  if (items.length === 0) return true;
  switch (op.int('operator') ?? 1) {
    case 2:
      return items.some((i) => itemMatches(i, u));
    case 3:
      return !items.some((i) => itemMatches(i, u));
    default:
      return items.every((i) => itemMatches(i, u));
  }
}

export const eSearchService: ServiceDef = {
  searchuser: {
    name: 'searchUser',
    adminOnly: true,
    handler: (call, p) => {
      const sp = p.reqObj('searchParams');
      const op = sp.reqObj('searchOperator');
      // objectStatuses: KalturaUserStatus values; default active only, like the eSearch user index.
      const statuses = (sp.str('objectStatuses') ?? '1').split(',').map(Number);
      const all = [...call.ctx.store.users.values()].filter(
        (u) => u.partnerId === call.partnerId && statuses.includes(u.status) && operatorMatches(op, u),
      );
      const objects = pageOf(all, p.obj('pager')).map((u) => wire('KalturaESearchUserResult', { object: userWire(u) }));
      return listWire('KalturaESearchUserResponse', objects, all.length);
    },
  },
};
