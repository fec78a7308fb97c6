/** The emulator's wire behaviour: encodings, sessions, error bodies, multirequest, inspection, faults. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKsV2 } from '../../../src/kaltura/ks.js';
import type { KalturaSandbox } from '../../../src/sandbox/kaltura/server.js';
import { KALTURA_DEMO_ADMIN_SECRET, KALTURA_DEMO_USER_SECRET } from '../../../src/sandbox/seed/kaltura-demo.js';
import { demoSandbox } from '../../kaltura/helpers.js';

let sbx: KalturaSandbox;
let ks: string;

const adminKs = (over: Partial<Parameters<typeof generateKsV2>[0]> = {}) =>
  generateKsV2({ adminSecret: KALTURA_DEMO_ADMIN_SECRET, partnerId: 100, userId: 'admin', type: 2, expirySec: 600, now: Date.now(), ...over });

async function post(path: string, body: string, contentType: string): Promise<unknown> {
  const res = await fetch(`${sbx.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
  expect(res.status).toBe(200);
  return res.json();
}
const json = (service: string, action: string, params: Record<string, unknown>) =>
  post(`/api_v3/service/${service}/action/${action}`, JSON.stringify({ format: 1, ks, ...params }), 'application/json');

beforeAll(async () => {
  sbx = await demoSandbox();
  ks = adminKs();
});
afterAll(async () => {
  await sbx.close();
});

describe('request encodings', () => {
  it('form-urlencoded with colon and bracket nesting, case-insensitive names, query service/action', async () => {
    const form = new URLSearchParams({ format: '1', ks, 'entry:objectType': 'KalturaMediaEntry', 'entry[name]': 'form entry', 'entry:mediaType': '1', 'entry:referenceId': 'form:1' });
    const added = (await post('/api_v3/service/MEDIA/action/ADD', form.toString(), 'application/x-www-form-urlencoded')) as Record<string, unknown>;
    expect(added).toMatchObject({ name: 'form entry', referenceId: 'form:1', status: 7 });
    expect(Object.keys(added).at(-1)).toBe('objectType');
    const listed = (await post(
      '/api_v3/index.php?service=media&action=list',
      new URLSearchParams({ format: '1', ks, 'filter:referenceIdEqual': 'form:1', 'filter:statusIn': '7' }).toString(),
      'application/x-www-form-urlencoded',
    )) as { totalCount: number };
    expect(listed.totalCount).toBe(1);
  });

  it('ignores a JSON body sent as "application/json; charset=utf-8", like the real server', async () => {
    const res = await fetch(`${sbx.url}/api_v3/service/media/action/list?format=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ ks }),
    });
    expect(await res.json()).toEqual({ code: 'MISSING_KS', message: 'Missing KS, session not established', objectType: 'KalturaAPIException', args: [] });
  });

  it('answers in XML when no format is given (the server default) and refuses formats it does not emulate', async () => {
    const res = await fetch(`${sbx.url}/api_v3/service/media/action/list`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ks }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/xml');
    expect(await res.text()).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?><xml><result><objectType>KalturaMediaListResponse<\/objectType>/);
    const php = await fetch(`${sbx.url}/api_v3/service/media/action/list`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ks, format: 3 }) });
    expect(php.status).toBe(400);
    expect(await php.text()).toMatch(/format=3/);
  });

  it('multirequest: back-references are 1-based, errors are per item, stops at the first gap', async () => {
    const body = {
      format: 1,
      ks,
      0: { service: 'media', action: 'add', entry: { objectType: 'KalturaMediaEntry', name: 'mr', mediaType: 1 } },
      1: { service: 'media', action: 'get', entryId: '{1:result:id}' },
      2: { service: 'media', action: 'get', entryId: '0_nothere0' },
      4: { service: 'media', action: 'get', entryId: '{1:result:id}' },
    };
    const out = (await post('/api_v3/service/multirequest', JSON.stringify(body), 'application/json')) as Array<Record<string, unknown>>;
    expect(out).toHaveLength(3);
    expect(out[1].id).toBe(out[0].id);
    expect(out[2]).toMatchObject({ code: 'ENTRY_ID_NOT_FOUND', args: { ENTRY_ID: '0_nothere0' } });
  });
});

describe('sessions and errors', () => {
  it('unknown service / action / missing parameter', async () => {
    expect(await json('nosuch', 'list', {})).toMatchObject({ code: 'SERVICE_DOES_NOT_EXISTS', args: { SERVICE_NAME: 'nosuch' } });
    expect(await json('media', 'frobnicate', {})).toMatchObject({
      code: 'ACTION_DOES_NOT_EXISTS',
      message: 'Action "frobnicate" does not exists for service "media"',
    });
    expect(await json('media', 'get', {})).toMatchObject({ code: 'MISSING_MANDATORY_PARAMETER', args: { PARAM_NAME: 'entryId' } });
  });

  it('expired and forged sessions are INVALID_KS with the real args', async () => {
    const expired = adminKs({ now: Date.now() - 3_600_000 });
    expect(await post('/api_v3/service/media/action/list', JSON.stringify({ format: 1, ks: expired }), 'application/json')).toEqual({
      code: 'INVALID_KS',
      message: 'Invalid KS "EXPIRED", Error "-1,INVALID_STR"',
      objectType: 'KalturaAPIException',
      args: { KSID: 'EXPIRED', ERR_CODE: '-1', ERR_DESC: 'INVALID_STR' },
    });
    const forged = adminKs({ adminSecret: 'nope' });
    expect(await post('/api_v3/service/media/action/list', JSON.stringify({ format: 1, ks: forged }), 'application/json')).toMatchObject({
      code: 'INVALID_KS',
      args: { KSID: forged, ERR_CODE: '-1', ERR_DESC: 'INVALID_STR' },
    });
  });

  it('accepts a legacy KS v1', async () => {
    const { createHash } = await import('node:crypto');
    const info = `100;100;${Math.floor(Date.now() / 1000) + 600};2;12345;legacy-admin;disableentitlement`;
    const sig = createHash('sha1').update(KALTURA_DEMO_ADMIN_SECRET + info).digest('hex');
    const v1 = Buffer.from(`${sig}|${info}`).toString('base64');
    expect(await post('/api_v3/service/user/action/get', JSON.stringify({ format: 1, ks: v1, userId: 'alice' }), 'application/json')).toMatchObject({ id: 'alice' });
  });

  it('a USER KS may not call admin-only actions; the user secret only starts USER sessions', async () => {
    const userKs = (await post(
      '/api_v3/service/session/action/start',
      JSON.stringify({ format: 1, secret: KALTURA_DEMO_USER_SECRET, partnerId: 100, type: 0, userId: 'alice' }),
      'application/json',
    )) as string;
    expect(await post('/api_v3/service/user/action/add', JSON.stringify({ format: 1, ks: userKs, user: { id: 'x' } }), 'application/json')).toMatchObject({
      code: 'SERVICE_FORBIDDEN',
      args: { SERVICE: 'user->add' },
    });
    expect(
      await post('/api_v3/service/session/action/start', JSON.stringify({ format: 1, secret: KALTURA_DEMO_USER_SECRET, partnerId: 100, type: 2 }), 'application/json'),
    ).toMatchObject({ code: 'START_SESSION_ERROR' });
  });

  it('validation errors of lists and links', async () => {
    expect(await json('groupuser', 'list', { filter: { objectType: 'KalturaGroupUserFilter' } })).toMatchObject({ code: 'PROPERTY_VALIDATION_CANNOT_BE_NULL' });
    expect(await json('categoryentry', 'list', {})).toMatchObject({ code: 'MUST_FILTER_ON_ENTRY_OR_CATEGORY', args: [] });
    expect(await json('categoryentry', 'add', { categoryEntry: { categoryId: 1, entryId: '0_nothere0' } })).toMatchObject({ code: 'INVALID_ENTRY_ID' });
    expect(await json('category', 'get', { id: 999 })).toMatchObject({ code: 'CATEGORY_NOT_FOUND', args: { ID: '999' } });
    const parent = (await json('media', 'add', { entry: { objectType: 'KalturaMediaEntry', name: 'p', mediaType: 1 } })) as { id: string };
    expect(
      await json('media', 'add', { entry: { objectType: 'KalturaMediaEntry', name: 'c', mediaType: 1, parentEntryId: parent.id, categoriesIds: '1' } }),
    ).toMatchObject({ code: 'ASSIGNING_INFO_TO_ENTRY_WITH_PARENT_IS_FORBIDDEN' });
    expect(await json('media', 'addContent', { entryId: parent.id, resource: { url: 'http://x' } })).toMatchObject({ code: 'OBJECT_TYPE_ABSTRACT' });
    await json('media', 'delete', { entryId: parent.id });
    expect(await json('media', 'get', { entryId: parent.id })).toMatchObject({ code: 'ENTRY_ID_NOT_FOUND' });
  });

  it('groupuser.list pages with a default page size of 30', async () => {
    const p1 = (await json('groupuser', 'list', { filter: { userIdEqual: 'alice' } })) as { objects: unknown[]; totalCount: number };
    expect(p1.objects).toHaveLength(30);
    expect(p1.totalCount).toBe(36);
    const p2 = (await json('groupuser', 'list', { filter: { userIdEqual: 'alice' }, pager: { pageIndex: 2 } })) as { objects: unknown[] };
    expect(p2.objects).toHaveLength(6);
  });

  it('eSearch searchUser: exact match on email / external id, statuses filter', async () => {
    const search = (fieldName: string, searchTerm: string, objectStatuses?: string) =>
      json('elasticsearch_esearch', 'searchUser', {
        searchParams: {
          objectType: 'KalturaESearchUserParams',
          objectStatuses,
          searchOperator: { objectType: 'KalturaESearchUserOperator', operator: 1, searchItems: [{ objectType: 'KalturaESearchUserItem', fieldName, itemType: 1, searchTerm }] },
        },
      }) as Promise<{ totalCount: number; objects: Array<{ object: { id: string } }> }>;
    expect((await search('external_id', 'alice-ext')).objects[0].object.id).toBe('alice');
    expect((await search('email', 'alice@example')).totalCount).toBe(0);
    expect((await search('email', 'mallory@example.edu')).totalCount).toBe(0);
    expect((await search('email', 'mallory@example.edu', '0,1')).totalCount).toBe(1);
  });
});

describe('inspection and faults over HTTP', () => {
  it('GET /_sandbox/state and POST /_sandbox/faults', async () => {
    const state = (await (await fetch(`${sbx.url}/_sandbox/state`)).json()) as { users: Array<{ id: string }>; categories: Array<{ fullName: string }>; callCounts: Record<string, number> };
    expect(state.users.map((u) => u.id)).toEqual(expect.arrayContaining(['alice', 'zoom-default', 'mallory@example.edu']));
    expect(state.categories.map((c) => c.fullName)).toContain('MediaSpace>site>channels>Zoom Webinars');
    expect(state.callCounts['media.add']).toBeGreaterThan(0);
    const set = await fetch(`${sbx.url}/_sandbox/faults`, { method: 'POST', body: JSON.stringify({ actionBlockedNext: { 'user.get': 1 } }) });
    expect(set.status).toBe(200);
    expect(await json('user', 'get', { userId: 'alice' })).toMatchObject({ code: 'ACTION_BLOCKED', args: { ACTION_NAME: 'get', SERVICE_NAME: 'user' } });
    expect(await json('user', 'get', { userId: 'alice' })).toMatchObject({ id: 'alice' });
  });
});
