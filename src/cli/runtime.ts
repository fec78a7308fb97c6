/**
 * The CLI's composition root: the one CliContext implementation. It reads the
 * config, opens the store and builds adapters on demand, so a command that
 * only reads the database never contacts Zoom or Kaltura.
 */
import { Writable } from 'node:stream';
import { loadConfig } from '../config/load.js';
import { configSecrets } from '../config/effective.js';
import type { Config } from '../config/schema.js';
import { createLogger } from '../log/logger.js';
import { openStore } from '../store/migrate.js';
import { openConfiguredStore } from '../config/database-path.js';
import type { Clock } from '../util/clock.js';
import { kalturaSinkFor, zoomSourceFor } from '../wiring/adapters.js';
import type { CliContext } from './context.js';
import type { Log } from '../log/port.js';
import type { Io } from './exit.js';

export interface RuntimeOptions {
  io: Io;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  cwd?: string;
  /** Reads --config at call time (commander parses options after the context is built). */
  configPath: () => string | undefined;
}

export function createCliContext(opts: RuntimeOptions): CliContext {
  const loggers = new WeakMap<Config, Log>();
  let route: ((text: string) => void) | undefined;
  // The console transport writes here; a progress bar may take the lines over for a while.
  const logStream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      if (route) {
        route(chunk.toString());
        cb();
      } else {
        opts.io.stderr.write(chunk, () => cb());
      }
    },
  });
  const ctx: CliContext = {
    io: opts.io,
    isTTY: opts.isTTY,
    env: opts.env,
    clock: opts.clock,
    configPath: opts.configPath,
    loadConfig: () => loadConfig({ path: opts.configPath(), env: opts.env, cwd: opts.cwd }),
    openStore: (config) => openConfiguredStore(config.global.database, (path) => openStore(path)),
    logger(config) {
      let logger = loggers.get(config);
      if (!logger) {
        const log = config.global.log;
        const isTTY = (opts.io.stderr as NodeJS.WriteStream).isTTY === true;
        logger = createLogger({ level: log.level, format: log.format, file: log.file, stream: logStream, isTTY, secrets: configSecrets(config) });
        loggers.set(config, logger);
      }
      return logger;
    },
    routeLogs(write) {
      route = write;
    },
    zoomSource: (config, account) => zoomSourceFor(config, account, { clock: opts.clock, logger: ctx.logger(config) }),
    kalturaSink: (config) => kalturaSinkFor(config, { clock: opts.clock, logger: ctx.logger(config) }),
  };
  return ctx;
}
