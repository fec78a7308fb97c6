/**
 * Demo data for the Kaltura sandbox: users for every owner-resolution path,
 * opt-in/opt-out groups (alice is in enough groups to need two pages), and
 * the category tree Kaltura MediaSpace uses for Zoom.
 */
import type { KalturaSeed } from '../kaltura/seed-types.js';

export const KALTURA_DEMO_PARTNER_ID = 100;
export const KALTURA_DEMO_ADMIN_SECRET = 'sbx-kaltura-admin-secret';
export const KALTURA_DEMO_USER_SECRET = 'sbx-kaltura-user-secret';
export const KALTURA_DEMO_DEFAULT_OWNER = 'zoom-default';

export const KALTURA_DEMO_USERS = {
  alice: { id: 'alice', email: 'alice@example.edu', externalId: 'alice-ext', status: 1 },
  bob: { id: 'bob@example.edu', email: 'bob@example.edu', status: 1 },
  erin: { id: 'erin@example.edu', email: 'erin@example.edu', status: 1 },
  frank: { id: 'frank', email: 'frank@example.edu', externalId: 'frank-ext', status: 1 },
  mallory: { id: 'mallory@example.edu', email: 'mallory@example.edu', status: 0 },
  zoomDefault: { id: KALTURA_DEMO_DEFAULT_OWNER, status: 1 },
} as const;

export const KALTURA_DEMO_OPT_IN_GROUP = 'zoom-optin';
export const KALTURA_DEMO_OPT_OUT_GROUP = 'zoom-optout';
/** alice belongs to these too, so her memberships span two pages of 30. */
export const KALTURA_DEMO_EXTRA_GROUPS: readonly string[] = Array.from({ length: 35 }, (_, i) => `course-${String(i + 1).padStart(2, '0')}`);

export const KALTURA_DEMO_CATEGORIES = {
  root: { id: 1, fullName: 'MediaSpace' },
  zoom: 'MediaSpace>site>channels>Zoom',
  zoomWebinars: 'MediaSpace>site>channels>Zoom Webinars',
  labRecordings: 'MediaSpace>site>channels>Lab Recordings',
} as const;

export function kalturaDemoSeed(): KalturaSeed {
  const u = KALTURA_DEMO_USERS;
  return {
    partnerId: KALTURA_DEMO_PARTNER_ID,
    users: Object.values(u).map((x) => ({ ...x })),
    groups: [
      // alice joins her course groups first, so the opt-in group is only on page 2.
      ...KALTURA_DEMO_EXTRA_GROUPS.map((id) => ({ id, members: [u.alice.id] })),
      { id: KALTURA_DEMO_OPT_IN_GROUP, members: [u.alice.id, u.bob.id] },
      { id: KALTURA_DEMO_OPT_OUT_GROUP, members: [u.erin.id] },
    ],
    categories: [
      KALTURA_DEMO_CATEGORIES.root,
      { fullName: KALTURA_DEMO_CATEGORIES.zoom },
      { fullName: KALTURA_DEMO_CATEGORIES.zoomWebinars },
      { fullName: KALTURA_DEMO_CATEGORIES.labRecordings },
    ],
  };
}

/** Options for startKalturaSandbox that give the demo partner and its data. */
export function kalturaDemoSandboxOptions(): {
  partners: Array<{ partnerId: number; adminSecret: string; userSecret: string }>;
  seed: KalturaSeed;
} {
  return {
    partners: [{ partnerId: KALTURA_DEMO_PARTNER_ID, adminSecret: KALTURA_DEMO_ADMIN_SECRET, userSecret: KALTURA_DEMO_USER_SECRET }],
    seed: kalturaDemoSeed(),
  };
}
