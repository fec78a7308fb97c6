/**
 * Port: every repository the engine works with, built by the composition root
 * (the SQLite store's createRepos builds them over one database). Every method
 * is its own short synchronous transaction; a write that must go with another
 * (adoption's file transition and outcome row) is one method, so ingest needs no
 * transaction across calls.
 */
import type { AccountStateRepo } from './account-state.js';
import type { AccountsRepo } from './accounts.js';
import type { AdoptionsRepo } from './adoptions.js';
import type { CursorRepo } from './cursors.js';
import type { EventsRepo } from './events.js';
import type { FilesRepo } from './files.js';
import type { Leases } from './leases.js';
import type { RecordingsRepo } from './recordings.js';

export interface Repos {
  files: FilesRepo;
  recordings: RecordingsRepo;
  events: EventsRepo;
  cursors: CursorRepo;
  accounts: AccountsRepo;
  /** Halts, pauses and degraded features per account (migration 0004). */
  accountState: AccountStateRepo;
  leases: Leases;
  adoptions: AdoptionsRepo;
}
