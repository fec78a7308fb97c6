/**
 * Port: named leases that coordinate processes sharing the database (the
 * daemon's single-instance lock, non-overlapping scans). A lease expires unless
 * renewed, so a SIGKILLed holder never blocks the next one for longer than its
 * TTL. The SQLite store implements it (leases.ts).
 */

export interface LeaseHolder {
  owner: string;
  acquiredAt: number;
  expiresAt: number;
}

export interface Leases {
  tryAcquire(name: string, owner: string, ttlMs: number): boolean;
  renew(name: string, owner: string, ttlMs: number): boolean;
  release(name: string, owner: string): void;
  holder(name: string): LeaseHolder | undefined;
}
