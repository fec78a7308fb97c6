/**
 * Issue 4 acceptance, crashes: the compiled daemon is SIGKILLed at a named
 * crash point (ZK_CRASH_AT), restarted, and must reach the exactly-once end
 * state with nothing deleted from Zoom unverified. Also: SIGTERM mid-transfer
 * exits 0 and resumes (the second-signal rule is unit-tested in tests/daemon/signals.test.ts).
 */
import { afterEach, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { assertExactlyOnce, DAEMON_BIN, fileRows, ROOT, runBinary, statesOf, world, type World } from './harness.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const ACTIVE = ['PENDING', 'TRANSFERRING', 'IMPORTING', 'RETRY_WAIT'];

async function restartUntilSettled(x: World, configFile: string): Promise<void> {
  for (let i = 0; i < 15; i++) {
    const r = await runBinary(configFile);
    expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
    if (!fileRows(x).some((f) => ACTIVE.includes(f.state) || (f.state === 'PURGE_PENDING'))) return;
    await new Promise((r2) => setTimeout(r2, 100));
  }
  throw new Error(`not settled: ${JSON.stringify(statesOf(x))}`);
}

// [crash point (with the nth hit), transfer mode]
const POINTS: Array<[string, 'upload' | 'url']> = [
  ['after-window-listed', 'upload'],
  ['after-policy-resolved:2', 'upload'],
  ['after-entry-create', 'upload'],
  ['after-entry-create:4', 'upload'],
  ['after-entry-save', 'upload'],
  ['after-category-add', 'upload'],
  ['after-token-create', 'upload'],
  ['after-token-save', 'upload'],
  ['mid-upload:2', 'upload'],
  ['mid-upload:5', 'upload'],
  ['after-upload-complete', 'upload'],
  ['before-importing-write', 'upload'],
  ['before-handled-write', 'upload'],
  ['after-caption-add', 'upload'],
  ['after-attachment-add', 'upload'],
  ['before-delete', 'upload'],
  ['after-delete-before-write', 'upload'],
  ['before-add-content', 'url'],
  ['after-add-content', 'url'],
];

test.each(POINTS)('SIGKILL at %s (%s mode), restart: exactly once, nothing deleted unverified', async (point, transferMode) => {
  w = await world({ transferMode, deleteEnabled: true, deleteDelay: '0s' });
  const configFile = w.writeConfig();
  const crashed = await runBinary(configFile, { ZK_CRASH_AT: point });
  expect(crashed.signal).toBe('SIGKILL');
  await restartUntilSettled(w, configFile);
  const states = statesOf(w);
  expect(states.FAILED ?? 0).toBe(0);
  expect(states.PURGED ?? 0).toBeGreaterThanOrEqual(8);
  await assertExactlyOnce(w, expect);
}, 90_000);

test('SIGTERM during a transfer exits 0 and a restart finishes it exactly once', async () => {
  w = await world({ deleteEnabled: false, mutate: (raw) => (raw.global.log = { level: 'info', format: 'json' }) });
  // Slow downloads keep a transfer in flight when the signal arrives.
  w.sandbox.zoom.setFaults({ slowMs: 150 });
  const configFile = w.writeConfig();
  const run = (signals: number) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [DAEMON_BIN, 'start', '--config', configFile], { cwd: ROOT, env: { ...process.env, ZK_WORK_INTERVAL_MS: '20' }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      let sent = 0;
      child.stderr.on('data', (b: Buffer) => {
        stderr += b.toString();
        if (sent === 0 && stderr.includes('kaltura entry created')) {
          for (; sent < signals; sent++) child.kill('SIGTERM');
        }
      });
      child.on('exit', (code) => resolve({ code, stderr }));
    });
  const graceful = await run(1);
  expect(graceful.code).toBe(0);
  expect(graceful.stderr).toContain('zk daemon stopped');
  w.sandbox.zoom.resetFaults();
  await restartUntilSettled(w, configFile);
  expect(statesOf(w).HANDLED ?? 0).toBeGreaterThanOrEqual(8);
  await assertExactlyOnce(w, expect);
}, 90_000);
