/**
 * Every KalturaEntryModerationStatus (1 PENDING_MODERATION, 2 APPROVED, 3 REJECTED, 4 DELETED, 5 FLAGGED_FOR_REVIEW,
 * 6 AUTO_APPROVED). A filter naming none gets moderationStatusNotIn=1,3 added by the server
 * (KalturaBaseEntryFilter::setDefaultModerationStatus), which hides entries on moderated partners; every
 * entry lookup by referenceId (zk's own and Kaltura's Zoom integration's) names them all.
 */
export const ALL_MODERATION_STATUSES = '1,2,3,4,5,6';
