/** Kaltura entry statuses in words, for reasons and log lines ("failed to convert in Kaltura", not "status -1"). */
import { ENTRY_STATUS } from './ports.js';

const NAMES: Record<number, string> = {
  [ENTRY_STATUS.ERROR_IMPORTING]: 'failed to import in Kaltura (ERROR_IMPORTING, status -2)',
  [ENTRY_STATUS.ERROR_CONVERTING]: 'failed to convert in Kaltura (ERROR_CONVERTING, status -1)',
  [ENTRY_STATUS.IMPORT]: 'is still importing (IMPORT, status 0)',
  [ENTRY_STATUS.PRECONVERT]: 'is still converting (PRECONVERT, status 1)',
  [ENTRY_STATUS.READY]: 'is READY (status 2)',
  [ENTRY_STATUS.DELETED]: 'was deleted (status 3)',
  [ENTRY_STATUS.PENDING]: 'is pending moderation (PENDING, status 4)',
  [ENTRY_STATUS.MODERATE]: 'is awaiting moderation (MODERATE, status 5)',
  [ENTRY_STATUS.BLOCKED]: 'is blocked (BLOCKED, status 6)',
  [ENTRY_STATUS.NO_CONTENT]: 'has no content yet (NO_CONTENT, status 7)',
};

export function describeEntryStatus(status: number): string {
  return NAMES[status] ?? `has status ${status}`;
}
