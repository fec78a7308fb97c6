/**
 * The one config schema: validator and TypeScript type at once. Every key is
 * documented in config/zk.example.yaml and the README; defaults live here only.
 * Secrets are already resolved (from ${ENV} or { file }) before this runs.
 */
import { z } from 'zod';
import cron from 'node-cron';
import { parseDuration } from '../util/duration.js';
import { KALTURA_LANGUAGES } from '../kaltura-languages/languages.js';
import { specialDatabasePath } from './database-path.js';

/** A duration string (`30s`, `5m`, `1d`) parsed to milliseconds. */
export function duration(defaultValue?: string) {
  const base = z
    .string({ invalid_type_error: 'a duration string such as "30s", "5m" or "1d"' })
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'a duration such as "30s", "5m" or "1d"', params: { found: text } });
        return z.NEVER;
      }
      return ms;
    });
  return defaultValue === undefined ? base : base.default(defaultValue);
}

const cronExpression = z.string().refine((text) => cron.validate(text), {
  message: 'a cron expression such as "0 3 * * *" (minute hour day month weekday)',
});

const secret = z.string({ required_error: 'a secret (a string, "${ENV_VAR}" or { file: /path })' }).min(1, 'a non-empty secret');

const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'an address "host:port" such as "127.0.0.1:9464"')
  .refine((v) => Number(v.slice(v.lastIndexOf(':') + 1)) <= 65535, 'a port from 0 to 65535');

export const PERMISSION_MODES = ['ignore', 'coViewer', 'coPublisher', 'coEditor', 'coEditorCoPublisher'] as const;
const permissionMode = z.enum(PERMISSION_MODES).default('ignore');

const categoryList = z.array(z.string().min(1)).default([]);

/** A caption language Kaltura's enum has: a full name in any case, or an ISO code such as "de" or "pt-BR". */
const captionLanguage = z
  .string()
  .min(1)
  .refine((text) => KALTURA_LANGUAGES.resolve(text) !== undefined, {
    message: 'a Kaltura caption language: a full name such as "English" or "Spanish", or an ISO code such as "de" or "pt-BR"',
  });

export const account = z
  .object({
    /** Local name used in logs, metrics and `--account`; stable across credential rotation. */
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'a short lower-case name such as "main" or "med-school"'),
    description: z.string().default(''),
    enabled: z.boolean().default(true),
    credentials: z
      .object({
        accountId: z.string().min(1),
        clientId: z.string().min(1),
        clientSecret: secret,
      })
      .strict(),
    meetings: z
      .object({ upload: z.boolean().default(true), categories: categoryList })
      .strict()
      .default({}),
    webinars: z
      .object({ upload: z.boolean().default(true), categories: categoryList })
      .strict()
      .default({}),
    categories: z
      .object({
        /** Create a missing category (its parent must exist) instead of failing the file. */
        createMissing: z.boolean().default(false),
      })
      .strict()
      .default({}),
    owner: z
      .object({
        /** zoomUser: the host's Zoom email (with the postfix rule); cmsUserId: Zoom's cms_user_id (SAML). */
        matching: z.enum(['zoomUser', 'cmsUserId']).default('zoomUser'),
        postfixMode: z.enum(['none', 'add', 'remove']).default('none'),
        postfix: z.string().default(''),
        searchBy: z.enum(['email', 'externalId']).default('email'),
        onNoMatch: z.enum(['create', 'defaultUser']).default('defaultUser'),
        defaultUserId: z.string().min(1).optional(),
      })
      .strict()
      .default({}),
    permissions: z
      .object({
        alternativeHosts: permissionMode,
        coHosts: permissionMode,
        participants: permissionMode,
      })
      .strict()
      .default({}),
    groups: z
      .object({
        optIn: z.array(z.string().min(1)).default([]),
        optOut: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .default({}),
    transcripts: z
      .object({ enabled: z.boolean().default(true), language: captionLanguage.default('English') })
      .strict()
      .default({}),
    chat: z.object({ enabled: z.boolean().default(true) }).strict().default({}),
    delete: z
      .object({
        enabled: z.boolean().default(false),
        delay: duration('1d'),
        action: z.enum(['trash', 'delete']).default('trash'),
      })
      .strict()
      .default({}),
    /** Overrides kaltura.conversionProfileId for this account. */
    conversionProfileId: z.number().int().positive().optional(),
    /** Extra Kaltura tags for every entry from this account. */
    // Kaltura stores tags as one comma-separated string, so a comma would split one tag into two.
    tags: z.array(z.string().trim().min(1).refine((tag) => !tag.includes(','), 'a tag without commas (Kaltura splits tags at commas: list them separately)')).default([]),
  })
  .strict()
  .superRefine((acct, ctx) => {
    if (acct.groups.optIn.length > 0 && acct.groups.optOut.length > 0) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['groups'],
        message: 'either groups.optIn or groups.optOut, not both (Kaltura supports one mode per account)',
        params: { found: 'both lists set' },
      });
    }
    if (acct.owner.postfixMode !== 'none' && acct.owner.postfix === '') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['owner', 'postfix'],
        message: `a postfix such as "@example.edu" when owner.postfixMode is "${acct.owner.postfixMode}"`,
        params: { found: 'empty' },
      });
    }
    if (acct.owner.onNoMatch === 'defaultUser' && !acct.owner.defaultUserId) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['owner', 'defaultUserId'],
        message: 'a Kaltura user id when owner.onNoMatch is "defaultUser"',
        params: { found: 'missing' },
      });
    }
  });

