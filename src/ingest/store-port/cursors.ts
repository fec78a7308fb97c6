/**
 * Port: the durable poll cursor. Every UTC day up to and including the cursor
 * was listed completely. It only moves forward through `advance`; `set` is for
 * operators who move it deliberately. The SQLite store implements it (cursor-repo.ts).
 */

export interface CursorRepo {
  get(account: string): string | undefined;
  /** Moves the cursor to `day` unless it is already at or past it. */
  advance(account: string, day: string): void;
  /** Sets the cursor to `day` unconditionally (operator action). */
  set(account: string, day: string): void;
}
