/**
 * Issue 6: /metrics of a running daemon (startDaemon, real HTTP, sandbox
 * traffic) is valid Prometheus exposition and carries real values for files by
 * state, bytes, Zoom/Kaltura calls, deletions and polls; /healthz and /readyz answer.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { startDaemon, type Daemon } from '../../src/daemon/daemon.js';
import { parseExposition, sampleValue } from '../metrics/exposition.js';
import { silentLogger, statesOf, world, type World } from './world.js';

let w: World;
let daemon: Daemon;

async function until(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(statesOf(w))}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

beforeAll(async () => {
  w = await world({ metricsEnabled: true, deleteEnabled: true, deleteDelay: '1h' });
  daemon = await startDaemon({ config: w.config(), clock: w.clock, logger: silentLogger, workIntervalMs: 5, lockTtlMs: 5_000 });
});
afterAll(async () => {
  await daemon?.stop('test over');
  await w.close();
});

test('/metrics of a running daemon parses and has real values', async () => {
  expect(daemon.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  await until('files handled', () => (statesOf(w).PURGE_PENDING ?? 0) >= 10);
  // Past the deletion delay: the daemon's next purge cycle trashes them in Zoom.
  w.clock.advance(2 * 3_600_000);
  await until('files purged', () => (statesOf(w).PURGED ?? 0) >= 10);
  // Let the purge cycles settle (a deletion Zoom refuses keeps retrying; it is counted as an error, not a deletion).
  let last = '';
  await until('states stable', () => {
    const now = JSON.stringify(statesOf(w));
    const stable = now === last;
    last = now;
    return stable;
  });

  const res = await fetch(`${daemon.metricsUrl}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  const families = parseExposition(await res.text());

  // Files by state and account, read from the database at scrape time.
  const states = statesOf(w);
  expect(states).toEqual(JSON.parse(last));
  for (const [state, n] of Object.entries(states)) expect({ state, n: sampleValue(families, 'zk_files', { account: 'demo', state }) }).toEqual({ state, n });
  expect(sampleValue(families, 'zk_files', { account: 'demo', state: 'FAILED' })).toBe(0);

  const sum = (name: string, where: (labels: Record<string, string>) => boolean = () => true) =>
    [...families.values()].flatMap((f) => f.samples).filter((s) => s.name === name && where(s.labels)).reduce((a, s) => a + s.value, 0);

  const db = w.db();
  const bytes = (db.prepare("SELECT SUM(file_size) AS n FROM files WHERE state = 'PURGED' AND role IN ('parent','child','audio')").get() as { n: number }).n;
  db.close();
  expect(sum('zk_transferred_bytes_total', (l) => l.account === 'demo')).toBeGreaterThanOrEqual(bytes);
  expect(sum('zk_zoom_requests_total', (l) => l.account === 'demo' && l.endpoint.includes('recordings'))).toBeGreaterThan(0);
  expect(sum('zk_kaltura_requests_total', (l) => l.service === 'media')).toBeGreaterThan(0);
  expect(sum('zk_zoom_deletions_total', (l) => l.account === 'demo' && l.action === 'trash')).toBe(states.PURGED);
  expect(sum('zk_poll_cycle_duration_seconds_count', (l) => l.account === 'demo' && l.outcome === 'ok')).toBeGreaterThanOrEqual(1);
  expect(sum('zk_ingest_latency_seconds_count', (l) => l.account === 'demo')).toBeGreaterThanOrEqual(10);
  const lastPoll = sampleValue(families, 'zk_last_poll_success_timestamp_seconds', { account: 'demo' });
  expect(lastPoll).toBeGreaterThan(Date.now() / 1000 - 3600);
  for (const name of ['zk_zoom_errors_total', 'zk_kaltura_errors_total', 'zk_zoom_rate_limit_waits_total', 'zk_zoom_rate_limit_wait_seconds_total']) {
    expect({ name, type: families.get(name)?.type }).toEqual({ name, type: 'counter' });
  }

  expect((await fetch(`${daemon.metricsUrl}/healthz`)).status).toBe(200);
  expect((await fetch(`${daemon.metricsUrl}/readyz`)).status).toBe(200);
});
