/**
 * Kaltura's Zoom-integration semantics as one EntryPolicyResolver: upload
 * toggles, owner, opt-in/opt-out groups, entitled users, categories, tags and
 * conversion profile. Each concern is its own module; this file only orders
 * them so that an excluded recording costs as few API calls as possible:
 * toggles (no call) → owner → groups → categories and permissions.
 */
import type { AccountConfig } from '../../config/schema.js';
import type { EntryPolicy, EntryPolicyResolver, MediaSink, RecordingSource, ZoomMeeting, ZoomMeetingDetails } from '../ports.js';
import { categoryRefs, createCategoryResolver } from './categories.js';
import { resolveEntitlements } from './entitlements.js';
import { groupExclusionReason } from './groups.js';
import { isWebinar, uploadDisabledReason } from './is-webinar.js';
import { silentLog, type Log } from '../../log/port.js';
import { resolveOwner } from './owner.js';
import { createUserMatcher } from './user-match.js';
import type { FeatureHealth } from '../feature-health.js';

export { truncateTitle } from './truncate-title.js';
export { isWebinar, uploadDisabledReason, WEBINAR_TYPES } from './is-webinar.js';
export { applyPostfix } from './user-match.js';

export interface KalturaPolicyDeps {
  /** The Zoom account's source: the one whose recordings are resolved (one resolver per account). */
  source: RecordingSource;
  sink: MediaSink;
  /** kaltura.conversionProfileId; an account's own conversionProfileId wins. */
  globalConversionProfileId?: number;
  logger?: Log;
  /** Records optional features degraded by a missing scope (this resolver's account). */
  features?: FeatureHealth;
}

export function createKalturaPolicy(deps: KalturaPolicyDeps): EntryPolicyResolver {
  const { source, sink } = deps;
  const logger = deps.logger ?? silentLog();
  // Lives as long as the resolver: category ids are stable, users are not.
  const categories = createCategoryResolver(sink, logger);

  return {
    async resolve(meeting: ZoomMeeting, account: AccountConfig): Promise<EntryPolicy> {
      const base = {
        tags: [...account.tags],
        conversionProfileId: account.conversionProfileId ?? deps.globalConversionProfileId,
      };
      const empty = { entitledUsersEdit: [], entitledUsersPublish: [], entitledUsersView: [], categoryIds: [] };

      const disabled = uploadDisabledReason(meeting, account);
      if (disabled) return { ...empty, ...base, ignoreReason: disabled };

      const webinar = isWebinar(meeting);
      const matcher = createUserMatcher(source, sink, account.owner);
      const owner = await resolveOwner(meeting, account.owner, matcher, sink, logger);

      const excluded = await groupExclusionReason(owner.ownerId, account, sink);
      if (excluded) return { ...empty, ...base, ownerId: owner.ownerId, ignoreReason: excluded };

      let detailsOnce: Promise<ZoomMeetingDetails | null> | undefined;
      const details = () => (detailsOnce ??= source.getMeetingDetails(meeting.id, webinar));

      // Tracking fields exist for meetings only; webinars need details only for alternative hosts.
      const refs = categoryRefs(account, webinar, meeting.id, webinar ? null : await details());
      const categoryIds = await categories.resolve(refs, account);
      const entitled = await resolveEntitlements({
        meeting,
        webinar,
        account,
        ownerId: owner.ownerId,
        source,
        matcher,
        details,
        logger,
        features: deps.features,
      });

      return {
        ...base,
        ownerId: owner.ownerId,
        entitledUsersEdit: entitled.edit,
        entitledUsersPublish: entitled.publish,
        entitledUsersView: entitled.view,
        categoryIds,
      };
    },
  };
}
