/**
 * Drop-folder file states. They mirror Kaltura's drop folder but are honest
 * about completion: HANDLED means the Kaltura entry is READY and holds the
 * same number of bytes Zoom reported, not merely "import submitted".
 */
export const FILE_STATES = [
  /** Listed by Zoom but not complete yet (status processing, or size 0). */
  'DETECTED',
  /** Complete in Zoom and planned; waiting for a transfer slot. */
  'PENDING',
  /** Bytes are moving (upload mode) or the URL import is being submitted. */
  'TRANSFERRING',
  /** Kaltura has the content; waiting for the entry to become READY. */
  'IMPORTING',
  /** Kaltura entry READY and verified (size matches). Safe to delete from Zoom. */
  'HANDLED',
  /** Deletion from Zoom is enabled; waiting for the configured delay. */
  'PURGE_PENDING',
  /** Trashed (or deleted) from Zoom. Terminal. */
  'PURGED',
  /** A step failed; retried at next_attempt_at. */
  'RETRY_WAIT',
  /** Attempts exhausted; `zk files retry` revives it. */
  'FAILED',
  /**
   * The Kaltura entry exists (and may be READY) but zk cannot verify it holds this file: a size or
   * duration mismatch, no evidence, an entry blocked or whose virus scan failed, an unknown status.
   * The entry is never deleted and the file stays in Zoom; `zk files retry` verifies again.
   */
  'NEEDS_REVIEW',
  /** Excluded by policy (reason in events); never deleted from Zoom. */
  'IGNORED',
  /** Not ingested because another file of the segment carries it (M4A beside MP4); trashed with that file. */
  'COVERED',
] as const;

export type FileState = (typeof FILE_STATES)[number];

/** States in which a file still needs work from zk. */
export const ACTIVE_STATES: readonly FileState[] = ['DETECTED', 'PENDING', 'TRANSFERRING', 'IMPORTING', 'RETRY_WAIT'];

/** States from which nothing more happens without an operator. */
export const TERMINAL_STATES: readonly FileState[] = ['PURGED', 'FAILED', 'IGNORED', 'NEEDS_REVIEW'];
