/**
 * Issue 17: how an account behaves when Zoom refuses it (against both
 * emulators, a real SQLite file and the in-process daemon):
 *  - rejected credentials halt the account: --exit-when-idle exits 3, `zk status`
 *    shows "halted: <reason>" with the fix, /readyz names the account, and a
 *    fixed secret recovers at the next re-try without a restart;
 *  - a missing scope for an optional feature degrades only that feature;
 *  - a daily-limit 429 pauses polls and purges, remembered across restarts.
 */
import { afterEach, expect, test } from '@jest/globals';
import { startDaemon } from '../../src/daemon/daemon.js';
import { EXIT } from '../../src/errors.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { openStore } from '../../src/store/migrate.js';
import { ZOOM_DEMO_ACCOUNT } from '../../src/sandbox/seed/zoom-demo.js';
import { ZOOM_SCOPES } from '../../src/sandbox/zoom/server.js';
import { parseExposition, sampleValue } from '../metrics/exposition.js';
import { count, silentLogger, statesOf, world, type World } from './world.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ACCOUNT_ID = ZOOM_DEMO_ACCOUNT.accountId;

test('rejected credentials halt the account everywhere, and a fixed secret recovers without a restart', async () => {
  w = await world({ metricsEnabled: true, mutate: (raw) => (raw.global.haltRetryInterval = '10m') });
  w.sandbox.zoom.setFaults({ rejectedCredentials: [ACCOUNT_ID] });

  // One-shot (cron) run: non-zero, documented exit code.
  expect(await w.runDaemon()).toBe(EXIT.PARTIAL);
  const status = await w.zk(['status']);
  expect(status.stdout).toMatch(/demo halted: zoom rejected the credentials of account demo: invalid_client/);
  expect(status.stdout).toMatch(/fix: check the account's credentials/);
  const json = JSON.parse((await w.zk(['status', '--json'])).stdout);
  expect(json.accounts[0].condition.halted).toMatchObject({ code: 'ZOOM_AUTH' });
  expect(count(w, 'SELECT COUNT(*) AS n FROM files')).toBe(0);

  // The daemon: not ready, naming the account; re-tries at the configured pace.
  const daemon = await startDaemon({ config: w.config(), clock: w.clock, logger: silentLogger, workIntervalMs: 5, lockTtlMs: 5_000 });
  try {
    await until('not ready', async () => (await fetch(`${daemon.metricsUrl}/readyz`)).status === 503);
    const ready = await fetch(`${daemon.metricsUrl}/readyz`);
    expect(await ready.text()).toMatch(/account demo halted: zoom rejected the credentials/);
    const metrics = parseExposition(await (await fetch(`${daemon.metricsUrl}/metrics`)).text());
    expect(sampleValue(metrics, 'zk_account_halted', { account: 'demo' })).toBe(1);

    const tokenCalls = () => w!.sandbox.zoom.state.callCounts()['POST /oauth/token'] ?? 0;
    const before = tokenCalls();
    await new Promise((r) => setTimeout(r, 300));
    expect(tokenCalls()).toBe(before); // halted: no hammering of the token endpoint

    // The secret is fixed in Zoom (the sandbox accepts it again); zk's next try, 10 minutes on, recovers.
    w.sandbox.zoom.setFaults({ rejectedCredentials: [] });
    w.clock.advance(11 * 60_000);
    await until('ready again', async () => (await fetch(`${daemon.metricsUrl}/readyz`)).status === 200);
    await until('files ingested', () => (statesOf(w!).HANDLED ?? 0) > 0);
    expect((await w.zk(['status'])).stdout).not.toMatch(/halted/);
  } finally {
    await daemon.stop('test over');
  }
});

test('a missing mandatory scope (download) halts the account, naming the scope and the fix', async () => {
  w = await world();
  w.sandbox.zoom.setFaults({ withheldScopes: { [ACCOUNT_ID]: [ZOOM_SCOPES.downloadRecording] } });
  expect(await w.runDaemon()).toBe(EXIT.PARTIAL);
  const status = (await w.zk(['status'])).stdout;
  expect(status).toMatch(/demo halted: .*lacks cloud_recording:read:recording:admin/);
  expect(status).toMatch(/fix: add scope cloud_recording:read:recording:admin to the account's Server-to-Server OAuth app/);
  // Nothing failed for it: the files wait, resumable, for the scope.
  expect(statesOf(w).FAILED ?? 0).toBe(0);
});

test('a missing scope for co-hosts and the participant report degrades only those features', async () => {
  w = await world({ metricsEnabled: true });
  w.sandbox.zoom.setFaults({ withheldScopes: { [ACCOUNT_ID]: [ZOOM_SCOPES.metricsMeetingParticipants, ZOOM_SCOPES.metricsWebinarParticipants, ZOOM_SCOPES.reportParticipants] } });
  expect(await w.runDaemon()).toBe(EXIT.OK);
  const states = statesOf(w);
  expect(states.HANDLED ?? 0).toBeGreaterThan(0);
  expect(states.FAILED ?? 0).toBe(0);
  const status = await w.zk(['status']);
  expect(status.stdout).toMatch(/demo degraded: coHosts skipped/);
  expect(status.stdout).toMatch(/demo degraded: participants skipped/);
  expect(status.stdout).not.toMatch(/halted/);
  const store = openStore(w.database);
  try {
    const families = parseExposition(await createMetrics(store, { defaultMetrics: false }).registry.metrics());
    expect(sampleValue(families, 'zk_account_feature_degraded', { account: 'demo', feature: 'coHosts' })).toBe(1);
    expect(sampleValue(families, 'zk_account_feature_degraded', { account: 'demo', feature: 'participants' })).toBe(1);
    expect(sampleValue(families, 'zk_account_halted', { account: 'demo' })).toBe(0);
  } finally {
    store.close();
  }
  const test = await w.zk(['accounts', 'test']);
  expect(test.stdout).toMatch(/degraded: the daemon ingests without permissions.coHosts/);

  // The scopes are granted again: the features work and the degradation clears.
  w.sandbox.zoom.setFaults({ withheldScopes: {} });
  const start = new Date(w.clock.now() - 3_600_000).toISOString();
  const end = new Date(w.clock.now() - 1_800_000).toISOString();
  w.sandbox.zoom.state.addMeeting({
    uuid: 'scopeBack+Uuid000000001==',
    id: 91_000_000_001,
    hostId: 'u-alice',
    hostEmail: 'alice@example.edu',
    topic: 'after the scopes came back',
    type: 2,
    startTime: start,
    durationMin: 30,
    files: [{ id: 'f-scope-back', fileType: 'MP4', fileExtension: 'MP4', recordingType: 'shared_screen_with_speaker_view', fileSize: 2048, recordingStart: start, recordingEnd: end }],
    participants: [{ name: 'Bob', email: 'bob@example.edu' }],
    metricsParticipants: [{ name: 'Bob', email: 'bob@example.edu', role: 'cohost' }],
  });
  expect(await w.runDaemon()).toBe(EXIT.OK);
  expect((await w.zk(['status'])).stdout).not.toMatch(/degraded: coHosts/);
});

test('a daily-limit 429 pauses polls and purges until it ends, across a restart', async () => {
  w = await world({ metricsEnabled: true });
  const until6h = w.clock.now() + 6 * 3_600_000;
  w.sandbox.zoom.setFaults({ dailyLimitUntil: { [ACCOUNT_ID]: until6h } });
  expect(await w.runDaemon()).toBe(EXIT.OK);
  const listCalls = () => w!.sandbox.zoom.state.callCounts()['GET /v2/accounts/me/recordings'] ?? 0;
  expect(listCalls()).toBe(1);
  const json = JSON.parse((await w.zk(['status', '--json'])).stdout);
  expect(Date.parse(json.accounts[0].condition.pausedUntil)).toBeGreaterThan(w.clock.now() + 5 * 3_600_000);
  expect((await w.zk(['status'])).stdout).toMatch(/demo paused until/);

  // A restart remembers the pause: no call to Zoom's listing.
  expect(await w.runDaemon()).toBe(EXIT.OK);
  expect(listCalls()).toBe(1);
  const daemon = await startDaemon({ config: w.config(), clock: w.clock, logger: silentLogger, workIntervalMs: 5, lockTtlMs: 5_000 });
  const metrics = parseExposition(await (await fetch(`${daemon.metricsUrl}/metrics`)).text());
  expect((await fetch(`${daemon.metricsUrl}/readyz`)).status).toBe(200); // paused is not broken
  await daemon.stop('test over');
  expect(listCalls()).toBe(1);
  expect(sampleValue(metrics, 'zk_account_paused_until_timestamp_seconds', { account: 'demo' })).toBeGreaterThan(w.clock.now() / 1000);

  // After the pause: polls resume and the recordings come in.
  w.clock.advance(6 * 3_600_000 + 60_000);
  expect(await w.runDaemon()).toBe(EXIT.OK);
  expect(listCalls()).toBeGreaterThan(1);
  expect(statesOf(w).HANDLED ?? 0).toBeGreaterThan(0);
  expect((await w.zk(['status'])).stdout).not.toMatch(/paused until/);
});
