/** `zk sandbox` deployment flags: parsed into the emulator's modes, and the real binary starts with them. */
import { afterAll, describe, expect, test } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { deploymentFromFlags, describeDeployment } from '../../src/cli/sandbox-deployment.js';
import { tempDir } from '../helpers/tmp.js';

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
const ZK = join(ROOT, 'bin', 'zk.js');
const dirs: Array<{ cleanup(): void }> = [];
afterAll(() => dirs.forEach((d) => d.cleanup()));

/** Starts the real `zk sandbox`, waits for its banner; stop() sends SIGINT and resolves with the exit code. */
async function startSandboxCli(args: string[]): Promise<{ out: string; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, [ZK, 'sandbox', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`no banner: ${out}`)), 30_000);
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('Stop with Ctrl-C')) {
        clearTimeout(timer);
        res();
      }
    });
  });
  const exit = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return {
    out,
    async stop() {
      // stdout to a pipe is synchronous: the banner can arrive before the signal handler is installed.
      await new Promise((r) => setTimeout(r, 300));
      child.kill('SIGINT');
      return exit;
    },
  };
}

describe('deployment flags', () => {
  test('each flag selects its mode; the default is SaaS-like', () => {
    expect(deploymentFromFlags({ esearch: 'available' })).toEqual({});
    expect(deploymentFromFlags({ esearch: 'missing', dropSourceFlavor: true, virusScan: 'EICAR', readyAtAdd: true })).toEqual({
      noESearch: 'missing',
      dropSourceFlavor: true,
      virusScan: { infected: 'EICAR', scanFailure: undefined },
      readyAtAdd: true,
    });
    expect(describeDeployment({ noESearch: 'forbidden' })).toContain('SERVICE_FORBIDDEN');
    expect(() => deploymentFromFlags({ esearch: 'sometimes' })).toThrow(/--esearch must be available, missing or forbidden, got "sometimes"/);
    expect(() => deploymentFromFlags({ esearch: 'available', virusScan: '(' })).toThrow(/--virus-scan must be a regular expression/);
  });

  test('zk sandbox with every flag starts and names the deployment; a bad value exits 2', async () => {
    const t = tempDir('zk-sbx-flags-');
    dirs.push(t);
    const bad = spawnSync(process.execPath, [ZK, 'sandbox', '--dir', t.dir, '--esearch', 'sometimes'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--esearch must be');
    const sbx = await startSandboxCli(['--dir', t.dir, '--esearch', 'missing', '--drop-source-flavor', '--virus-scan', '^Office Hours$', '--ready-at-add']);
    expect(await sbx.stop()).toBe(0);
    expect(sbx.out).toContain('no eSearch (SERVICE_DOES_NOT_EXISTS); source flavor dropped after conversion; virus scan (infected: ^Office Hours$); READY at add');
  });

  test('--zoom-faults and --kaltura-faults start the emulators with those faults; a value that is not a JSON object exits 2 naming the flag', async () => {
    const t = tempDir('zk-sbx-faults-');
    dirs.push(t);
    for (const bad of ['{rate429:1}', '[1]', '7']) {
      const r = spawnSync(process.execPath, [ZK, 'sandbox', '--dir', t.dir, '--zoom-faults', bad], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('--zoom-faults must be a JSON object');
    }
    const sbx = await startSandboxCli([
      '--dir', t.dir,
      '--zoom-faults', '{"rate429":0.25,"withheldScopes":{"x":["s"]}}',
      '--kaltura-faults', '{"slowMs":7,"actionBlockedRate":0.1}',
      '--index-lag', '50',
    ]);
    const zoomUrl = /Zoom emulator:\s+(\S+)/.exec(sbx.out)![1];
    const kalturaUrl = /Kaltura emulator:\s+(\S+)/.exec(sbx.out)![1];
    const zoomFaults = (await (await fetch(`${zoomUrl}/_sandbox/faults`)).json()) as Record<string, unknown>;
    const kalturaFaults = (await (await fetch(`${kalturaUrl}/_sandbox/faults`)).json()) as Record<string, unknown>;
    expect(await sbx.stop()).toBe(0);
    expect(zoomFaults).toMatchObject({ rate429: 0.25, withheldScopes: { x: ['s'] } });
    expect(kalturaFaults).toMatchObject({ slowMs: 7, actionBlockedRate: 0.1, indexLagMs: 50, entryModeration: false });
  });
});
