/** Fault injection for the Kaltura sandbox; random choices come from a seeded PRNG so runs repeat. */

import { mulberry32 } from '../prng.js';

export interface KalturaFaults {
  /** PRNG seed; setting it restarts the sequence. */
  seed?: number;
  /** Probability (0..1) that any API call answers ACTION_BLOCKED. */
  actionBlockedRate?: number;
  /** Next N calls of 'service.action' (lower-case, e.g. 'media.list') answer ACTION_BLOCKED. */
  actionBlockedNext?: Record<string, number>;
  /** Probability that a request answers HTTP 503 with a non-JSON body. */
  serverErrorRate?: number;
  /** The next N requests answer HTTP 503. */
  serverErrorNext?: number;
  /** Delay added before each API response. */
  slowMs?: number;
  /** Probability that a conversion ends in ERROR_CONVERTING (-1). */
  conversionFailureRate?: number;
  /** The next N conversions end in ERROR_CONVERTING. */
  conversionFailureNext?: number;
  /** Probability that a URL import ends in ERROR_IMPORTING (-2). */
  importFailureRate?: number;
  /** The next N URL imports end in ERROR_IMPORTING. */
  importFailureNext?: number;
  /**
   * The next `count` calls of 'service.action' (lower-case, e.g. 'uploadtoken.upload') answer the API
   * exception `code` (e.g. UPLOAD_ERROR, UPLOAD_TOKEN_CANNOT_RESUME) instead of running.
   */
  apiErrorNext?: Record<string, { code: string; count: number }>;
  /** Source flavors report this many bytes more than they hold (a size mismatch). */
  flavorSizeSkewBytes?: number;
  /** Cap on session.start expiry (the partner's ksMaxExpiryInSeconds). */
  maxKsExpirySec?: number;
  /** Sessions whose expiry (`_e`, unix s) is at or before this are rejected as expired. */
  ksExpiredBefore?: number;
  /**
   * Entry moderation (a partner setting): new entries get moderationStatus PENDING_MODERATION (1) instead of
   * AUTO_APPROVED (6), and, as KalturaBaseEntryFilter::setDefaultModerationStatus does, a list whose filter
   * names no moderation status hides PENDING_MODERATION and REJECTED entries.
   */
  entryModeration?: boolean;
  /** Search-index lag: media/baseentry lists do not see an entry until this many ms after its media.add. */
  indexLagMs?: number;
  /**
   * A lost response: the next N HTTP requests that run 'service.action' (lower-case; alone or inside a
   * multirequest) are executed in full, then the connection is cut before any answer is sent.
   */
  dropResponseNext?: Record<string, number>;
}

export interface FaultState {
  readonly current: Readonly<KalturaFaults>;
  set(partial: KalturaFaults): void;
  reset(): void;
  /** Consumes a fault decision for one API call. */
  blockAction(service: string, action: string): boolean;
  /** Consumes a scripted API error for one call; the code to answer, if any. */
  apiError(service: string, action: string): string | undefined;
  serverError(): boolean;
  /** Consumes a dropped-response fault for a request that ran these 'service.action' keys. */
  dropResponse(keys: string[]): boolean;
  conversionFails(): boolean;
  importFails(): boolean;
}

export function createFaultState(initial: KalturaFaults = {}): FaultState {
  let faults: KalturaFaults = {};
  let rand = mulberry32(1);
  const roll = (rate: number | undefined) => (rate ?? 0) > 0 && rand() < (rate ?? 0);
  const takeCounter = (key: 'serverErrorNext' | 'conversionFailureNext' | 'importFailureNext') => {
    const n = faults[key] ?? 0;
    if (n <= 0) return false;
    faults[key] = n - 1;
    return true;
  };
  const state: FaultState = {
    get current() {
      return faults;
    },
    set(partial) {
      if (partial.seed !== undefined) rand = mulberry32(partial.seed);
      faults = {
        ...faults,
        ...partial,
        actionBlockedNext: partial.actionBlockedNext
          ? Object.fromEntries(Object.entries(partial.actionBlockedNext).map(([k, v]) => [k.toLowerCase(), v]))
          : faults.actionBlockedNext,
        dropResponseNext: partial.dropResponseNext
          ? Object.fromEntries(Object.entries(partial.dropResponseNext).map(([k, v]) => [k.toLowerCase(), v]))
          : faults.dropResponseNext,
        apiErrorNext: partial.apiErrorNext
          ? Object.fromEntries(Object.entries(partial.apiErrorNext).map(([k, v]) => [k.toLowerCase(), { ...v }]))
          : faults.apiErrorNext,
      };
    },
    reset() {
      faults = {};
      rand = mulberry32(1);
    },
    blockAction(service, action) {
      const key = `${service}.${action}`.toLowerCase();
      const n = faults.actionBlockedNext?.[key] ?? 0;
      if (n > 0) {
        faults.actionBlockedNext = { ...faults.actionBlockedNext, [key]: n - 1 };
        return true;
      }
      return roll(faults.actionBlockedRate);
    },
    apiError(service, action) {
      const key = `${service}.${action}`.toLowerCase();
      const next = faults.apiErrorNext?.[key];
      if (!next || next.count <= 0) return undefined;
      faults.apiErrorNext = { ...faults.apiErrorNext, [key]: { ...next, count: next.count - 1 } };
      return next.code;
    },
    serverError() {
      return takeCounter('serverErrorNext') || roll(faults.serverErrorRate);
    },
    dropResponse(keys) {
      const key = keys.map((k) => k.toLowerCase()).find((k) => (faults.dropResponseNext?.[k] ?? 0) > 0);
      if (!key) return false;
      faults.dropResponseNext = { ...faults.dropResponseNext, [key]: faults.dropResponseNext![key] - 1 };
      return true;
    },
    conversionFails() {
      return takeCounter('conversionFailureNext') || roll(faults.conversionFailureRate);
    },
    importFails() {
      return takeCounter('importFailureNext') || roll(faults.importFailureRate);
    },
  };
  state.set(initial);
  return state;
}
