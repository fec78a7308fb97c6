/**
 * Named leases in SQLite. They coordinate processes that share the database:
 * the daemon's single-instance lock and non-overlapping scans (poll, backfill,
 * legacy import). A lease expires unless renewed, so a SIGKILLed holder never
 * blocks the next one for longer than its TTL.
 */
import type { Db } from './db.js';
import type { Clock } from '../util/clock.js';
import type { LeaseHolder, Leases } from '../ingest/store-port/leases.js';

export type { LeaseHolder, Leases } from '../ingest/store-port/leases.js';

export function createLeases(db: Db, clock: Pick<Clock, 'now'>): Leases {
  const get = db.prepare('SELECT owner, acquired_at AS acquiredAt, expires_at AS expiresAt FROM leases WHERE name = ?');
  const upsert = db.prepare(
    `INSERT INTO leases (name, owner, acquired_at, expires_at) VALUES (@name, @owner, @now, @expires)
     ON CONFLICT(name) DO UPDATE SET owner = @owner, acquired_at = @now, expires_at = @expires
     WHERE leases.owner = @owner OR leases.expires_at <= @now`,
  );
  const extend = db.prepare('UPDATE leases SET expires_at = ? WHERE name = ? AND owner = ? AND expires_at > ?');
  const remove = db.prepare('DELETE FROM leases WHERE name = ? AND owner = ?');
  return {
    tryAcquire(name, owner, ttlMs) {
      const now = clock.now();
      return upsert.run({ name, owner, now, expires: now + ttlMs }).changes === 1;
    },
    renew(name, owner, ttlMs) {
      const now = clock.now();
      return extend.run(now + ttlMs, name, owner, now).changes === 1;
    },
    release(name, owner) {
      remove.run(name, owner);
    },
    holder(name) {
      return get.get(name) as LeaseHolder | undefined;
    },
  };
}
