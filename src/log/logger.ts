/**
 * The one way zk creates a logger. Redaction is the logger's own format, so it
 * runs on every entry (children, errors, splat) before any transport sees it;
 * transports only choose the layout.
 */
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import winston, { type Logger } from 'winston';
import { ConfigError } from '../errors.js';
import { createRedactor, errorFields, type Redactor } from './redact.js';

export type { Logger } from 'winston';

export type LogFormat = 'auto' | 'json' | 'text';

export interface LoggerOptions {
  level: string;
  /** auto: readable text when the stream is a TTY, JSON lines otherwise. */
  format: LogFormat;
  /** Also append JSON lines to this file. */
  file?: string;
  /** Overrides the stream's own isTTY (for `auto`). */
  isTTY?: boolean;
  /** Where console output goes; default stderr, so stdout stays for command output. */
  stream?: NodeJS.WritableStream;
  /** Exact secret values (see configSecrets) masked wherever they appear. */
  secrets?: readonly string[];
}

// triple-beam's symbols (Symbol.for, so no direct dependency on it).
const LEVEL = Symbol.for('level');
const MESSAGE = Symbol.for('message');
const SPLAT = Symbol.for('splat');

type Info = winston.Logform.TransformableInfo & Record<string | symbol, unknown>;

/** Turns Errors into fields and redacts everything; must be the first format after splat. */
export function redactFormat(redactor: Redactor): winston.Logform.Format {
  return winston.format((input) => {
    let info = input as Info;
    // logger.error(err) passes the Error itself as the entry; logger.log({ message: err }) nests it.
    if (info instanceof Error || info.message instanceof Error) {
      const err = (info instanceof Error ? info : info.message) as Error;
      const base: Info = info instanceof Error ? ({ level: info.level } as Info) : { ...info };
      info = Object.assign(base, errorFields(err), { level: info.level }) as Info;
      for (const sym of [LEVEL, SPLAT]) if ((input as Info)[sym] !== undefined) info[sym] = (input as Info)[sym];
    }
    for (const key of Object.keys(info)) {
      if (key !== 'level') info[key] = redactor.field(key, info[key]);
    }
    if (Array.isArray(info[SPLAT])) info[SPLAT] = redactor.value(info[SPLAT]);
    if (typeof info[MESSAGE] === 'string') info[MESSAGE] = redactor.string(info[MESSAGE] as string);
    return info;
  })();
}

/**
 * `2024-05-01T10:00:00.000Z info  message key=value …`; an error's stack, and
 * the stacks of nested errors (cause), follow on their own lines.
 */
export function textFormat(): winston.Logform.Format {
  return winston.format.printf((info) => {
    const { level, message, timestamp, stack, ...meta } = info as Info;
    const fields: string[] = [];
    const stacks: string[] = typeof stack === 'string' ? [stack] : [];
    for (const [key, value] of Object.entries(meta)) {
      if (value === undefined) continue;
      if (isSerializedError(value)) {
        fields.push(`${key}=${renderField(value.message)}`);
        stacks.push(`${key}: ${value.stack}`);
      } else {
        fields.push(`${key}=${renderField(value)}`);
      }
    }
    const head = `${String(timestamp ?? '')} ${String(level).padEnd(5)} ${String(message)}${fields.length ? ` ${fields.join(' ')}` : ''}`;
    return [head, ...stacks].join('\n');
  });
}

function isSerializedError(value: unknown): value is { message: string; stack: string } {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.message === 'string' && typeof v.stack === 'string';
}

function renderField(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function createLogger(opts: LoggerOptions): Logger {
  const stream = opts.stream ?? process.stderr;
  const isTTY = opts.isTTY ?? (stream as NodeJS.WriteStream).isTTY === true;
  const text = opts.format === 'text' || (opts.format === 'auto' && isTTY);
  const redactor = createRedactor({ secrets: opts.secrets });

  const transports: winston.transport[] = [
    new winston.transports.Stream({ stream, format: text ? textFormat() : winston.format.json() }),
  ];
  if (opts.file) {
    // The log holds meeting topics and host emails: create it private, and tighten one made wider elsewhere.
    try {
      mkdirSync(dirname(resolve(opts.file)), { recursive: true, mode: 0o700 });
      closeSync(openSync(opts.file, 'a', 0o600));
      chmodSync(opts.file, 0o600);
    } catch (err) {
      throw new ConfigError([{ path: 'global.log.file', expected: 'a file zk can create and append to', found: `"${opts.file}": ${(err as Error).message}` }]);
    }
    transports.push(new winston.transports.File({ filename: opts.file, format: winston.format.json() }));
  }

  return winston.createLogger({
    level: opts.level,
    // splat first so interpolated arguments are redacted with the message.
    format: winston.format.combine(winston.format.splat(), redactFormat(redactor), winston.format.timestamp()),
    transports,
  });
}

/** Ends the logger and resolves once every transport (the file included) has flushed. */
export async function closeLogger(logger: Logger): Promise<void> {
  const finished = logger.transports.map(
    (transport) => new Promise<void>((resolve) => transport.once('finish', () => resolve())),
  );
  logger.end();
  await Promise.all(finished);
}
