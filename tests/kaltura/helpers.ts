import { createKalturaSink, type KalturaSinkOptions } from '../../src/kaltura/sink.js';
import type { MediaSink } from '../../src/ingest/ports.js';
import { startKalturaSandbox, type KalturaSandbox, type KalturaSandboxOptions } from '../../src/sandbox/kaltura/server.js';
import { KALTURA_DEMO_ADMIN_SECRET, KALTURA_DEMO_PARTNER_ID, kalturaDemoSandboxOptions } from '../../src/sandbox/seed/kaltura-demo.js';
import type { Clock } from '../../src/util/clock.js';

/** A clock tests move by hand; sleep resolves at once (and moves time). */
export function manualClock(start = Date.UTC(2026, 0, 5, 12)): Clock & { advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export async function demoSandbox(extra: Partial<KalturaSandboxOptions> = {}): Promise<KalturaSandbox> {
  return startKalturaSandbox({ ...kalturaDemoSandboxOptions(), conversionDelayMs: 20, finalChunkWaitMs: 100, ...extra });
}

export function demoSink(sbx: KalturaSandbox, extra: Partial<KalturaSinkOptions> = {}): MediaSink {
  return createKalturaSink({
    serviceUrl: sbx.url,
    partnerId: KALTURA_DEMO_PARTNER_ID,
    adminSecret: KALTURA_DEMO_ADMIN_SECRET,
    userId: 'zk-service',
    privileges: 'disableentitlement',
    sessionExpiryMs: 3_600_000,
    retryDelayMs: 1,
    ...extra,
  });
}

/** Polls (with real short sleeps; the sandbox runs on real timers) until `fn` returns a value. */
export async function eventually<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
