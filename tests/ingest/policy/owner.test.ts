import { describe, expect, it } from '@jest/globals';
import { createKalturaPolicy, applyPostfix } from '../../../src/ingest/policy/index.js';
import type { Log } from '../../../src/log/port.js';
import { ACTIVE, BLOCKED, DELETED, policySink, HOST_EMAIL, HOST_ID, makeAccount, makeMeeting, world } from './world.js';

function capturingLogger(): Log & { lines: Array<{ level: string; message: string; meta?: Record<string, unknown> }> } {
  const lines: Array<{ level: string; message: string; meta?: Record<string, unknown> }> = [];
  const at = (level: string) => (message: string, meta?: Record<string, unknown>) => lines.push({ level, message, meta });
  return { lines, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

describe('applyPostfix', () => {
  it('none leaves the name alone', () => {
    expect(applyPostfix('a@x.edu', 'none', '@x.edu')).toBe('a@x.edu');
  });
  it('add appends unless the name already ends with it, case-insensitively', () => {
    expect(applyPostfix('ann', 'add', '@x.edu')).toBe('ann@x.edu');
    expect(applyPostfix('ann@X.EDU', 'add', '@x.edu')).toBe('ann@X.EDU');
  });
  it('remove strips the postfix when present, case-insensitively', () => {
    expect(applyPostfix('Ann@X.Edu', 'remove', '@x.edu')).toBe('Ann');
    expect(applyPostfix('ann@y.edu', 'remove', '@x.edu')).toBe('ann@y.edu');
  });
});

describe('owner: matching zoomUser', () => {
  it('postfixMode none: the host email is the Kaltura user id', async () => {
    const { source, sink } = world();
    sink.putUser({ id: HOST_EMAIL, status: ACTIVE });
    const policy = createKalturaPolicy({ source, sink });
    const result = await policy.resolve(makeMeeting(), makeAccount());
    expect(result.ownerId).toBe(HOST_EMAIL);
    expect(sink.calls.find((c) => c.method === 'getUser')?.args).toEqual([HOST_EMAIL]);
  });

  it('postfixMode add appends the postfix', async () => {
    const { source, sink } = world();
    sink.putUser({ id: `${HOST_EMAIL}@kaltura`, status: ACTIVE });
    const account = makeAccount({ owner: { postfixMode: 'add', postfix: '@kaltura', onNoMatch: 'defaultUser', defaultUserId: 'd' } });
    const result = await createKalturaPolicy({ source, sink }).resolve(makeMeeting(), account);
    expect(result.ownerId).toBe(`${HOST_EMAIL}@kaltura`);
  });

  it('postfixMode add does not double a postfix the email already has (case-insensitive)', async () => {
    const { source, sink } = world();
    sink.putUser({ id: HOST_EMAIL, status: ACTIVE });
    const account = makeAccount({ owner: { postfixMode: 'add', postfix: '@EXAMPLE.EDU', onNoMatch: 'defaultUser', defaultUserId: 'd' } });
    const result = await createKalturaPolicy({ source, sink }).resolve(makeMeeting(), account);
    expect(result.ownerId).toBe(HOST_EMAIL);
    expect(sink.calls[0].args).toEqual([HOST_EMAIL]);
  });

  it('postfixMode remove strips the postfix (case-insensitive)', async () => {
    const { source, sink } = world();
    sink.putUser({ id: 'Ann.Host', status: ACTIVE });
    const account = makeAccount({ owner: { postfixMode: 'remove', postfix: '@example.EDU', onNoMatch: 'defaultUser', defaultUserId: 'd' } });
    const result = await createKalturaPolicy({ source, sink }).resolve(makeMeeting(), account);
    expect(result.ownerId).toBe('Ann.Host');
    expect(sink.calls[0].args).toEqual(['Ann.Host']);
  });

  it('searchBy email falls back to the ORIGINAL email when the processed id is unknown', async () => {
    const { source, sink } = world();
    sink.putUser({ id: 'kaltura-ann', email: HOST_EMAIL.toLowerCase(), status: ACTIVE });
    const account = makeAccount({ owner: { postfixMode: 'remove', postfix: '@example.edu', searchBy: 'email', onNoMatch: 'defaultUser', defaultUserId: 'd' } });
    const result = await createKalturaPolicy({ source, sink }).resolve(makeMeeting(), account);
    expect(result.ownerId).toBe('kaltura-ann');
    expect(sink.calls.map((c) => [c.method, c.args[0]])).toEqual([
      ['getUser', 'Ann.Host'],
      ['findUserByEmail', HOST_EMAIL],
    ]);
  });

  it('searchBy externalId falls back to the processed name as external id', async () => {
    const { source, sink } = world();
    sink.putUser({ id: 'k-123', externalId: 'Ann.Host', status: ACTIVE });
    const account = makeAccount({ owner: { postfixMode: 'remove', postfix: '@example.edu', searchBy: 'externalId', onNoMatch: 'defaultUser', defaultUserId: 'd' } });
    const result = await createKalturaPolicy({ source, sink }).resolve(makeMeeting(), account);
    expect(result.ownerId).toBe('k-123');
    expect(sink.count('findUserByEmail')).toBe(0);
    expect(sink.calls.find((c) => c.method === 'findUserByExternalId')?.args).toEqual(['Ann.Host']);
  });

  it('a deleted Kaltura user counts as no match', async () => {
    const { source, sink } = world();
    sink.putUser({ id: HOST_EMAIL, status: DELETED });
    const result = await createKalturaPolicy({ source, sink }).resolve(makeMeeting(), makeAccount());
    expect(result.ownerId).toBe('default-user');
  });
});

describe('owner: matching cmsUserId', () => {
  it('uses the Zoom cms_user_id (postfix rule not applied)', async () => {
    const { source, sink } = world();
    source.addUser({ id: HOST_ID, email: HOST_EMAIL, type: 2, status: 'active', cmsUserId: 'cms-ann' });
    sink.putUser({ id: 'cms-ann', status: ACTIVE });
    const account = makeAccount({ owner: { matching: 'cmsUserId', postfixMode: 'add', postfix: '@x', onNoMatch: 'defaultUser', defaultUserId: 'd' } });
    const result = await createKalturaPolicy({ source, sink }).resolve(makeMeeting(), account);
    expect(result.ownerId).toBe('cms-ann');
    // The host fetched by id is reused for its cms_user_id: one Zoom user call.
    expect(source.count('getUser')).toBe(1);
  });

  it('falls back to the email when cms_user_id is empty', async () => {
    const { source, sink } = world();
    source.addUser({ id: HOST_ID, email: HOST_EMAIL, type: 2, status: 'active', cmsUserId: '  ' });
    sink.putUser({ id: HOST_EMAIL, status: ACTIVE });
    const account = makeAccount({ owner: { matching: 'cmsUserId', onNoMatch: 'defaultUser', defaultUserId: 'd' } });
    const result = await createKalturaPolicy({ source, sink }).resolve(makeMeeting(), account);
    expect(result.ownerId).toBe(HOST_EMAIL);
  });
});

describe('owner: no match', () => {
  it('onNoMatch create adds the user under the processed id with the original email', async () => {
    const { source, sink } = world();
    const account = makeAccount({ owner: { postfixMode: 'remove', postfix: '@example.edu', onNoMatch: 'create' } });
    const result = await createKalturaPolicy({ source, sink }).resolve(makeMeeting(), account);
    expect(result.ownerId).toBe('Ann.Host');
    expect(sink.calls.find((c) => c.method === 'addUser')?.args).toEqual([{ id: 'Ann.Host', email: HOST_EMAIL }]);
    expect(sink.users.get('ann.host')?.status).toBe(ACTIVE);
  });

  it('onNoMatch create is idempotent when the user appears meanwhile (DUPLICATE → re-get)', async () => {
    const { source } = world();
    const sink = policySink();
    sink.putUser({ id: 'Ann.Host', status: ACTIVE });
    let firstLookup = true;
    const realGetUser = sink.getUser.bind(sink);
    // The first lookup races with another worker's creation and misses.
    sink.getUser = async (id: string) => {
      if (firstLookup) {
        firstLookup = false;
        sink.calls.push({ method: 'getUser', args: [id] });
        return null;
      }
      return realGetUser(id);
    };
    const account = makeAccount({ owner: { postfixMode: 'remove', postfix: '@example.edu', onNoMatch: 'create' } });
    const result = await createKalturaPolicy({ source, sink }).resolve(makeMeeting(), account);
    expect(result.ownerId).toBe('Ann.Host');
    expect(sink.count('addUser')).toBe(1);
    expect(sink.count('getUser')).toBe(2);
  });

  it('onNoMatch defaultUser gives the entry to defaultUserId', async () => {
    const { source, sink } = world();
    const result = await createKalturaPolicy({ source, sink }).resolve(makeMeeting(), makeAccount());
    expect(result.ownerId).toBe('default-user');
    expect(sink.count('addUser')).toBe(0);
  });
});

describe('owner: blocked host', () => {
  it('never owns the entry: default user instead (onNoMatch defaultUser)', async () => {
    const { source, sink } = world();
    sink.putUser({ id: HOST_EMAIL, status: BLOCKED });
    const result = await createKalturaPolicy({ source, sink }).resolve(makeMeeting(), makeAccount());
    expect(result.ownerId).toBe('default-user');
  });

  it('with onNoMatch create and a defaultUserId: default user, nothing created', async () => {
    const { source, sink } = world();
    sink.putUser({ id: HOST_EMAIL, status: BLOCKED });
    const account = makeAccount({ owner: { onNoMatch: 'create', defaultUserId: 'default-user' } });
    const result = await createKalturaPolicy({ source, sink }).resolve(makeMeeting(), account);
    expect(result.ownerId).toBe('default-user');
    expect(sink.count('addUser')).toBe(0);
  });

  it('with onNoMatch create and no defaultUserId: ownerless, never created under the blocked id', async () => {
    const { source, sink } = world();
    sink.putUser({ id: 'blocked-ann', email: HOST_EMAIL, status: BLOCKED });
    const logger = capturingLogger();
    const account = makeAccount({ owner: { onNoMatch: 'create' } });
    const result = await createKalturaPolicy({ source, sink, logger }).resolve(makeMeeting(), account);
    expect(result.ownerId).toBeUndefined();
    expect(result.ignoreReason).toBeUndefined();
    expect(sink.count('addUser')).toBe(0);
    expect(logger.lines.some((l) => l.level === 'warn' && String(l.meta?.reason).includes('blocked'))).toBe(true);
  });
});

describe('owner: host without an email', () => {
  it('Zoom user with empty email and no hostEmail → default user', async () => {
    const { source, sink } = world();
    source.addUser({ id: HOST_ID, email: '', type: 2, status: 'active' });
    const result = await createKalturaPolicy({ source, sink }).resolve(makeMeeting({ hostEmail: '' }), makeAccount());
    expect(result.ownerId).toBe('default-user');
    // Nothing is matched for an empty email; only the default user's status is read (a blocked one never owns).
    expect(sink.calls).toEqual([{ method: 'getUser', args: ['default-user'] }]);
  });

  it('no email and no default user → ownerless with a logged reason', async () => {
    const { source, sink } = world();
    source.users.clear();
    const logger = capturingLogger();
    const account = makeAccount({ owner: { onNoMatch: 'create' } });
    const result = await createKalturaPolicy({ source, sink, logger }).resolve(makeMeeting({ hostEmail: '' }), account);
    expect(result.ownerId).toBeUndefined();
    expect(sink.count('addUser')).toBe(0);
    const warn = logger.lines.find((l) => l.level === 'warn');
    expect(String(warn?.meta?.reason)).toContain('has no email');
  });

  it('Zoom does not know the host (getUser null) → the meeting listing\'s hostEmail is used', async () => {
    const { source, sink } = world();
    source.users.clear();
    sink.putUser({ id: HOST_EMAIL, status: ACTIVE });
    const result = await createKalturaPolicy({ source, sink }).resolve(makeMeeting(), makeAccount());
    expect(result.ownerId).toBe(HOST_EMAIL);
    expect(source.count('getUser')).toBe(1);
  });
});
