import { afterAll, expect, test } from '@jest/globals';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/migrate.js';
import { createLeases } from '../../src/store/leases.js';
import { acquireInstanceLock, ownerIsDeadHere } from '../../src/daemon/instance-lock.js';
import { DAEMON_LEASE } from '../../src/store/lease-names.js';
import { EXIT, FatalError } from '../../src/errors.js';
import { tempDir } from '../helpers/tmp.js';

const t = tempDir('zk-lock-');
afterAll(() => t.cleanup());

function leasesAt(now: number) {
  const db = openStore(join(t.dir, `${now}.db`));
  return { db, leases: createLeases(db, { now: () => now }) };
}

test('a live holder blocks a second daemon with exit 75', () => {
  const { db, leases } = leasesAt(1);
  const first = acquireInstanceLock(leases, { ttlMs: 60_000, now: () => 1 });
  let err: unknown;
  try {
    acquireInstanceLock(leases, { ttlMs: 60_000, now: () => 1 });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(FatalError);
  expect((err as FatalError).exitCode).toBe(EXIT.LOCKED);
  first.release();
  db.close();
});

test('a lease left by a dead process on this host is reclaimed at once; one on another host or a live pid is not', () => {
  const { db, leases } = leasesAt(2);
  expect(leases.tryAcquire(DAEMON_LEASE, `${hostname()}:999999:dead`, 60_000)).toBe(true);
  const lock = acquireInstanceLock(leases, { ttlMs: 60_000, now: () => 2, isAlive: () => false });
  expect(leases.holder(DAEMON_LEASE)?.owner).toBe(lock.owner);
  lock.release();

  expect(leases.tryAcquire(DAEMON_LEASE, 'other-host:999999:x', 60_000)).toBe(true);
  expect(() => acquireInstanceLock(leases, { ttlMs: 60_000, now: () => 2, isAlive: () => false })).toThrow(FatalError);
  db.close();

  expect(ownerIsDeadHere(`${hostname()}:${process.ppid}:x`)).toBe(false);
  expect(ownerIsDeadHere(`${hostname()}:999999:x`, () => true)).toBe(false);
  expect(ownerIsDeadHere(`${hostname()}:999999:x`, () => false)).toBe(true);
  expect(ownerIsDeadHere('garbage')).toBe(false);
});
