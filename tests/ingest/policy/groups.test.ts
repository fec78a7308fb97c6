import { describe, expect, it } from '@jest/globals';
import { createKalturaPolicy } from '../../../src/ingest/policy/index.js';
import { ACTIVE, HOST_EMAIL, makeAccount, makeMeeting, world } from './world.js';

const MEETING = makeMeeting();
const HOST_ID_K = HOST_EMAIL.toLowerCase();

function setup(hostGroups: string[] | null) {
  const w = world();
  if (hostGroups) {
    w.sink.putUser({ id: HOST_EMAIL, status: ACTIVE });
    w.sink.memberships.set(HOST_ID_K, hostGroups);
  }
  return w;
}

describe('groups: opt-in', () => {
  it('includes a recording whose owner is in one of the groups (case-insensitive)', async () => {
    const { source, sink } = setup(['Other', 'ZOOM-Users']);
    const result = await createKalturaPolicy({ source, sink }).resolve(MEETING, makeAccount({ groups: { optIn: ['zoom-users'] } }));
    expect(result.ignoreReason).toBeUndefined();
    expect(result.ownerId).toBe(HOST_EMAIL);
  });

  it('excludes it otherwise, naming the rule, and makes no category or permission calls', async () => {
    const { source, sink } = setup(['Other']);
    sink.putCategory('Zoom');
    const account = makeAccount({
      groups: { optIn: ['zoom-users'] },
      meetings: { categories: ['Zoom'] },
      permissions: { coHosts: 'coEditor', participants: 'coViewer' },
    });
    const result = await createKalturaPolicy({ source, sink }).resolve(MEETING, account);
    expect(result.ignoreReason).toContain('accounts[main].groups.optIn');
    expect(result.ignoreReason).toContain(HOST_EMAIL);
    expect(result.categoryIds).toEqual([]);
    expect(source.calls.map((c) => c.method)).toEqual(['getUser']);
    expect(sink.count('findCategoryByName')).toBe(0);
  });

  it('excludes a recording without an owner ("owner unknown"), without listing groups', async () => {
    const { source, sink } = setup(null);
    source.users.clear();
    const account = makeAccount({ owner: { onNoMatch: 'create' }, groups: { optIn: ['zoom-users'] } });
    const result = await createKalturaPolicy({ source, sink }).resolve(makeMeeting({ hostEmail: '' }), account);
    expect(result.ownerId).toBeUndefined();
    expect(result.ignoreReason).toContain('owner unknown');
    expect(sink.count('listUserGroupIds')).toBe(0);
  });

  it('reads every page of memberships (the matching group on page 3)', async () => {
    const groups = Array.from({ length: 70 }, (_, i) => `g${i}`);
    const { source, sink } = setup(groups);
    const result = await createKalturaPolicy({ source, sink }).resolve(MEETING, makeAccount({ groups: { optIn: ['g69'] } }));
    expect(result.ignoreReason).toBeUndefined();
    expect(sink.groupPagesRead).toBe(3);
  });
});

describe('groups: opt-out', () => {
  it('excludes a recording whose owner is in any of the groups', async () => {
    const { source, sink } = setup(['students']);
    const result = await createKalturaPolicy({ source, sink }).resolve(MEETING, makeAccount({ groups: { optOut: ['staff', 'students'] } }));
    expect(result.ignoreReason).toContain('opt-out group students');
    expect(result.ignoreReason).toContain('accounts[main].groups.optOut');
  });

  it('includes it otherwise', async () => {
    const { source, sink } = setup(['faculty']);
    const result = await createKalturaPolicy({ source, sink }).resolve(MEETING, makeAccount({ groups: { optOut: ['students'] } }));
    expect(result.ignoreReason).toBeUndefined();
  });

  it('includes a recording without an owner, without listing groups', async () => {
    const { source, sink } = setup(null);
    source.users.clear();
    const account = makeAccount({ owner: { onNoMatch: 'create' }, groups: { optOut: ['students'] } });
    const result = await createKalturaPolicy({ source, sink }).resolve(makeMeeting({ hostEmail: '' }), account);
    expect(result.ignoreReason).toBeUndefined();
    expect(sink.count('listUserGroupIds')).toBe(0);
  });
});

describe('groups: the default user decides when it owns the entry', () => {
  it('opt-in: host unmatched, default user in the group → included', async () => {
    const { source, sink } = setup(null);
    sink.memberships.set('default-user', ['zoom-users']);
    const result = await createKalturaPolicy({ source, sink }).resolve(MEETING, makeAccount({ groups: { optIn: ['zoom-users'] } }));
    expect(result.ownerId).toBe('default-user');
    expect(result.ignoreReason).toBeUndefined();
    expect(sink.calls.find((c) => c.method === 'listUserGroupIds')?.args).toEqual(['default-user']);
  });

  it('opt-in: host blocked but in the group, default user not → excluded', async () => {
    const { source, sink } = setup(['zoom-users']);
    sink.putUser({ id: HOST_EMAIL, status: 0 });
    const result = await createKalturaPolicy({ source, sink }).resolve(MEETING, makeAccount({ groups: { optIn: ['zoom-users'] } }));
    expect(result.ownerId).toBe('default-user');
    expect(result.ignoreReason).toContain('owner default-user is in none');
  });

  it('opt-out: default user in the group → excluded', async () => {
    const { source, sink } = setup(null);
    sink.memberships.set('default-user', ['nozoom']);
    const result = await createKalturaPolicy({ source, sink }).resolve(MEETING, makeAccount({ groups: { optOut: ['nozoom'] } }));
    expect(result.ignoreReason).toContain('opt-out group nozoom');
  });
});

describe('groups: no rule', () => {
  it('does not list memberships', async () => {
    const { source, sink } = setup(['x']);
    await createKalturaPolicy({ source, sink }).resolve(MEETING, makeAccount());
    expect(sink.count('listUserGroupIds')).toBe(0);
  });
});
