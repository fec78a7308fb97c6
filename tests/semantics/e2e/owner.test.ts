/**
 * The entry owner: matching on the Zoom user (postfix none/add/remove, case-
 * insensitive, falling back to the plain email) or on cms_user_id; users
 * searched by email or external id; no match → create or default user; a
 * blocked user never owns; a host without email.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { closeWorlds, kalturaCalls, meeting, world, ZU, type RawAccount } from './harness.js';

afterEach(closeWorlds);

/** Zoom hosts beyond the demo users. */
const HOSTS = {
  kim: { id: 'u-kim', email: 'kim@example.edu', type: 2, status: 'active' as const },
  lee: { id: 'u-lee', email: 'lee@example.edu', type: 2, status: 'active' as const },
  max: { id: 'u-max', email: 'max@example.edu.KMS', type: 2, status: 'active' as const },
  gina: { id: 'u-gina-zoom', email: 'gina@example.edu', type: 2, status: 'active' as const },
  harry: { id: 'u-harry', email: 'harry@example.edu', type: 2, status: 'active' as const, cmsUserId: 'hr-0042' },
  nomatch: { id: 'u-nomatch', email: 'NoMatch@Example.edu', type: 2, status: 'active' as const },
};

/** Kaltura users each matching only under one rule. */
const KALTURA_USERS = [
  { id: 'kim' }, // remove postfix
  { id: 'lee@example.edu.kms' }, // add postfix
  { id: 'max@example.edu.KMS' }, // add postfix, already there in another case
  { id: 'u-gina', externalId: 'gina', email: 'gina.other@example.org' }, // external id
  { id: 'hr-0042', email: 'hr@example.org' }, // cms_user_id
];

type Host = keyof typeof HOSTS | 'alice' | 'bob' | 'frank' | 'mallory' | 'noemail';
const hostOf = (h: Host) => (h in HOSTS ? HOSTS[h as keyof typeof HOSTS] : ZU[h as keyof typeof ZU]);

interface Case {
  name: string;
  owner: RawAccount;
  /** host → expected entry owner ('zk' = nobody matched: the KS user owns it). */
  expect: Partial<Record<Host, string>>;
  /** Kaltura users zk must have created (user.add). */
  created?: string[];
}

const CASES: Case[] = [
  {
    name: 'zoomUser, postfix none, search by email',
    owner: {},
    expect: {
      bob: 'bob@example.edu', // user id = the email
      alice: 'alice', // found by email
      kim: 'zoom-default', // "kim" only matches with the postfix removed
      lee: 'zoom-default',
      mallory: 'zoom-default', // blocked
      noemail: 'zoom-default', // no email in Zoom
      nomatch: 'zoom-default',
    },
  },
  {
    name: 'zoomUser, remove postfix (case-insensitive)',
    owner: { postfixMode: 'remove', postfix: '@EXAMPLE.edu' },
    expect: { kim: 'kim', alice: 'alice', bob: 'bob@example.edu', frank: 'frank' },
  },
  {
    name: 'zoomUser, add postfix; already present (any case) is not added twice; falls back to the plain email',
    owner: { postfixMode: 'add', postfix: '.kms' },
    expect: { lee: 'lee@example.edu.kms', max: 'max@example.edu.KMS', alice: 'alice', kim: 'zoom-default' },
  },
  {
    name: 'search by external id uses the processed name',
    owner: { postfixMode: 'remove', postfix: '@example.edu', searchBy: 'externalId' },
    expect: { gina: 'u-gina', kim: 'kim', alice: 'alice', nomatch: 'zoom-default' },
  },
  {
    name: 'search by email never looks at external ids',
    owner: { postfixMode: 'remove', postfix: '@example.edu', searchBy: 'email' },
    expect: { gina: 'zoom-default' },
  },
  {
    name: 'external-id search does not fall back to the email',
    owner: { searchBy: 'externalId' },
    expect: { alice: 'zoom-default', bob: 'bob@example.edu' },
  },
  {
    name: 'cmsUserId matching (postfix rules do not apply)',
    owner: { matching: 'cmsUserId', postfixMode: 'add', postfix: '.kms' },
    expect: { harry: 'hr-0042', alice: 'alice', bob: 'bob@example.edu', lee: 'zoom-default' },
  },
  {
    name: 'zoomUser matching ignores cms_user_id',
    owner: { matching: 'zoomUser' },
    expect: { harry: 'zoom-default' },
  },
  {
    name: 'onNoMatch create: the processed name becomes a Kaltura user; blocked and email-less hosts use the default user',
    owner: { onNoMatch: 'create', postfixMode: 'remove', postfix: '@example.edu' },
    expect: { nomatch: 'NoMatch', bob: 'bob@example.edu', mallory: 'zoom-default', noemail: 'zoom-default' },
    created: ['NoMatch'],
  },
  {
    name: 'onNoMatch create without a default user: blocked and email-less hosts leave the entry to the KS user',
    owner: { onNoMatch: 'create', defaultUserId: undefined },
    expect: { nomatch: 'NoMatch@Example.edu', mallory: 'zk', noemail: 'zk', alice: 'alice' },
    created: ['NoMatch@Example.edu'],
  },
];

