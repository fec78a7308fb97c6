/**
 * A bounded, time-limited memo of Kaltura lookups that do not change within a run (users, group
 * memberships, categories), owned by one sink instance. Only answers are kept, never failures, so a
 * transient error is asked again. An entry older than the TTL is asked again, so a user blocked or
 * created meanwhile is seen within that time.
 */
import type { Clock } from '../util/clock.js';

export interface LookupCache {
  /** The memoised answer for `key`, or `load()`'s (remembered when it resolves and `keep` accepts it). */
  get<T>(key: string, load: () => Promise<T>, keep?: (value: T) => boolean): Promise<T>;
  /** Whether a fresh answer for `key` is known. */
  has(key: string): boolean;
  /** Replaces what is known about `key` (e.g. after zk created the user). */
  set<T>(key: string, value: T): void;
}

export function createLookupCache(clock: Clock, ttlMs: number, maxEntries = 2000): LookupCache {
  const entries = new Map<string, { value: Promise<unknown>; at: number }>();
  const put = (key: string, value: Promise<unknown>) => {
    entries.delete(key);
    entries.set(key, { value, at: clock.now() });
    // Oldest first: a Map iterates in insertion order.
    while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
  };
  return {
    get<T>(key: string, load: () => Promise<T>, keep?: (value: T) => boolean): Promise<T> {
      if (ttlMs <= 0) return load();
      const hit = entries.get(key);
      if (hit && clock.now() - hit.at < ttlMs) return hit.value as Promise<T>;
      const pending = load();
      // Concurrent askers share the one request; a failure (or an answer not kept) is forgotten.
      put(key, pending);
      const forget = () => {
        if (entries.get(key)?.value === pending) entries.delete(key);
      };
      pending.then((v) => {
        if (keep && !keep(v)) forget();
      }, forget);
      return pending;
    },
    has(key: string) {
      const hit = entries.get(key);
      return ttlMs > 0 && !!hit && clock.now() - hit.at < ttlMs;
    },
    set<T>(key: string, value: T) {
      if (ttlMs > 0) put(key, Promise.resolve(value));
    },
  };
}
