/**
 * Every KalturaEntryStatus, the virus-scan plugin's string values included, mapped to one decision.
 * Kaltura's enum is dynamic (plugins add string values), so anything not listed is `unknown`, which
 * puts the file in front of an operator instead of guessing; no status ever leads to deleting a
 * READY entry.
 */
export type EntryDecision =
  /** Content is in and converted: check the evidence (size, token, duration). */
  | 'ready'
  /** No content yet (or a draft entry that media.add made READY without flavors): zk's records decide. */
  | 'no-content'
  /** Kaltura is importing or converting: wait, up to global.importTimeout. */
  | 'in-progress'
  /** Content held for moderation: wait; after importTimeout an operator reviews it (the entry is kept). */
  | 'moderation'
  /** Kaltura could not fetch the content: discard the entry and submit again. */
  | 'import-error'
  /** Kaltura could not convert the content: retried once, then FAILED with Kaltura's message. */
  | 'conversion-error'
  /** The entry is gone: forget it and create a new one. */
  | 'deleted'
  /** The virus scan found malware: FAILED permanently, never uploaded again, kept in Zoom. */
  | 'infected'
  /** Needs an operator: blocked by an administrator, virus scan failed, or a status zk does not know. */
  | 'review';

export interface EntryStatusInfo {
  decision: EntryDecision;
  /** Kaltura's name for the status, for messages. */
  name: string;
}

export const ENTRY_STATUS_TABLE: ReadonlyMap<string, EntryStatusInfo> = new Map<string, EntryStatusInfo>([
  ['-2', { decision: 'import-error', name: 'ERROR_IMPORTING' }],
  ['-1', { decision: 'conversion-error', name: 'ERROR_CONVERTING' }],
  ['0', { decision: 'in-progress', name: 'IMPORT' }],
  ['1', { decision: 'in-progress', name: 'PRECONVERT' }],
  ['2', { decision: 'ready', name: 'READY' }],
  ['3', { decision: 'deleted', name: 'DELETED' }],
  ['4', { decision: 'in-progress', name: 'PENDING' }],
  ['5', { decision: 'moderation', name: 'MODERATE' }],
  ['6', { decision: 'review', name: 'BLOCKED' }],
  ['7', { decision: 'no-content', name: 'NO_CONTENT' }],
  ['virusScan.Infected', { decision: 'infected', name: 'virusScan.Infected' }],
  ['virusScan.ScanFailure', { decision: 'review', name: 'virusScan.ScanFailure' }],
]);

export function entryStatusInfo(status: number | string): EntryStatusInfo {
  return ENTRY_STATUS_TABLE.get(String(status)) ?? { decision: 'review', name: `unknown status ${JSON.stringify(status)}` };
}
