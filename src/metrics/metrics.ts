/**
 * zk's Prometheus metrics. Counters and histograms are fed through hooks the
 * adapters and the engine call; state gauges (files by state, last successful
 * poll) are read from SQLite at scrape time, so they are right even when
 * another process (an import, the CLI) changed the rows.
 * Each call builds its own Registry: never prom-client's global one.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../store/db.js';
import { FILE_STATES } from '../ingest/states.js';
import { registerAccountStateGauges } from './account-state-gauges.js';
import { accountOverview } from '../store/account-overview-query.js';
import { backlogReader } from '../store/backlog-query.js';
import { actionBlockedReader, type ActionBlockedCount } from '../store/action-blocked-query.js';

export interface ZoomCallSample {
  account: string;
  /** Route template, never a concrete URL: e.g. 'GET /accounts/{id}/recordings'. Keeps label cardinality bounded. */
  endpoint: string;
  /** HTTP status; 0 when no response arrived (network error, timeout). */
  status: number;
  /** Zoom's error code ('' on success), e.g. '124', '4711', '3301'. */
  code: string;
}

export interface KalturaCallSample {
  service: string;
  action: string;
  /** '' on success, else the KalturaAPIException code (e.g. 'INVALID_KS') or 'HTTP_<status>'/'NETWORK'. */
  code: string;
}

export interface MetricsHooks {
  zoomCall(sample: ZoomCallSample): void;
  kalturaCall(sample: KalturaCallSample): void;
  rateLimitWait(sample: { account: string; ms: number }): void;
  bytesTransferred(sample: { account: string; bytes: number }): void;
  /** A file reached READY in Kaltura; latency is from the recording's end. */
  fileHandled(sample: { account: string; latencySeconds: number }): void;
  deletion(sample: { account: string; action: 'trash' | 'delete' }): void;
  pollCycle(sample: { account: string; durationMs: number; ok: boolean }): void;
  /** A file was adopted from Kaltura's Zoom integration (see src/ingest/adopt.ts). */
  adopted(sample: { account: string; kind: 'media' | 'caption' | 'chat' }): void;
  adoptionConflict(sample: { account: string }): void;
}

export interface Metrics extends MetricsHooks {
  registry: Registry;
}

export interface MetricsOptions {
  /** Process and Node.js runtime metrics (process_*, nodejs_*). Default true. */
  defaultMetrics?: boolean;
  /** Clock for "paused until" gauges. Default Date.now. */
  now?: () => number;
}

