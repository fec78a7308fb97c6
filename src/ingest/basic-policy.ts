/**
 * The policy used when no Kaltura-semantics resolver is configured (and in
 * tests): no owner, no entitlements, no categories; the account's extra tags
 * and conversion profile only.
 */
import type { AccountConfig } from '../config/schema.js';
import type { EntryPolicy, EntryPolicyResolver, ZoomMeeting } from './ports.js';

export function basicPolicy(): EntryPolicyResolver {
  return {
    async resolve(_meeting: ZoomMeeting, account: AccountConfig): Promise<EntryPolicy> {
      return {
        entitledUsersEdit: [],
        entitledUsersPublish: [],
        entitledUsersView: [],
        categoryIds: [],
        tags: [...account.tags],
        conversionProfileId: account.conversionProfileId,
      };
    },
  };
}
