/**
 * Scheduled backfills (global.backfills): node-cron runs an import of the
 * configured window inside the daemon. PLACEHOLDER until the import-legacy
 * work lands — refuses to start when backfills are configured.
 */
import type { Config } from '../config/schema.js';
import type { EngineAccount } from '../ingest/context.js';
import type { Db } from '../store/db.js';
import type { Clock } from '../util/clock.js';
import type { LogSink } from '../cli/context.js';

export interface BackfillSchedules {
  stop(): void;
  /** Resolves when no backfill is running. */
  idle(): Promise<void>;
}

export interface BackfillDeps {
  config: Config;
  db: Db;
  clock: Clock;
  logger: LogSink;
  accounts: EngineAccount[];
}

export function startBackfillSchedules(deps: BackfillDeps): BackfillSchedules {
  if (deps.config.global.backfills.length > 0) throw new Error('backfills: not implemented yet');
  return { stop() {}, async idle() {} };
}
