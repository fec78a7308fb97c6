/**
 * Single-instance lock on the database: a lease row renewed on a heartbeat.
 * A lease (not a file lock) because it lives where the state lives, works the
 * same for every process that opens the database, and frees itself after a
 * SIGKILL once the TTL passes.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { EXIT, FatalError } from '../errors.js';
import type { Leases } from '../store/leases.js';
import { DAEMON_LEASE } from '../store/lease-names.js';

export interface InstanceLock {
  owner: string;
  release(): void;
}

/**
 * True when the lease owner was a process on this host that no longer exists
 * (e.g. after kill -9), so a restart need not wait out the TTL. Anything we
 * cannot prove dead (another host, a live pid, EPERM) is treated as alive.
 */
export function ownerIsDeadHere(owner: string, isAlive: (pid: number) => boolean = pidAlive): boolean {
  const [host, pidText] = owner.split(':');
  const pid = Number(pidText);
  return host === hostname() && Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isAlive(pid);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

export function acquireInstanceLock(leases: Leases, opts: { ttlMs: number; now: () => number; isAlive?: (pid: number) => boolean }): InstanceLock {
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const stale = leases.holder(DAEMON_LEASE);
  // Releasing names the dead owner exactly, so a live daemon that took the lease meanwhile keeps it.
  if (stale && ownerIsDeadHere(stale.owner, opts.isAlive)) leases.release(DAEMON_LEASE, stale.owner);
  if (!leases.tryAcquire(DAEMON_LEASE, owner, opts.ttlMs)) {
    const holder = leases.holder(DAEMON_LEASE);
    const left = holder ? Math.max(0, Math.ceil((holder.expiresAt - opts.now()) / 1000)) : 0;
    throw new FatalError(
      `another zk daemon holds the database lock (${holder?.owner ?? 'unknown'}); ` +
        `stop it first, or wait ${left}s if it was killed`,
      { code: 'LOCKED', source: 'daemon', exitCode: EXIT.LOCKED },
    );
  }
  const heartbeat = setInterval(() => {
    leases.renew(DAEMON_LEASE, owner, opts.ttlMs);
  }, Math.max(50, Math.floor(opts.ttlMs / 3)));
  heartbeat.unref();
  return {
    owner,
    release() {
      clearInterval(heartbeat);
      leases.release(DAEMON_LEASE, owner);
    },
  };
}
