/**
 * Port: the append-only history of state transitions. File transitions append
 * their event through FilesRepo.transition; this port appends account-level
 * events and reads history. The SQLite store implements it (events-repo.ts).
 */

export type EventActor = 'daemon' | 'import' | 'backfill' | 'cli';

export interface EventRow {
  id: number;
  fileId: number | null;
  account: string | null;
  at: number;
  fromState: string | null;
  toState: string;
  reason: string;
  actor: string;
}

export interface NewEvent {
  fileId?: number | null;
  account?: string | null;
  at: number;
  fromState?: string | null;
  toState: string;
  reason: string;
  actor?: EventActor;
}

export interface EventsRepo {
  append(event: NewEvent): number;
  listForFile(fileId: number): EventRow[];
  /** Most recent first. */
  listForAccount(account: string, limit?: number): EventRow[];
  /** When the file last entered `state`, or undefined. */
  lastEnteredAt(fileId: number, state: string): number | undefined;
}
