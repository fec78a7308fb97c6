/**
 * What every CLI command receives. The composition root (src/cli/runtime.ts)
 * implements it; commands never construct adapters themselves, so tests can
 * run them against the sandbox with a config file and captured output.
 */
import type { Config, AccountConfig } from '../config/schema.js';
import type { Db } from '../store/db.js';
import type { Clock } from '../util/clock.js';
import type { RecordingSource, MediaSink } from '../ingest/ports.js';
import type { ZoomIntegrationLookup } from '../ingest/adopt-port.js';
import type { Io } from './exit.js';
import type { ConfigWarning } from '../config/warnings.js';
import type { Log } from '../log/port.js';

export interface CliContext {
  io: Io;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  /** The --config path given on the command line, if any. */
  configPath(): string | undefined;
  /** Loads and validates the config (--config > ZK_CONFIG > ./config/zk.yaml); throws ConfigError. */
  loadConfig(): { config: Config; file: string; warnings?: ConfigWarning[] };
  /** Opens and migrates the database named by config.global.database. */
  openStore(config: Config): Db;
  logger(config: Config): Log;
  /**
   * Sends the console log lines to `write` instead of stderr (a progress bar
   * prints them above itself); undefined restores stderr.
   */
  routeLogs?(write: ((text: string) => void) | undefined): void;
  zoomSource(config: Config, account: AccountConfig): RecordingSource;
  /** With the read-only lookup of Kaltura's Zoom integration entries when the adapter has it (adoption). */
  kalturaSink(config: Config): MediaSink & Partial<ZoomIntegrationLookup>;
}
