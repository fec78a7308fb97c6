/**
 * Issue 19, the daemon's log through the compiled binaries against `zk
 * sandbox`: a periodic backlog line (interval from global.log.backlogInterval),
 * a "file handled" line for captions and chat, topic and type on entry lines,
 * conversion failures named as such, and no WARN on a clean shutdown.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { tempDir } from '../helpers/tmp.js';

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
const ZK = join(ROOT, 'bin', 'zk.js');
const DAEMON = join(ROOT, 'bin', 'zk-daemon.js');
const t = tempDir('zk-dlogs-');
let sandbox: ChildProcess;
let kalturaUrl = '';
const config = join(t.dir, 'sbx', 'zk.yaml');

beforeAll(async () => {
  sandbox = spawn(process.execPath, [ZK, 'sandbox', '--dir', join(t.dir, 'sbx')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  sandbox.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  const deadline = Date.now() + 30_000;
  while (!out.includes('Config written') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  kalturaUrl = /Kaltura emulator: (\S+)/.exec(out)![1];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const raw = parse(readFileSync(config, 'utf8')) as Record<string, any>;
  raw.global.log = { level: 'info', format: 'json', backlogInterval: '200ms' };
  raw.global.retry = { baseDelay: '10ms', maxDelay: '50ms', maxAttempts: 8 };
  writeFileSync(config, stringify(raw));
});
afterAll(async () => {
  const exited = new Promise((r) => sandbox.once('exit', r));
  sandbox.kill('SIGINT');
  await exited;
  t.cleanup();
});

interface Line {
  level: string;
  message: string;
  [key: string]: unknown;
}
const lines = (stderr: string): Line[] =>
  stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);

test('one conversion fails: named as a conversion failure; captions and chat get "file handled"; entries carry topic and type', async () => {
  const fault = await fetch(`${kalturaUrl}/_sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ conversionFailureNext: 1 }) });
  expect(fault.ok).toBe(true);
  const r = spawnSync(process.execPath, [DAEMON, 'start', '--config', config, '--exit-when-idle'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ZK_WORK_INTERVAL_MS: '50' } });
  expect(r.status).toBe(0);
  const log = lines(r.stderr);

  const failed = log.find((l) => l.message === 'file step failed; will retry');
  expect(failed?.error).toEqual(expect.stringContaining('failed to convert in Kaltura (ERROR_CONVERTING'));
  expect(r.stderr).not.toMatch(/has status -1/);

  const handled = log.filter((l) => l.message === 'file handled');
  expect(handled.some((l) => l.role === 'caption')).toBe(true);
  expect(handled.some((l) => l.role === 'attachment')).toBe(true);
  for (const l of handled) expect(typeof l.type).toBe('string');

  const created = log.filter((l) => l.message === 'kaltura entry created');
  expect(created.length).toBeGreaterThan(0);
  for (const l of created) {
    expect(typeof l.topic).toBe('string');
    expect(typeof l.type).toBe('string');
  }
});

test('a backlog line on the interval; SIGTERM right after start is a clean shutdown with no WARN', async () => {
  // A fresh database, so the first poll is still listing when the signal comes.
  const raw = parse(readFileSync(config, 'utf8')) as { global: { database: string } };
  raw.global.database = join(t.dir, 'second.db');
  const second = join(t.dir, 'second.yaml');
  writeFileSync(second, stringify(raw));
  const daemon = spawn(process.execPath, [DAEMON, 'start', '--config', second], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  daemon.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<number | null>((r) => daemon.once('exit', (code) => r(code)));
  const deadline = Date.now() + 30_000;
  while (!stderr.includes('"backlog"') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  daemon.kill('SIGTERM');
  expect(await exited).toBe(0);

  const log = lines(stderr);
  const backlog = log.find((l) => l.message === 'backlog');
  expect(backlog).toMatchObject({ level: 'info', account: 'demo' });
  expect(typeof backlog!.files).toBe('object');
  expect(backlog).toHaveProperty('oldestWaitingAgeSeconds');
  expect(log.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
  expect(log.at(-1)?.message).toBe('zk daemon stopped');
});
