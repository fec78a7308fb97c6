/**
 * Meeting vs webinar. Zoom reports webinars as type 5 (webinar), 6 (recurring
 * webinar without fixed time) and 9 (recurring webinar with fixed time).
 */
import type { AccountConfig } from '../../config/schema.js';
import type { ZoomMeeting } from '../ports.js';

export const WEBINAR_TYPES: readonly number[] = [5, 6, 9];

export function isWebinar(meeting: Pick<ZoomMeeting, 'type'>): boolean {
  return WEBINAR_TYPES.includes(meeting.type);
}

/** Why a recording of this kind is not uploaded for the account, or undefined when it is. */
export function uploadDisabledReason(meeting: Pick<ZoomMeeting, 'type'>, account: AccountConfig): string | undefined {
  if (isWebinar(meeting)) {
    return account.webinars.upload ? undefined : `webinar uploads are disabled for account ${account.name}`;
  }
  return account.meetings.upload ? undefined : `meeting uploads are disabled for account ${account.name}`;
}