export function createMetrics(db: Db, opts: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const zoomRequests = new Counter({
    name: 'zk_zoom_requests_total',
    help: 'Zoom API requests by account, endpoint, HTTP status and Zoom error code',
    labelNames: ['account', 'endpoint', 'status', 'code'] as const,
    registers,
  });
  const zoomErrors = new Counter({
    name: 'zk_zoom_errors_total',
    help: 'Zoom API requests that failed (HTTP status >= 400 or no response), by account, endpoint and code',
    labelNames: ['account', 'endpoint', 'code'] as const,
    registers,
  });
  const kalturaRequests = new Counter({
    name: 'zk_kaltura_requests_total',
    help: 'Kaltura API requests by service, action and error code (empty when successful)',
    labelNames: ['service', 'action', 'code'] as const,
    registers,
  });
  const kalturaErrors = new Counter({
    name: 'zk_kaltura_errors_total',
    help: 'Kaltura API requests that failed, by service, action and error code',
    labelNames: ['service', 'action', 'code'] as const,
    registers,
  });
  const rateLimitWaits = new Counter({
    name: 'zk_zoom_rate_limit_waits_total',
    help: 'Times a Zoom request waited because of a rate limit (429 or local pacing)',
    labelNames: ['account'] as const,
    registers,
  });
  const rateLimitSeconds = new Counter({
    name: 'zk_zoom_rate_limit_wait_seconds_total',
    help: 'Seconds spent waiting for Zoom rate limits',
    labelNames: ['account'] as const,
    registers,
  });
  const bytes = new Counter({
    name: 'zk_transferred_bytes_total',
    help: 'Recording bytes zk streamed from Zoom to Kaltura (upload mode; in url mode Kaltura fetches them itself)',
    labelNames: ['account'] as const,
    registers,
  });
  const latency = new Histogram({
    name: 'zk_ingest_latency_seconds',
    help: 'Time from the end of a recording to its Kaltura entry being READY and verified',
    labelNames: ['account'] as const,
    // Minutes to a week: fresh recordings land in minutes, backfills and imports in days.
    buckets: [60, 300, 900, 1800, 3600, 7200, 14400, 43200, 86400, 259200, 604800],
    registers,
  });
  const deletions = new Counter({
    name: 'zk_zoom_deletions_total',
    help: 'Recording files trashed or deleted from Zoom',
    labelNames: ['account', 'action'] as const,
    registers,
  });
  const pollDuration = new Histogram({
    name: 'zk_poll_cycle_duration_seconds',
    help: 'Duration of poll cycles by account and outcome (ok or error)',
    labelNames: ['account', 'outcome'] as const,
    buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900],
    registers,
  });

  const adoptions = new Counter({
    name: 'zk_adoptions_total',
    help: "Files adopted from Kaltura's own Zoom integration (recorded with its existing entry or asset; nothing uploaded), by account and kind (media, caption, chat)",
    labelNames: ['account', 'kind'] as const,
    registers,
  });
  const adoptionConflicts = new Counter({
    name: 'zk_adoption_conflicts_total',
    help: "Entries of Kaltura's Zoom integration found but not adopted (errored, incomplete or only weak evidence); zk ingested the file itself",
    labelNames: ['account'] as const,
    registers,
  });

  const backlog = backlogReader(db);
  const accounts = accountOverview(db);
  new Gauge({
    name: 'zk_files',
    help: 'Drop-folder files by account and state (read from the database at scrape time)',
    labelNames: ['account', 'state'] as const,
    registers,
    collect() {
      this.reset();
      // Every known state per account, zeros included, so alerts on absent series are not needed.
      for (const { name } of accounts.rows()) {
        for (const state of FILE_STATES) this.set({ account: name, state }, 0);
      }
      for (const r of backlog.countsByAccountAndState()) {
        this.set({ account: r.account, state: r.state }, r.n);
      }
    },
  });
  const actionBlocked = actionBlockedReader(db);
  const blockedGauge = (name: string, help: string, value: (c: ActionBlockedCount) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['account'] as const,
      registers,
      collect() {
        this.reset();
        for (const [account, c] of actionBlocked()) this.set({ account }, value(c));
      },
    });
  blockedGauge('zk_kaltura_action_blocked_files', "Files waiting because Kaltura's last answer was ACTION_BLOCKED (read from the database at scrape time)", (c) => c.files);
  blockedGauge(
    'zk_kaltura_action_blocked_streak',
    'Longest run of consecutive ACTION_BLOCKED answers among waiting files; past kaltura.actionBlockedFreeRetries each spends an attempt',
    (c) => c.longestStreak,
  );
  new Gauge({
    name: 'zk_last_poll_success_timestamp_seconds',
    help: 'Unix time of the last fully successful poll per account (absent until the first one)',
    labelNames: ['account'] as const,
    registers,
    collect() {
      this.reset();
      for (const r of accounts.rows()) {
        if (r.lastPollOkAt !== null) this.set({ account: r.name }, r.lastPollOkAt / 1000);
      }
    },
  });

  registerAccountStateGauges(db, registers, opts.now);

  return {
    registry,
    zoomCall({ account, endpoint, status, code }) {
      zoomRequests.inc({ account, endpoint, status: String(status), code });
      if (status === 0 || status >= 400) zoomErrors.inc({ account, endpoint, code: code || (status === 0 ? 'NETWORK' : `HTTP_${status}`) });
    },
    kalturaCall({ service, action, code }) {
      kalturaRequests.inc({ service, action, code });
      if (code !== '') kalturaErrors.inc({ service, action, code });
    },
    rateLimitWait({ account, ms }) {
      rateLimitWaits.inc({ account });
      rateLimitSeconds.inc({ account }, Math.max(0, ms) / 1000);
    },
    bytesTransferred({ account, bytes: n }) {
      if (n > 0) bytes.inc({ account }, n);
    },
    fileHandled({ account, latencySeconds }) {
      latency.observe({ account }, Math.max(0, latencySeconds));
    },
    deletion({ account, action }) {
      deletions.inc({ account, action });
    },
    pollCycle({ account, durationMs, ok }) {
      pollDuration.observe({ account, outcome: ok ? 'ok' : 'error' }, Math.max(0, durationMs) / 1000);
    },
    adopted({ account, kind }) {
      adoptions.inc({ account, kind });
    },
    adoptionConflict({ account }) {
      adoptionConflicts.inc({ account });
    },
  };
}
