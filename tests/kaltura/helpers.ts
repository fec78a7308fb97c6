import { createKalturaSink, type KalturaSinkOptions } from '../../src/kaltura/sink.js';
import type { MediaSink } from '../../src/ingest/ports.js';
import { startKalturaSandbox, type KalturaSandbox, type KalturaSandboxOptions } from '../../src/sandbox/kaltura/server.js';
import { KALTURA_DEMO_ADMIN_SECRET, KALTURA_DEMO_PARTNER_ID, kalturaDemoSandboxOptions } from '../../src/sandbox/seed/kaltura-demo.js';
import type { Clock } from '../../src/util/clock.js';
import { eventually } from '../helpers/async.js';
export { eventually };

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

