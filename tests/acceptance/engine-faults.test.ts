/**
 * Issue 4 acceptance, faults: under each injected fault the end state is
 * exactly-once (one entry per referenceId, byte-identical content, no
 * duplicated assets) and nothing leaves Zoom unverified.
 */
import { afterEach, expect, test } from '@jest/globals';
import { createZoomSource } from '../../src/zoom/index.js';
import { kalturaSinkFor } from '../../src/wiring/adapters.js';
import { openStore } from '../../src/store/migrate.js';
import { createRepos } from '../../src/store/repos.js';
import { createEngine } from '../../src/ingest/engine.js';
import { createKalturaPolicy } from '../../src/ingest/policy/index.js';
import { assertExactlyOnce, fileRows, settle, statesOf, world, type World } from './harness.js';
import { bytesBeforeReset, cdnGetsByFile, isApiCall, rangeStart, retriesOf } from './wire-log.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

async function finishAndPurge(x: World): Promise<void> {
  await settle(x);
  x.sandbox.zoom.resetFaults();
  x.sandbox.kaltura.resetFaults();
  await settle(x);
  x.clock.advance(2 * 60_000);
  await settle(x);
}

function expectAllVerified(x: World, minimum = 8): void {
  const states = statesOf(x);
  expect(states.FAILED ?? 0).toBe(0);
  expect((states.PURGED ?? 0) + (states.HANDLED ?? 0) + (states.PURGE_PENDING ?? 0)).toBeGreaterThanOrEqual(minimum);
}

test('429 storm: Retry-After honoured, nothing lost or duplicated', async () => {
  w = await world({ deleteEnabled: true, deleteDelay: '1m' });
  // Retry-After (40 ms) is longer than zk's own first backoff (10–20 ms) and shorter than the clock's sleep cap (50 ms):
  // a retry sent before it proves zk ignored the header.
  w.sandbox.zoom.setFaults({ rate429: 0.5, retryAfterMs: 40, seed: 3 });
  await finishAndPurge(w);
  const log = w.sandbox.zoom.state.requests();
  const served429 = log.filter((r) => r.status === 429);
  expect(served429.length).toBeGreaterThan(5);
  expect(served429.every((r) => r.retryAfter !== undefined)).toBe(true);
  const retries = retriesOf(log, (r) => r.status === 429 && isApiCall(r));
  expect(retries.length).toBeGreaterThan(3);
  for (const { failed, next } of retries) expect(next.at).toBeGreaterThanOrEqual(Date.parse(failed.retryAfter!));
  expectAllVerified(w);
  await assertExactlyOnce(w, expect);
});

test('5xx from Zoom and Kaltura', async () => {
  w = await world({ deleteEnabled: true, deleteDelay: '1m' });
  w.sandbox.zoom.setFaults({ rate5xx: 0.3, seed: 5 });
  w.sandbox.kaltura.setFaults({ serverErrorRate: 0.15, seed: 5 });
  await finishAndPurge(w);
  // Both sides really failed, and every Zoom call that got a 5xx was sent again until it succeeded (not given up, not read as empty).
  const zoomLog = w.sandbox.zoom.state.requests();
  const zoom5xx = zoomLog.filter((r) => isApiCall(r) && typeof r.status === 'number' && r.status >= 500);
  expect(zoom5xx.length).toBeGreaterThan(3);
  for (const failed of zoom5xx) {
    const later = zoomLog.filter((r) => r.seq > failed.seq && r.method === failed.method && r.url === failed.url);
    expect(later.some((r) => typeof r.status === 'number' && r.status < 300)).toBe(true);
  }
  expect(w.sandbox.kaltura.state.requests().filter((r) => r.status === 503).length).toBeGreaterThan(3);
  expectAllVerified(w);
  await assertExactlyOnce(w, expect);
});

test('connection reset mid-download resumes (Range) and never stores a short file', async () => {
  w = await world({ deleteEnabled: true, deleteDelay: '1m' });
  w.sandbox.zoom.setFaults({ resetMidDownloadRate: 0.6, seed: 9 });
  await finishAndPurge(w);
  // Media downloads are ranged; after a reset the next request for the file resumes at an offset zk already holds:
  // never before where the failed one started, never past what the emulator had sent. (Text files are fetched whole by design.)
  let resumedPastZero = 0;
  let resets = 0;
  for (const gets of cdnGetsByFile(w.sandbox.zoom.state.requests()).values()) {
    gets.forEach((r, i) => {
      if (r.status !== 'reset' || r.range === undefined) return;
      resets++;
      const next = gets[i + 1];
      expect(next).toBeDefined();
      expect(rangeStart(next!)).toBeGreaterThanOrEqual(rangeStart(r));
      expect(rangeStart(next!)).toBeLessThanOrEqual(bytesBeforeReset(r));
      if (rangeStart(next!) > 0) resumedPastZero++;
    });
  }
  expect(resets).toBeGreaterThan(3);
  expect(resumedPastZero).toBeGreaterThan(1);
  expectAllVerified(w);
  await assertExactlyOnce(w, expect);
});

