/**
 * What every engine step receives: repositories, settings, the clock and the
 * hooks. Built once by createEngine (the composition root passes the pieces).
 */
import type { AccountConfig } from '../config/schema.js';
import type { Clock } from '../util/clock.js';
import type { EventActor } from './store-port/events.js';
import type { Repos } from './store-port/repos.js';
import type { EntryPolicyResolver, MediaSink, RecordingSource } from './ports.js';
import type { RetryPolicy } from './backoff.js';
import type { CrashPoint, CrashPointName } from './crash-points.js';
import type { ZoomIntegrationLookup } from './adopt-port.js';
import type { Log } from '../log/port.js';

export type { Repos } from './store-port/repos.js';

/** One configured account with its own adapters (own token, pacing, failure accounting). */
export interface EngineAccount {
  config: AccountConfig;
  source: RecordingSource;
  sink: MediaSink;
  /** Set when `kaltura.adopt` is `zoomIntegration`: what Kaltura's own Zoom integration ingested is adopted, not ingested again. */
  integration?: ZoomIntegrationLookup;
}

/**
 * Outcomes the engine reports as they happen (the daemon feeds Prometheus with
 * them). Every method is optional; an observer must never throw.
 */
export interface EngineObserver {
  bytesTransferred?(sample: { account: string; bytes: number }): void;
  /** A file became HANDLED; latency runs from the recording's end to verification. */
  fileHandled?(sample: { account: string; latencySeconds: number }): void;
  /** One work step on a file ended (any outcome); progress displays re-count on it. */
  fileWorked?(sample: { account: string; fileId: number; outcome: string }): void;
  deletion?(sample: { account: string; action: 'trash' | 'delete' }): void;
  pollCycle?(sample: { account: string; durationMs: number; ok: boolean }): void;
  /** A file was adopted from Kaltura's Zoom integration (nothing uploaded). */
  adopted?(sample: { account: string; kind: 'media' | 'caption' | 'chat' }): void;
  /** An entry of Kaltura's Zoom integration was found but not adopted (errored, incomplete, weak evidence). */
  adoptionConflict?(sample: { account: string }): void;
}

export interface EngineSettings {
  retry: RetryPolicy;
  pollIntervalMs: number;
  lookbackMs: number;
  importTimeoutMs: number;
  deleteCapPerRun: number;
  transferMode: 'upload' | 'url';
  chunkSizeBytes: number;
  conversionProfileId?: number;
  leaseTtlMs: number;
  maxCaptionBytes: number;
  /** kaltura.indexLag: how long after a create began an empty lookup is repeated before creating again. */
  indexLagMs: number;
  /** Longest wait for a better view still processing before the best complete one becomes the parent. */
  parentViewWaitMs: number;
  /** Verification by duration (no READY source flavor, url mode): the allowed difference. */
  durationToleranceMs: number;
  /** Consecutive ACTION_BLOCKED answers waited out without spending an attempt. */
  actionBlockedFreeRetries: number;
}

export interface EngineContext {
  repos: Repos;
  clock: Clock;
  settings: EngineSettings;
  policy: EntryPolicyResolver;
  actor: EventActor;
  /** Lease owner for rows and scans (stable per process role, e.g. 'daemon'). */
  owner: string;
  random: () => number;
  log: Log;
  observer: EngineObserver;
  crash(name: CrashPointName, info?: { fileId?: number; chunk?: number }): void;
}

export function wrapCrashPoint(hook: CrashPoint | undefined): EngineContext['crash'] {
  return (name, info) => hook?.(name, info);
}
