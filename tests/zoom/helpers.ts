/** Shared setup for the Zoom tests: the demo sandbox and a fast-retrying adapter. */
import { startZoomSandbox, type ZoomSandbox, type ZoomSandboxOptions } from '../../src/sandbox/zoom/server.js';
import { ZOOM_DEMO_ACCOUNT, zoomDemoSeed } from '../../src/sandbox/seed/zoom-demo.js';
import { createZoomSource, type ZoomSourceOptions } from '../../src/zoom/index.js';
import type { RecordingSource } from '../../src/ingest/ports.js';
import type { Clock } from '../../src/util/clock.js';

export const NOW = Date.parse('2024-11-30T12:00:00Z');

/** A clock tests move by hand; sleep() advances it and yields, so waits cost no wall time. */
export function manualClock(start = NOW): Clock & { set(ms: number): void; advance(ms: number): void; slept: number[] } {
  let t = start;
  const slept: number[] = [];
  return {
    now: () => t,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      slept.push(ms);
      t += ms;
      await new Promise((r) => setImmediate(r));
    },
    set: (ms) => {
      t = ms;
    },
    advance: (ms) => {
      t += ms;
    },
    slept,
  };
}

export async function demoSandbox(extra: Partial<ZoomSandboxOptions> = {}, now: () => number = () => NOW): Promise<ZoomSandbox> {
  return startZoomSandbox({ accounts: [{ ...ZOOM_DEMO_ACCOUNT }], seed: zoomDemoSeed(now()), now, ...extra });
}

export function demoSource(sbx: ZoomSandbox, extra: Partial<ZoomSourceOptions> = {}): RecordingSource {
  return createZoomSource({
    account: 'main',
    apiUrl: sbx.apiUrl,
    oauthUrl: sbx.oauthUrl,
    credentials: { ...ZOOM_DEMO_ACCOUNT },
    backoff: { baseMs: 5, maxMs: 20 },
    ...extra,
  });
}

export async function tokenFor(sbx: ZoomSandbox, acct = ZOOM_DEMO_ACCOUNT): Promise<string> {
  const res = await fetch(sbx.oauthUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${acct.clientId}:${acct.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: `grant_type=account_credentials&account_id=${acct.accountId}`,
  });
  const body = (await res.json()) as { access_token: string };
  return body.access_token;
}

export async function api(sbx: ZoomSandbox, token: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${sbx.apiUrl}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}
