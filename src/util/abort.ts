/** Cancellation shared by all the work in flight. */
import { setMaxListeners } from 'node:events';

/**
 * Each HTTP request (got), download and clock sleep adds one 'abort' listener to the signal it is
 * given and removes it when it ends, so the count follows the work in flight. Node warns of a
 * "possible memory leak" at 11, which a busy daemon passes in normal operation. The config caps
 * transfers at 64, each holding at most a download, an upload and a sleep, plus a few listings per
 * account: 500 stays above that and still flags a real leak.
 */
export const MAX_SIGNAL_LISTENERS = 500;

export function sharedAbortController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(MAX_SIGNAL_LISTENERS, controller.signal);
  return controller;
}
