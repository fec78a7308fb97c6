/**
 * Whether an account may work now, kept in SQLite (account_state) so a
 * restart, `zk status` and /readyz all see the same thing:
 *  - halted: a fatal error (rejected credentials, a missing mandatory scope,
 *    an invalid Kaltura session) stopped it; it is tried again every
 *    `haltRetryMs` (a fixed secret recovers without a restart) and at start;
 *  - paused: the remote refuses every call until a time (Zoom's daily limit);
 *    polls and purges wait for it.
 * Zoom and Kaltura halts behave the same; only what clears them differs: a
 * successful poll proves Zoom, a file step that reached Kaltura proves Kaltura.
 */
import { isRetryable, ZkError, type FatalError } from '../errors.js';
import type { AccountHalt, AccountStateRepo } from './store-port/account-state.js';
import type { Clock } from '../util/clock.js';
import type { Log } from '../log/port.js';
import { errorCode, errorMessage } from './failures.js';

export interface AccountGate {
  /** The halt in force now (not yet due for another try), if any. */
  haltedNow(account: string): AccountHalt | undefined;
  /** The halt on record, due for a try or not (status, readiness). */
  halt(account: string): AccountHalt | undefined;
  /** Epoch ms until which the account is paused, when it is. */
  pausedUntil(account: string): number | undefined;
  /** A fatal or account-pausing error seen by any step of the account. */
  onAccountError(account: string, err: unknown): void;
  /** The remote answered for the account: clear the halt it caused and any pause that has ended. */
  onSuccess(account: string, source: 'zoom' | 'kaltura'): void;
  /** Clear the halt now (operator resume). */
  resume(account: string): void;
  /** A start is a deliberate retry: halts on record become due now. */
  probeAllNow(accounts: string[]): void;
}

export interface AccountGateDeps {
  state: AccountStateRepo;
  clock: Clock;
  log: Log;
  /** How long a halted account waits before zk tries it again. */
  haltRetryMs: number;
}

function defaultFix(source: string, haltRetryMs: number): string {
  const every = `zk tries again every ${Math.round(haltRetryMs / 1000)} s and at every start`;
  if (source === 'kaltura') return `check kaltura.partnerId, kaltura.adminSecret and kaltura.privileges; ${every}`;
  return `check the account's Zoom credentials and app; ${every}`;
}

export function createAccountGate(deps: AccountGateDeps): AccountGate {
  const { state, clock, log } = deps;
  return {
    haltedNow(account) {
      const h = state.core(account).halt;
      return h && clock.now() < h.nextProbeAt ? h : undefined;
    },
    halt: (account) => state.core(account).halt,
    pausedUntil(account) {
      const until = state.core(account).pausedUntil;
      return until !== undefined && clock.now() < until ? until : undefined;
    },
    onAccountError(account, err) {
      if (isRetryable(err) && err.pausesAccount && err.retryAfterMs !== undefined) {
        const until = clock.now() + err.retryAfterMs;
        if ((state.core(account).pausedUntil ?? 0) < until) {
          state.pause(account, until, errorMessage(err));
          log.warn('account paused: the remote refuses its calls until a set time', { account, until: new Date(until).toISOString(), code: errorCode(err) });
        }
        return;
      }
      if (!(err instanceof ZkError) || err.kind !== 'fatal') return;
      const source = err.source === 'kaltura' ? 'kaltura' : 'zoom';
      const fix = (err as FatalError).fix ?? defaultFix(source, deps.haltRetryMs);
      const nextProbeAt = clock.now() + deps.haltRetryMs;
      state.halt(account, { code: errorCode(err), source, reason: errorMessage(err), fix, nextProbeAt });
      log.error('account halted', { account, code: errorCode(err), reason: errorMessage(err), fix, nextTry: new Date(nextProbeAt).toISOString() });
    },
    onSuccess(account, source) {
      const row = state.core(account);
      if (row.halt && row.halt.source === source) {
        state.clearHalt(account);
        log.info('account recovered', { account, haltedFor: clock.now() - row.halt.at, code: row.halt.code });
      }
      if (source === 'zoom' && row.pausedUntil !== undefined && clock.now() >= row.pausedUntil) state.clearPause(account);
    },
    resume: (account) => state.clearHalt(account),
    probeAllNow(accounts) {
      for (const a of accounts) {
        const h = state.core(a).halt;
        if (h) state.halt(a, { ...h, nextProbeAt: clock.now() });
      }
    },
  };
}
