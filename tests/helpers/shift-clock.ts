/** Real time plus an offset a test moves, shared by both emulators and zk; sleeps are real but capped. */
import type { Clock } from '../../src/util/clock.js';

export interface ShiftClock extends Clock {
  advance(ms: number): void;
}

/** Loops in zk sleep between cycles; a test never waits longer than `capMs` for one. */
export function shiftClock(capMs = 20): ShiftClock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance: (ms) => void (offset += ms),
    sleep: (ms, signal) =>
      new Promise((res, rej) => {
        if (signal?.aborted) return rej(signal.reason);
        const onAbort = () => (clearTimeout(t), rej(signal?.reason));
        const t = setTimeout(() => (signal?.removeEventListener('abort', onAbort), res()), Math.min(ms, capMs));
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
  };
}

export const silentLogger = { error() {}, warn() {}, info() {}, debug() {} };