describe('owner', () => {
  test.each(CASES)('$name', async (c) => {
    const hosts = Object.keys(c.expect) as Host[];
    const w = await world({
      zoomUsers: Object.values(HOSTS),
      kaltura: { users: KALTURA_USERS },
      meetings: hosts.map((h) => meeting(`o-${h}`, { host: hostOf(h) })),
      account: { owner: c.owner },
    });
    if (c.owner.defaultUserId === undefined && 'defaultUserId' in c.owner) delete w.raw.accounts[0].owner.defaultUserId;
    expect(await w.run()).toBe(0);
    const got = Object.fromEntries(hosts.map((h) => [h, w.entryOf(`o-${h}-sv`).userId]));
    expect(got).toEqual(c.expect);
    // Only the expected users were created, and never under a blocked id.
    expect(kalturaCalls(w, 'user.add')).toBe(c.created?.length ?? 0);
    const users = w.kaltura.state.snapshot().users;
    for (const id of c.created ?? []) expect(users.find((u) => u.id === id)).toMatchObject({ status: 1 });
    expect(users.find((u) => u.id === 'mallory@example.edu')).toMatchObject({ status: 0 });
  });

  test('a created owner carries the Zoom email; the entry keeps it on every later run', async () => {
    const w = await world({ zoomUsers: [HOSTS.nomatch], meetings: [meeting('cr', { host: HOSTS.nomatch })], account: { owner: { onNoMatch: 'create' } } });
    expect(await w.run()).toBe(0);
    expect(w.kaltura.state.snapshot().users.find((u) => u.id === 'NoMatch@Example.edu')).toMatchObject({ email: 'NoMatch@Example.edu', status: 1 });
    expect(await w.run()).toBe(0);
    expect(kalturaCalls(w, 'user.add')).toBe(1);
  });

  test('a blocked default user does not own entries either: the KS user does', async () => {
    const w = await world({
      zoomUsers: [HOSTS.nomatch],
      kaltura: { users: [{ id: 'zoom-default', status: 0 }] },
      meetings: [meeting('bd', { host: HOSTS.nomatch }), meeting('bd-bob', { host: ZU.bob })],
    });
    expect(await w.run()).toBe(0);
    expect(w.entryOf('bd-sv').userId).toBe('zk');
    expect(w.entryOf('bd-bob-sv').userId).toBe('bob@example.edu');
    expect(w.logs.some((l) => l.level === 'warn' && l.message.includes('default user') && JSON.stringify(l.meta).includes('blocked'))).toBe(true);
  });

  test('a host whose Zoom user is gone still matches by the listed host email', async () => {
    const ghost = meeting('ghost', { host: { id: 'u-deleted-from-zoom', email: 'frank@example.edu' } });
    const w = await world({ meetings: [ghost] });
    expect(await w.run()).toBe(0);
    expect(w.entryOf('ghost-sv').userId).toBe('frank');
  });
});
