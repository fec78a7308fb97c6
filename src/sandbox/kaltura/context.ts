/** What every service handler receives: the store, faults, time, storage and the caller's session. */
import type { FaultState } from './faults.js';
import type { KalturaDeployment } from './deployment.js';
import type { ParsedKs } from './ks-verify.js';
import type { Params } from './params.js';
import type { SandboxStore } from './store.js';

export interface SandboxContext {
  store: SandboxStore;
  faults: FaultState;
  /** Epoch milliseconds. */
  now(): number;
  storageDir: string;
  conversionDelayMs: number;
  deployment: KalturaDeployment;
  /** The media's duration in ms as a transcoder would measure it from the stored bytes (undefined: unknown). */
  mediaDurationMs(content: { size: number; sha256: string }): Promise<number | undefined>;
  /** How long a final chunk waits for missing parked chunks (the real server: ~45 s). */
  finalChunkWaitMs: number;
  /** The sandbox's own base URL (for uploadUrl fields). */
  baseUrl(): string;
  /** Runs `fn` after `ms` unless the sandbox is closed first. */
  schedule(fn: () => void, ms: number): void;
  /** Keeps a background task (import, hashing) so close() can wait for it. */
  track(task: Promise<unknown>): void;
  /** Serialises work on one key (an upload token). */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

export interface CallContext {
  ctx: SandboxContext;
  service: string;
  action: string;
  /** Partner of the KS (or of session.start's partnerId). */
  partnerId: number;
  ks?: ParsedKs;
}

export type Handler = (call: CallContext, p: Params) => unknown | Promise<unknown>;

export interface ActionDef {
  /** Canonical camelCase action name (for call counts and errors). */
  name: string;
  handler: Handler;
  /** Actions marked @ksIgnored (session.start). */
  noKs?: boolean;
  /** Forbidden to a USER (type 0) KS. */
  adminOnly?: boolean;
}

export type ServiceDef = Record<string, ActionDef>;

export function nowSec(ctx: SandboxContext): number {
  return Math.floor(ctx.now() / 1000);
}
