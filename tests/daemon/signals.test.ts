import { expect, test } from '@jest/globals';
import { EventEmitter } from 'node:events';
import { installSignalHandlers } from '../../src/daemon/signals.js';
import { EXIT } from '../../src/errors.js';

function fakeProcess() {
  const proc = new EventEmitter() as EventEmitter & { exitCode?: number; exit: (code: number) => void };
  proc.exit = (code: number) => void (proc.exitCode = code);
  return proc;
}

test('the first SIGTERM/SIGINT starts a graceful stop; a second forces exit 130; uninstall removes both', () => {
  const proc = fakeProcess();
  const graceful: string[] = [];
  const forced: string[] = [];
  const uninstall = installSignalHandlers({ onGraceful: (s) => graceful.push(s), onForced: (s) => forced.push(s) }, proc as unknown as NodeJS.Process);
  proc.emit('SIGTERM', 'SIGTERM');
  expect(graceful).toEqual(['SIGTERM']);
  expect(proc.exitCode).toBeUndefined();
  proc.emit('SIGINT', 'SIGINT');
  expect(forced).toEqual(['SIGINT']);
  expect(proc.exitCode).toBe(EXIT.FORCED);
  expect(EXIT.FORCED).toBe(130);
  uninstall();
  expect(proc.listenerCount('SIGTERM') + proc.listenerCount('SIGINT')).toBe(0);
});
