/**
 * The shared signal takes the listeners of a busy daemon without Node's "possible memory leak"
 * warning. Checked in a child process running the compiled module: Jest's sandboxed `process`
 * does not see Node's warnings.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@jest/globals';
import { MAX_SIGNAL_LISTENERS } from '../../src/util/abort.js';

const ABORT_JS = pathToFileURL(join(resolve(new URL('.', import.meta.url).pathname, '..', '..'), 'dist', 'util', 'abort.js')).href;

/** Leak warnings seen after adding `listeners` to one signal (shared or plain). */
function leakWarnings(kind: 'shared' | 'plain', listeners: number): number {
  const script = `
    import { sharedAbortController } from ${JSON.stringify(ABORT_JS)};
    let n = 0;
    process.on('warning', (w) => { if (w.name === 'MaxListenersExceededWarning') n++; });
    const c = ${kind === 'shared' ? 'sharedAbortController()' : 'new AbortController()'};
    for (let i = 0; i < ${listeners}; i++) c.signal.addEventListener('abort', () => undefined);
    setTimeout(() => process.stdout.write(String(n)), 20);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return Number(r.stdout);
}

test('200 listeners (64 transfers with a download, an upload and a sleep each, plus listings) raise no warning', () => {
  expect(leakWarnings('shared', 200)).toBe(0);
});

test('past the bound a leak is still reported', () => {
  expect(leakWarnings('shared', MAX_SIGNAL_LISTENERS + 1)).toBe(1);
});

test('a plain AbortController warns at 11, which is why the shared one exists', () => {
  expect(leakWarnings('plain', 11)).toBe(1);
});
