/**
 * Owner resolution, every value of owner.matching / postfixMode / searchBy /
 * onNoMatch, against the emulators through the daemon. Each row of OWNER_CASES
 * is one zk account config; each host in it records one meeting whose parent
 * entry must end up owned by the expected Kaltura user.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ZoomSeedUser } from '../../src/sandbox/zoom/seed-types.js';
import { ZOOM_DEMO_USERS as Z } from '../../src/sandbox/seed/zoom-demo.js';
import { DEFAULT_OWNER, EXTRA_ZOOM_USERS as X, mtg, rf, startLab, type Lab, type Scenario } from './harness.js';

/** The KS user zk acts as (kaltura.userId): owner of an entry when no owner is resolved. */
const KS_USER = 'zk';

interface OwnerCase {
  name: string;
  owner: Record<string, unknown>;
  /** [host, expected entry owner] */
  hosts: Array<[ZoomSeedUser, string]>;
  /** Kaltura users that must exist (created) / must not exist afterwards. */
  created?: string[];
  notCreated?: string[];
}

const fresh = (name: string): ZoomSeedUser => ({ id: `u-${name}`, email: `${name}@example.edu`, type: 2, status: 'active' });
const NEW_CREATE = fresh('new-create');
const NEW_CREATE_DEF = fresh('new-create-def');

const OWNER_CASES: OwnerCase[] = [
  {
    name: 'zoomUser, postfix none, search by email, default user',
    owner: { matching: 'zoomUser', postfixMode: 'none', searchBy: 'email', onNoMatch: 'defaultUser', defaultUserId: DEFAULT_OWNER },
    hosts: [
      [Z.bob, 'bob@example.edu'], // user id = email
      [Z.alice, 'alice'], // found by email (user id differs)
      [X.kate, DEFAULT_OWNER], // only her external id matches; searchBy email misses it
      [X.newbie, DEFAULT_OWNER], // no match, no creation
      [Z.mallory, DEFAULT_OWNER], // blocked in Kaltura
      [Z.noemail, DEFAULT_OWNER], // host without email
    ],
    notCreated: [X.newbie.email],
  },
  {
    name: 'zoomUser, add postfix (case-insensitive), fallback to the plain email',
    owner: { matching: 'zoomUser', postfixMode: 'add', postfix: '#sso', onNoMatch: 'defaultUser', defaultUserId: DEFAULT_OWNER },
    hosts: [
      [X.ivan, 'ivan@example.edu#sso'], // postfix appended
      [X.ivy, 'ivy@example.edu#SSO'], // already ends with #SSO: unchanged
      [Z.bob, 'bob@example.edu'], // bob@example.edu#sso unknown → plain email
      [X.newbie, DEFAULT_OWNER],
    ],
  },
  {
    name: 'zoomUser, remove postfix (case-insensitive), fallback to the plain email',
    owner: { matching: 'zoomUser', postfixMode: 'remove', postfix: '@Example.Edu', onNoMatch: 'defaultUser', defaultUserId: DEFAULT_OWNER },
    hosts: [
      [X.grace, 'grace'], // grace@EXAMPLE.EDU → grace
      [Z.bob, 'bob@example.edu'], // "bob" unknown → email
      [X.liam, 'liam@example.edu'],
      [Z.mallory, DEFAULT_OWNER],
    ],
  },
  {
    name: 'zoomUser, search by external id',
    owner: { matching: 'zoomUser', searchBy: 'externalId', onNoMatch: 'defaultUser', defaultUserId: DEFAULT_OWNER },
    hosts: [
      [X.kate, 'k-123'], // external id kate@example.edu
      [Z.alice, DEFAULT_OWNER], // only her email matches; searchBy externalId misses it
      [Z.bob, 'bob@example.edu'], // user id still matched first
    ],
  },
  {
    name: 'cmsUserId matching',
    owner: { matching: 'cmsUserId', onNoMatch: 'defaultUser', defaultUserId: DEFAULT_OWNER },
    hosts: [
      [X.liam, 'L-9001'], // cms_user_id wins over the user whose id is liam's email
      [Z.alice, 'alice'],
      [Z.bob, 'bob@example.edu'], // no cms_user_id → the email
      [Z.mallory, DEFAULT_OWNER],
    ],
  },
  {
    name: 'onNoMatch create, no default user',
    owner: { onNoMatch: 'create' },
    hosts: [
      [NEW_CREATE, NEW_CREATE.email], // created under the processed name
      [Z.bob, 'bob@example.edu'],
      [Z.mallory, KS_USER], // blocked: never owner, never re-created
      [Z.noemail, KS_USER],
    ],
    created: [NEW_CREATE.email],
  },
  {
    name: 'onNoMatch create with a default user',
    owner: { onNoMatch: 'create', defaultUserId: DEFAULT_OWNER },
    hosts: [
      [NEW_CREATE_DEF, NEW_CREATE_DEF.email],
      [Z.mallory, DEFAULT_OWNER],
      [Z.noemail, DEFAULT_OWNER],
    ],
    created: [NEW_CREATE_DEF.email],
  },
];

let lab: Lab;
const scenarios = new Map<string, Scenario>();
const fileOf = (c: number, h: number) => `f-own-${c}-${h}`;

beforeAll(async () => {
  lab = await startLab();
  OWNER_CASES.forEach((c, ci) => {
    const sc = lab.scenario(c.name);
    for (const u of [NEW_CREATE, NEW_CREATE_DEF]) sc.addUser(u);
    c.hosts.forEach(([host], hi) => sc.addMeeting(mtg(`own-${ci}-${hi}`, host, [rf(fileOf(ci, hi), 'MP4')])));
    sc.configure({ owner: c.owner });
    scenarios.set(c.name, sc);
  });
  await Promise.all([...scenarios.values()].map((s) => s.settle()));
}, 60_000);

afterAll(async () => lab?.close());

describe.each(OWNER_CASES.map((c, ci) => [c.name, c, ci] as const))('%s', (_name, c, ci) => {
  test.each(c.hosts.map(([host, want], hi) => [host.email || '(no email)', want, hi] as const))('host %s → owner %s', (_host, want, hi) => {
    const sc = scenarios.get(c.name)!;
    const entry = sc.entryOf(fileOf(ci, hi));
    expect(entry.userId).toBe(want);
  });

  test('users created / not created in Kaltura', () => {
    const users = lab.kaltura.state.snapshot().users;
    for (const id of c.created ?? []) expect(users.find((u) => u.id === id)).toMatchObject({ id, email: id, status: 1 });
    for (const id of c.notCreated ?? []) expect(users.find((u) => u.id === id)).toBeUndefined();
    // The blocked user stays blocked and is never duplicated under another status.
    expect(users.filter((u) => u.id === 'mallory@example.edu').map((u) => u.status)).toEqual([0]);
  });
});
