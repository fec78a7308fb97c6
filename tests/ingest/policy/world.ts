/**
 * The policy tests' starting point: the shared fakes (tests/fakes), limited to
 * the methods the entry policies use, so a policy that starts touching transfer
 * methods fails loudly. Plus an account and a meeting as the schema and Zoom give them.
 */
import { account as accountSchema, type AccountConfig } from '../../../src/config/schema.js';
import type { ZoomMeeting } from '../../../src/ingest/ports.js';
import { FakeKaltura } from '../../fakes/fake-kaltura.js';
import { FakeZoom } from '../../fakes/fake-zoom.js';

export { ACTIVE, BLOCKED, DELETED } from '../../fakes/fake-kaltura.js';

const POLICY_ZOOM_METHODS = ['getUser', 'getMeetingDetails', 'listParticipantEmails', 'listCohostEmails'];
const POLICY_KALTURA_METHODS = [
  'getUser', 'findUserByEmail', 'findUserByExternalId', 'addUser', 'listUserGroupIds', 'findCategoryByFullName', 'findCategoryByName', 'addCategory',
];

/** A Kaltura sink as the policies see it. */
export function policySink(): FakeKaltura {
  return new FakeKaltura({ only: POLICY_KALTURA_METHODS });
}

/** An account as the real schema would produce it (defaults applied), with overrides. */
export function makeAccount(overrides: Record<string, unknown> = {}): AccountConfig {
  return accountSchema.parse({
    name: 'main',
    credentials: { accountId: 'acc', clientId: 'cid', clientSecret: 'secret' },
    owner: { onNoMatch: 'defaultUser', defaultUserId: 'default-user' },
    ...overrides,
  });
}

export const HOST_ID = 'host-zoom-id';
export const HOST_EMAIL = 'Ann.Host@Example.edu';

export function makeMeeting(overrides: Partial<ZoomMeeting> = {}): ZoomMeeting {
  return {
    uuid: 'uuid-1==',
    id: 81234567890,
    hostId: HOST_ID,
    hostEmail: HOST_EMAIL,
    topic: 'Weekly sync',
    type: 2,
    startTime: '2024-03-01T10:00:00Z',
    durationMin: 30,
    files: [],
    ...overrides,
  };
}

/** A source that knows the host, and a sink; the usual starting point. */
export function world(): { source: FakeZoom; sink: FakeKaltura } {
  const source = new FakeZoom({ only: POLICY_ZOOM_METHODS });
  source.addUser({ id: HOST_ID, email: HOST_EMAIL, type: 2, status: 'active' });
  return { source, sink: policySink() };
}