test('token expiry mid-run: 124 refreshes the token', async () => {
  w = await world({ deleteEnabled: true, deleteDelay: '1m' });
  w.sandbox.zoom.setFaults({ failNext: [{ pathPrefix: '/v2/', status: 401, code: 124, count: 3 }] });
  await w.runDaemon();
  // Revoke the tokens mid-run (once downloads have begun), so a running daemon meets the expiry, not a fresh start.
  const zoom = w.sandbox.zoom;
  let ended = false;
  const run = w.runDaemon().finally(() => void (ended = true));
  while (!ended && !zoom.state.requests().some((r) => r.url.startsWith('/rec/download/'))) await new Promise((r) => setTimeout(r, 2));
  zoom.state.revokeTokens();
  await run;
  await finishAndPurge(w);
  // Every refused call was sent again with a different token, fetched from /oauth/token after the refusal.
  const log = w.sandbox.zoom.state.requests();
  const refused = retriesOf(log, (r) => (isApiCall(r) || r.url.startsWith('/rec/download/')) && r.status === 401);
  expect(refused.length).toBeGreaterThanOrEqual(4); // the three scripted 124s and at least one call after the revocation
  expect(refused.some(({ failed }) => failed.seq > log.find((r) => r.url.startsWith('/rec/download/'))!.seq)).toBe(true);
  for (const { failed, next } of refused) {
    expect(next.authFingerprint).not.toBe(failed.authFingerprint);
    expect(log.some((r) => r.seq >= next.seq && r.url === failed.url && r.status !== 401)).toBe(true);
    const tokenFetch = log.find((r) => r.seq > failed.seq && r.seq < next.seq && r.url === '/oauth/token' && r.status === 200);
    expect(tokenFetch).toBeDefined();
  }
  expectAllVerified(w);
  await assertExactlyOnce(w, expect);
});

test('page-token expiry restarts the listing; every page is recorded', async () => {
  w = await world();
  const x = w;
  const cfg = x.config();
  const acct = cfg.accounts[0]!;
  let expirations = 0;
  // Small pages, and the page token expires right after the first two listing pages are served.
  const source = createZoomSource({
    account: acct.name,
    apiUrl: cfg.zoom.apiUrl,
    oauthUrl: cfg.zoom.oauthUrl,
    credentials: acct.credentials,
    clock: x.clock,
    pageSize: 2,
    onCall: (info) => {
      if (info.endpoint.includes('recordings') && info.status === 200 && expirations < 2) {
        expirations++;
        x.sandbox.zoom.state.expirePageTokens();
      }
    },
  });
  const sink = kalturaSinkFor(cfg, { clock: x.clock });
  const db = openStore(x.database);
  try {
    const engine = createEngine({
      repos: createRepos(db, x.clock),
      clock: x.clock,
      config: { global: cfg.global, kaltura: cfg.kaltura },
      accounts: [{ config: acct, source, sink }],
      policy: createKalturaPolicy({ source, sink }),
    });
    const [poll] = await engine.pollAll();
    expect(poll!.ok).toBe(true);
    expect(expirations).toBe(2);
    for (let i = 0; i < 20 && fileRows(x).some((f) => ['PENDING', 'TRANSFERRING', 'IMPORTING', 'RETRY_WAIT'].includes(f.state)); i++) {
      await engine.workOnce();
      await new Promise((r) => setTimeout(r, 30));
    }
  } finally {
    db.close();
  }
  // Every demo meeting with recordings was recorded, once.
  const listed = new Set(x.sandbox.zoom.state.snapshot().meetings.map((m) => m.uuid));
  expect(new Set(fileRows(x).map((f) => f.meeting_uuid))).toEqual(listed);
  expectAllVerified(x);
  await assertExactlyOnce(x, expect);
});

test('Kaltura conversion failure: the errored entry is replaced, never kept twice, never deleted from Zoom early', async () => {
  w = await world({ deleteEnabled: true, deleteDelay: '1m' });
  w.sandbox.kaltura.setFaults({ conversionFailureNext: 3 });
  await settle(w);
  const errored = w.sandbox.kaltura.state.entries().filter((e) => e.status === -1 || e.status === 3);
  expect(errored.length).toBeGreaterThanOrEqual(1);
  await finishAndPurge(w);
  expectAllVerified(w);
  await assertExactlyOnce(w, expect);
});

test('Kaltura ACTION_BLOCKED: waited out for a minute without spending attempts; nothing lost, nothing deleted', async () => {
  w = await world({ deleteEnabled: true, deleteDelay: '1m' });
  w.sandbox.kaltura.setFaults({ actionBlockedNext: { 'media.add': 4, 'uploadtoken.add': 2 } });
  await w.runDaemon();
  expect(w.sandbox.zoom.state.snapshot().meetings.flatMap((m) => m.files).filter((f) => f.state !== 'live')).toEqual([]);
  const blocked = fileRows(w).filter((f) => f.last_error_code === 'ACTION_BLOCKED' && f.state === 'RETRY_WAIT');
  expect(blocked.length).toBeGreaterThan(0);
  for (const f of blocked) {
    expect(f.attempts).toBe(0);
    expect(f.next_attempt_at).toBeGreaterThanOrEqual(w.clock.now() + 55_000);
  }
  w.clock.advance(61_000);
  await finishAndPurge(w);
  expectAllVerified(w);
  await assertExactlyOnce(w, expect);
});
