/**
 * The entry owner (Kaltura's ZoomBatchUtils::getEntryOwnerId), with two
 * of its flaws fixed:
 *  - a BLOCKED Kaltura user never owns the entry (Kaltura gives it to them
 *    anyway when createUserIfNotExist is on); zk falls back to the default
 *    user, or leaves the entry ownerless, and never creates a user under the
 *    blocked id;
 *  - a host without an email goes to the default user (or stays ownerless)
 *    rather than to a made-up "KalturaZoomDefault" user;
 *  - the default user is no exception: when it is blocked in Kaltura, the
 *    entry stays with the KS user (and opt-in groups then exclude it).
 */
import { isFatal, isRetryable } from '../../errors.js';
import type { MediaSink, ZoomMeeting } from '../ports.js';
import type { Log } from '../../log/port.js';
import { USER_STATUS, type OwnerRules, type UserMatcher } from './user-match.js';

export interface OwnerResolution {
  /** Kaltura user id; absent = the KS user (zk) owns the entry. */
  ownerId?: string;
  /** How the owner was found: matched an active user, created one, the default user, or none. */
  via: 'matched' | 'created' | 'default' | 'none';
  /** Why the host did not become the owner (for logs and events). */
  reason?: string;
}

export async function resolveOwner(
  meeting: ZoomMeeting,
  rules: OwnerRules,
  matcher: UserMatcher,
  sink: MediaSink,
  logger: Log,
): Promise<OwnerResolution> {
  const host = meeting.hostId ? await matcher.zoomUser(meeting.hostId) : null;
  const email = (host?.email || meeting.hostEmail || '').trim();
  if (email === '') {
    return fallback(rules, `host ${meeting.hostId || '(unknown)'} has no email in Zoom`, meeting, sink, logger);
  }

  const outcome = await matcher.match(email);
  if (outcome.kind === 'active') return { ownerId: outcome.id, via: 'matched' };
  if (outcome.kind === 'blocked') {
    return fallback(rules, `Kaltura user ${outcome.id} (host ${email}) is blocked`, meeting, sink, logger);
  }
  if (rules.onNoMatch === 'create') {
    const created = await createUser(sink, outcome.id, email);
    if (created) return { ownerId: created, via: 'created' };
    return fallback(rules, `Kaltura user ${outcome.id} (host ${email}) exists but is blocked`, meeting, sink, logger);
  }
  return fallback(rules, `no Kaltura user matches host ${email}`, meeting, sink, logger);
}

async function fallback(rules: OwnerRules, reason: string, meeting: ZoomMeeting, sink: MediaSink, logger: Log): Promise<OwnerResolution> {
  if (rules.defaultUserId) {
    if ((await sink.getUser(rules.defaultUserId))?.status === USER_STATUS.BLOCKED) {
      const why = `${reason}; the default user ${rules.defaultUserId} is blocked`;
      logger.warn('owner: the default user is blocked, entry will be owned by the zk Kaltura user', { meetingUuid: meeting.uuid, reason: why });
      return { via: 'none', reason: why };
    }
    logger.info('owner: using the default user', { meetingUuid: meeting.uuid, defaultUserId: rules.defaultUserId, reason });
    return { ownerId: rules.defaultUserId, via: 'default', reason };
  }
  logger.warn('owner: no owner resolved, entry will be owned by the zk Kaltura user', { meetingUuid: meeting.uuid, reason });
  return { via: 'none', reason };
}

/**
 * Creates the Kaltura user; returns its id, or undefined when the user turns
 * out to exist blocked. A rejected add (another worker or process created it
 * first: DUPLICATE_USER_BY_ID) is resolved by reading the user back, so
 * creation is idempotent without matching error codes or text.
 */
async function createUser(sink: MediaSink, id: string, email: string): Promise<string | undefined> {
  try {
    const user = await sink.addUser({ id, email });
    return user.id;
  } catch (err) {
    if (isRetryable(err) || isFatal(err)) throw err;
    const existing = await sink.getUser(id);
    if (!existing || existing.status === USER_STATUS.DELETED) throw err;
    return existing.status === USER_STATUS.ACTIVE ? existing.id : undefined;
  }
}
