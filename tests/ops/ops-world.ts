/**
 * The shared fakes (tests/fakes) as the operator commands see them: limited to
 * the methods `accounts test` and `users report` may call, so a probe that
 * deletes, imports by URL or re-reads a meeting fails loudly.
 */
import type { KalturaUser, KalturaCategory } from '../../src/ingest/ports.js';
import { FakeKaltura } from '../fakes/fake-kaltura.js';
import { FakeZoom, type FakeZoomOptions } from '../fakes/fake-zoom.js';

const OPS_ZOOM_METHODS = [
  'grantedScopes', 'listRecordings', 'openDownload', 'listUsers', 'getUser', 'getMeetingDetails', 'listParticipantEmails', 'listCohostEmails',
];
const OPS_KALTURA_METHODS = ['getUser', 'findCategoryByFullName', 'findCategoryByName'];

export function opsZoom(opts: Omit<FakeZoomOptions, 'only'> = {}): FakeZoom {
  return new FakeZoom({ ...opts, only: OPS_ZOOM_METHODS });
}

export function opsKaltura(opts: { users?: KalturaUser[]; categories?: KalturaCategory[]; failSession?: Error } = {}): FakeKaltura {
  const sink = new FakeKaltura({ users: opts.users, categories: opts.categories, only: OPS_KALTURA_METHODS });
  // `accounts test` proves the session with its first call, getUser: a rejected KS fails there.
  if (opts.failSession) sink.faults.always('getUser', opts.failSession);
  return sink;
}
