/**
 * Builds every repository of the ingest store port over one SQLite database.
 * The composition root (daemon, CLI, tests) calls it and hands the result to
 * createEngine, so the engine never sees the database itself.
 */
import type { Db } from './db.js';
import type { Clock } from '../util/clock.js';
import type { Repos } from '../ingest/store-port/repos.js';
import { createAccountStateRepo } from './account-state-repo.js';
import { createAccountsRepo } from './accounts-repo.js';
import { createAdoptionsRepo } from './adoptions-repo.js';
import { createCursorRepo } from './cursor-repo.js';
import { createEventsRepo } from './events-repo.js';
import { createFilesRepo } from './files-repo.js';
import { createLeases } from './leases.js';
import { createRecordingsRepo } from './recordings-repo.js';

export function createRepos(db: Db, clock: Pick<Clock, 'now'>): Repos {
  const files = createFilesRepo(db, clock);
  return {
    files,
    recordings: createRecordingsRepo(db, clock),
    events: createEventsRepo(db),
    cursors: createCursorRepo(db, clock),
    accounts: createAccountsRepo(db, clock),
    accountState: createAccountStateRepo(db, clock),
    leases: createLeases(db, clock),
    // Adoption moves a file to HANDLED through the same files repository, inside its own transaction.
    adoptions: createAdoptionsRepo(db, clock, files),
  };
}
