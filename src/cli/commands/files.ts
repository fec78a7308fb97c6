/** `zk files list|show|retry|ignore`: the drop folder, as operators know it from Kaltura. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { runAction } from '../exit.js';
import { EXIT } from '../../errors.js';
import type { Config } from '../../config/schema.js';
import type { Db } from '../../store/db.js';
import { FILE_STATES } from '../../ingest/states.js';
import {
  DEFAULT_LIST_LIMIT,
  assertKnownAccount,
  listFiles,
  parseLimit,
  parseStates,
  renderFileDetails,
  renderFileList,
  showFiles,
} from '../../ops/files-query.js';
import { ignoreFile, parseFileId, retryFailed, retryFile } from '../../ops/files-actions.js';
import { parseSince } from '../../ops/since.js';
import { toJson } from '../../ops/format.js';
import { usageError } from '../../ops/usage.js';

async function withStore(ctx: CliContext, body: (db: Db, config: Config) => number | Promise<number>): Promise<number> {
  const { config } = ctx.loadConfig();
  const db = ctx.openStore(config);
  try {
    return await body(db, config);
  } finally {
    db.close();
  }
}

export function registerFilesCommand(program: Command, ctx: CliContext): void {
  const files = program.command('files').description('list, inspect, retry or ignore drop-folder files');

  files
    .command('list')
    .description('files, newest recording first')
    .option('--state <states>', `comma-separated states: ${FILE_STATES.join(', ')}`)
    .option('--account <name>', 'only this account')
    .option('--since <when>', 'recordings that started since a duration ago (7d, 12h) or a UTC date/time (2024-05-01)')
    .option('--limit <n>', `at most this many files (default ${DEFAULT_LIST_LIMIT})`)
    .option('--json', 'print one JSON document')
    .action((opts: { state?: string; account?: string; since?: string; limit?: string; json?: boolean }) =>
      runAction(ctx.io, () =>
        withStore(ctx, (db, config) => {
          const states = opts.state !== undefined ? parseStates(opts.state) : undefined;
          const sinceMs = opts.since !== undefined ? parseSince(opts.since, ctx.clock.now()) : undefined;
          const limit = opts.limit !== undefined ? parseLimit(opts.limit) : DEFAULT_LIST_LIMIT;
          if (opts.account !== undefined) assertKnownAccount(db, config.accounts.map((a) => a.name), opts.account);
          const result = listFiles(db, { states, account: opts.account, sinceMs, limit });
          ctx.io.stdout.write(opts.json ? toJson(result) : renderFileList(result, limit));
          return EXIT.OK;
        }),
      ),
    );

  files
    .command('show')
    .description('one file (by id) or every file of a meeting (by meeting UUID), with every state change')
    .argument('<id-or-uuid>', 'file id from `zk files list`, or a Zoom meeting UUID')
    .option('--json', 'print one JSON document')
    .action((key: string, opts: { json?: boolean }) =>
      runAction(ctx.io, () =>
        withStore(ctx, (db) => {
          const found = showFiles(db, key);
          ctx.io.stdout.write(opts.json ? toJson({ files: found }) : renderFileDetails(found));
          return EXIT.OK;
        }),
      ),
    );

  files
    .command('retry')
    .description('move a FAILED or RETRY_WAIT file back to PENDING with its attempts reset (a RETRY_WAIT file is tried at once)')
    .argument('[id]', 'file id')
    .option('--failed', 'retry every FAILED file (of --account, or all accounts)')
    .option('--account <name>', 'with --failed: only this account')
    .option('--json', 'print one JSON document')
    .action((id: string | undefined, opts: { failed?: boolean; account?: string; json?: boolean }) =>
      runAction(ctx.io, () =>
        withStore(ctx, (db, config) => {
          const now = ctx.clock.now();
          if (id !== undefined && opts.failed) throw usageError('give either a file id or --failed, not both');
          if (id === undefined && !opts.failed) throw usageError('give a file id (see `zk files list --state FAILED`) or --failed');
          if (opts.account !== undefined && !opts.failed) throw usageError('--account applies to --failed only; a file id already names its account');
          if (id !== undefined) {
            const t = retryFile(db, parseFileId(id), now);
            ctx.io.stdout.write(opts.json ? toJson({ retried: [t], skipped: [] }) : `file ${t.id}: ${t.from} -> ${t.to} (attempts reset)\n`);
            return EXIT.OK;
          }
          if (opts.account !== undefined) assertKnownAccount(db, config.accounts.map((a) => a.name), opts.account);
          const result = retryFailed(db, now, opts.account);
          if (opts.json) ctx.io.stdout.write(toJson(result));
          else {
            const lines = [
              ...result.retried.map((t) => `file ${t.id}: ${t.from} -> ${t.to} (attempts reset)`),
              ...result.skipped.map((s) => `file ${s.id}: skipped, ${s.reason}`),
              `${result.retried.length} retried, ${result.skipped.length} skipped`,
            ];
            ctx.io.stdout.write(lines.join('\n') + '\n');
          }
          return result.skipped.length > 0 ? EXIT.PARTIAL : EXIT.OK;
        }),
      ),
    );

  files
    .command('ignore')
    .description('stop working on a file: it is never ingested nor deleted from Zoom (a parent takes its captions, chat and covered audio along)')
    .argument('<id>', 'file id')
    .option('--reason <text>', 'why, recorded in the file history')
    .option('--json', 'print one JSON document')
    .action((id: string, opts: { reason?: string; json?: boolean }) =>
      runAction(ctx.io, () =>
        withStore(ctx, (db) => {
          const t = ignoreFile(db, parseFileId(id), opts.reason, ctx.clock.now());
          const lines = [t, ...(t.alsoIgnored ?? [])].map((x) => `file ${x.id}: ${x.from} -> ${x.to}${x === t ? '' : ` (with parent file ${t.id})`}`);
          ctx.io.stdout.write(opts.json ? toJson(t) : `${lines.join('\n')}\n`);
          return EXIT.OK;
        }),
      ),
    );
}