export const backfill = z
  .object({
    /** node-cron expression; runs inside the daemon, never overlapping itself or an import. */
    schedule: cronExpression,
    /** How far back from now the backfill re-scans. */
    window: duration(),
    /** Account names; all enabled accounts when omitted. */
    accounts: z.array(z.string()).min(1, 'at least one account name (omit the key for all accounts)').optional(),
  })
  .strict();

export const config = z
  .object({
    global: z
      .object({
        database: z
          .string()
          .min(1)
          .default('./data/zk.db')
          .superRefine((path, ctx) => {
            const special = specialDatabasePath(path);
            if (special) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'a path to a SQLite file on a real filesystem', params: { found: special } });
          }),
        log: z
          .object({
            level: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
            /** auto: readable text on a TTY, JSON lines otherwise. */
            format: z.enum(['auto', 'json', 'text']).default('auto'),
            file: z.string().min(1).optional(),
            /** Import/backfill progress: a line this often when stderr is not a terminal. */
            progressInterval: duration('10s'),
            /** The daemon's backlog line (files per state, oldest pending age); 0 turns it off. */
            backlogInterval: duration('15m'),
          })
          .strict()
          .default({}),
        metrics: z
          .object({ enabled: z.boolean().default(true), listen: hostPort.default('127.0.0.1:9464') })
          .strict()
          .default({}),
        pollInterval: duration('5m'),
        /** How far back every poll re-scans, so late-appearing recordings are caught. */
        lookback: duration('3d'),
        concurrency: z
          .object({
            /** Files transferred at once across all accounts. */
            transfers: z.number().int().min(1).max(64).default(4),
            /** Files transferred at once per account. */
            perAccount: z.number().int().min(1).max(32).default(2),
          })
          .strict()
          .default({}),
        retry: z
          .object({
            maxAttempts: z.number().int().min(1).max(100).default(8),
            baseDelay: duration('1m'),
            maxDelay: duration('6h'),
          })
          .strict()
          .default({}),
        /** Circuit breaker: at most this many Zoom deletions per purge run. */
        deleteCapPerRun: z.number().int().min(0).default(500),
        /** How long an import may stay unfinished in Kaltura before it is retried. */
        importTimeout: duration('6h'),
        shutdownTimeout: duration('30s'),
        /** A halted account (rejected credentials, missing mandatory scope, invalid KS) is tried again this often. */
        haltRetryInterval: duration('15m'),
        /** Longest wait for a better view of a segment still processing in Zoom before the best complete view becomes the parent. */
        parentViewWait: duration('12h'),
        /** Largest transcript, caption or chat file zk takes (MiB), whatever size Zoom lists for it. */
        maxTextAssetMb: z.number().int().min(1).max(1024).default(20),
        backfills: z.array(backfill).default([]),
      })
      .strict()
      .default({}),
    kaltura: z
      .object({
        serviceUrl: z.string().url().default('https://www.kaltura.com'),
        // A digit string is accepted too, so the id can come from "${ENV_VAR}".
        partnerId: z.preprocess(
          (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v),
          z.number({ invalid_type_error: 'a numeric partner id', required_error: 'a numeric partner id' }).int().positive(),
        ),
        adminSecret: secret,
        /** The KS user id zk acts as. */
        userId: z.string().default('zk'),
        privileges: z.string().default('disableentitlement'),
        sessionExpiry: duration('1d'),
        /** upload: zk streams bytes through upload tokens; url: Kaltura fetches from Zoom. */
        transferMode: z.enum(['upload', 'url']).default('upload'),
        conversionProfileId: z.number().int().positive().optional(),
        /** Upload chunk size in MiB. */
        chunkSizeMb: z.number().int().min(1).max(256).default(8),
        /**
         * How long Kaltura's search index may lag media.add. After a crash during a create, a lookup that finds
         * nothing is repeated once this long after the create began, before zk creates again.
         */
        indexLag: duration('30s'),
        /** zoomIntegration: adopt what Kaltura's own Zoom integration already ingested instead of ingesting it again. */
        adopt: z.enum(['zoomIntegration', 'off']).default('zoomIntegration'),
        /** How long zk waits after ACTION_BLOCKED (Kaltura names no wait). */
        actionBlockedWait: duration('1m'),
        /** Consecutive ACTION_BLOCKED answers a file waits out for free; each one beyond spends an attempt. */
        actionBlockedFreeRetries: z.number().int().min(0).max(1000).default(10),
        /**
         * How long Kaltura user, group-membership and category lookups are reused within a run (0s: never);
         * a user blocked or created in Kaltura meanwhile is seen within this time.
         */
        lookupCacheTtl: duration('10m'),
        /** Per-request timeout of Kaltura API calls (a chunk upload is one request). */
        requestTimeout: duration('2m'),
        /** First delay of the adapter's quick retries of idempotent calls (doubles each time). */
        callRetryDelay: duration('250ms'),
        /** Verification without a READY source flavor (url mode): Kaltura's measured duration may differ from Zoom's by this much. */
        durationTolerance: duration('10s'),
        /**
         * url mode: lifetime of the download_access_token Kaltura fetches Zoom's file with; it must outlast
         * Kaltura's import queue (Zoom allows at most 7d).
         */
        urlAccessTtl: duration('1d').refine((ms) => ms >= 60_000 && ms <= 604_800_000, 'a duration from 1m to 7d (Zoom\'s ttl limit)'),
      })
      .strict(),
    zoom: z
      .object({
        apiUrl: z.string().url().default('https://api.zoom.us/v2'),
        oauthUrl: z.string().url().default('https://zoom.us/oauth/token'),
      })
      .strict()
      .default({}),
    accounts: z.array(account).min(1, 'at least one Zoom account').max(3, 'at most three Zoom accounts'),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.accounts.forEach((acct, i) => {
      if (seen.has(acct.name)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['accounts', i, 'name'], message: 'a unique account name', params: { found: acct.name } });
      }
      seen.add(acct.name);
    });
    // Two entries for one Zoom account would poll and ingest every recording twice under different names.
    // (An entry that repeats a name is already reported as a duplicate; its accountId is not reported again.)
    cfg.accounts.forEach((acct, i) => {
      const first = cfg.accounts.findIndex((a) => a.credentials.accountId === acct.credentials.accountId);
      if (first < i && cfg.accounts[first].name !== acct.name) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['accounts', i, 'credentials', 'accountId'],
          message: `a Zoom accountId not already used by accounts[${first}] ("${cfg.accounts[first].name}"): one entry per Zoom account`,
          params: { found: `"${acct.credentials.accountId}", the same as accounts[${first}].credentials.accountId ("${cfg.accounts[first].name}" and "${acct.name}")` },
        });
      }
    });
    cfg.global.backfills.forEach((b, i) => {
      (b.accounts ?? []).forEach((name, j) => {
        if (!seen.has(name)) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ['global', 'backfills', i, 'accounts', j],
            message: `one of the configured account names (${[...seen].join(', ')})`,
            params: { found: name },
          });
        }
      });
    });
  });

export type Config = z.infer<typeof config>;
export type AccountConfig = z.infer<typeof account>;
export type PermissionMode = (typeof PERMISSION_MODES)[number];
export type BackfillConfig = z.infer<typeof backfill>;

/** Paths (dot-joined) of keys whose values are secrets: redacted in `config check` and logs. */
export const SECRET_KEYS = ['clientSecret', 'adminSecret'] as const;
