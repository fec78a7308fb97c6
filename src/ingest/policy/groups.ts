/**
 * Opt-in / opt-out groups (Kaltura's
 * ZoomBatchUtils::shouldExcludeUserRecordingIngest). Membership is read for
 * the resolved owner, so when the default user owns the entry the default
 * user's groups decide (as in Kaltura and as its setup guide warns). Unlike
 * Kaltura, every page of memberships counts (the sink reads them all).
 *
 * Group ids are compared case-insensitively: Kaltura user (and group) ids are
 * case-insensitive, and an admin typing "Staff" for "staff" should not
 * silently flip the rule.
 */
import type { AccountConfig } from '../../config/schema.js';
import type { MediaSink } from '../ports.js';

/** Why the recording is excluded by the account's group rule, or undefined when included. */
export async function groupExclusionReason(
  ownerId: string | undefined,
  account: AccountConfig,
  sink: MediaSink,
): Promise<string | undefined> {
  const { optIn, optOut } = account.groups;
  if (optIn.length === 0 && optOut.length === 0) return undefined;

  if (optIn.length > 0) {
    const key = `accounts[${account.name}].groups.optIn`;
    if (!ownerId) return `owner unknown, so not in any opt-in group (${key}: ${optIn.join(', ')})`;
    const hit = await firstMembership(ownerId, optIn, sink);
    return hit ? undefined : `owner ${ownerId} is in none of the opt-in groups (${key}: ${optIn.join(', ')})`;
  }

  if (!ownerId) return undefined;
  const hit = await firstMembership(ownerId, optOut, sink);
  return hit ? `owner ${ownerId} is in opt-out group ${hit} (accounts[${account.name}].groups.optOut)` : undefined;
}

async function firstMembership(userId: string, groups: string[], sink: MediaSink): Promise<string | undefined> {
  const member = new Set((await sink.listUserGroupIds(userId)).map((g) => g.toLowerCase()));
  return groups.find((g) => member.has(g.toLowerCase()));
}
