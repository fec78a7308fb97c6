/** Issue 22: /metrics of a running daemon counts adoptions (by kind) and adoption conflicts. */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { startDaemon, type Daemon } from '../../src/daemon/daemon.js';
import { parseExposition, sampleValue } from '../metrics/exposition.js';
import { count, silentLogger, statesOf, world, type World } from './world.js';

let w: World;
let daemon: Daemon;

beforeAll(async () => {
  w = await world({ zoomIntegration: true, metricsEnabled: true });
  w.sandbox.zoom.state.completeProcessing();
  daemon = await startDaemon({ config: w.config(), clock: w.clock, logger: silentLogger, workIntervalMs: 5, lockTtlMs: 5_000 });
});
afterAll(async () => {
  await daemon?.stop('test over');
  await w.close();
});

test('zk_adoptions_total and zk_adoption_conflicts_total', async () => {
  const end = Date.now() + 30_000;
  while (count(w, "SELECT COUNT(*) AS n FROM file_adoptions WHERE outcome = 'adopted'") < 7 || count(w, 'SELECT COUNT(*) AS n FROM segment_adoptions') < 8) {
    if (Date.now() > end) throw new Error(`timed out: ${JSON.stringify(statesOf(w))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const families = parseExposition(await (await fetch(`${daemon.metricsUrl}/metrics`)).text());
  expect(sampleValue(families, 'zk_adoptions_total', { account: 'demo', kind: 'media' })).toBe(5);
  expect(sampleValue(families, 'zk_adoptions_total', { account: 'demo', kind: 'caption' })).toBe(2);
  // The seminar's errored parent.
  expect(sampleValue(families, 'zk_adoption_conflicts_total', { account: 'demo' })).toBe(1);
});
