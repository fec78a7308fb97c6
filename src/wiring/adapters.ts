/**
 * Builds the Zoom and Kaltura adapters from the validated config. The one
 * place that knows how config keys map onto adapter options, shared by the
 * daemon (which adds metrics hooks) and the CLI commands (both composition
 * roots import src/wiring; neither imports the other).
 */
import type { AccountConfig, Config } from '../config/schema.js';
import type { MediaSink, RecordingSource } from '../ingest/ports.js';
import type { ZoomIntegrationLookup } from '../ingest/adopt-port.js';
import type { MetricsHooks } from '../metrics/metrics.js';
import type { Clock } from '../util/clock.js';
import type { AccountHealthRecorder } from '../store/account-health-repo.js';
import { createZoomSource, type ZoomCallInfo } from '../zoom/index.js';
import { createKalturaSink } from '../kaltura/index.js';
import type { Log } from '../log/port.js';

export interface AdapterDeps {
  clock: Clock;
  logger?: Log;
  metrics?: Pick<MetricsHooks, 'zoomCall' | 'kalturaCall' | 'rateLimitWait'>;
  /** Token and rate-limit health per account, kept in SQLite for `zk status` (the daemon sets it). */
  health?: AccountHealthRecorder;
}

export function zoomSourceFor(config: Config, account: AccountConfig, deps: AdapterDeps): RecordingSource {
  const { metrics, health } = deps;
  return createZoomSource({
    account: account.name,
    apiUrl: config.zoom.apiUrl,
    oauthUrl: config.zoom.oauthUrl,
    credentials: { ...account.credentials },
    downloadAccessTtlSec: config.kaltura.urlAccessTtl / 1000,
    clock: deps.clock,
    logger: deps.logger,
    onCall:
      metrics || health
        ? (info) => {
            metrics?.zoomCall({ account: info.account, endpoint: info.endpoint, status: info.status, code: info.code === undefined ? '' : String(info.code) });
            if (health) recordHealth(health, account.name, info);
          }
        : undefined,
    onRateLimitWait:
      metrics || health
        ? (ms) => {
            metrics?.rateLimitWait({ account: account.name, ms });
            health?.rateLimitWait(account.name, ms);
          }
        : undefined,
  });
}

/** Token requests and rate-limit headers feed the account's health row (shown by `zk status`). */
function recordHealth(health: AccountHealthRecorder, account: string, info: ZoomCallInfo): void {
  if (info.endpoint === 'POST /oauth/token') {
    const ok = info.status >= 200 && info.status < 300;
    health.token(account, ok, ok ? undefined : `HTTP ${info.status}${info.code !== undefined ? ` (code ${info.code})` : ''}`);
  } else if (info.rateLimit) {
    health.rateLimit(account, info.rateLimit);
  }
}

export function kalturaSinkFor(config: Config, deps: AdapterDeps): MediaSink & ZoomIntegrationLookup {
  const metrics = deps.metrics;
  const k = config.kaltura;
  return createKalturaSink({
    serviceUrl: k.serviceUrl,
    partnerId: k.partnerId,
    adminSecret: k.adminSecret,
    userId: k.userId,
    privileges: k.privileges,
    sessionExpiryMs: k.sessionExpiry,
    actionBlockedWaitMs: k.actionBlockedWait,
    requestTimeoutMs: k.requestTimeout,
    retryDelayMs: k.callRetryDelay,
    lookupCacheTtlMs: k.lookupCacheTtl,
    clock: deps.clock,
    logger: deps.logger,
    onCall: metrics ? (info) => metrics.kalturaCall({ service: info.service, action: info.action, code: info.code ?? '' }) : undefined,
  });
}
