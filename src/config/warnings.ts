/**
 * Settings that work but are probably a mistake, or leak: reported as
 * warnings (by `zk config check` and at daemon start), never as failures,
 * each naming the key, what was found and the fix.
 */
import { statSync } from 'node:fs';
import type { Config } from './schema.js';
import { formatDuration } from '../util/duration.js';

export interface ConfigWarning {
  key: string;
  message: string;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\]|::1)$/i;

function urlWarnings(key: string, text: string): ConfigWarning[] {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return []; // the schema reports it
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return [{ key, message: `"${url.protocol}" is not http(s): zk speaks HTTPS to ${key.startsWith('zoom') ? 'Zoom' : 'Kaltura'}; use an https:// URL` }];
  }
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
    return [{ key, message: `cleartext http:// to ${url.hostname}: tokens and recordings would cross the network unencrypted; use https://` }];
  }
  return [];
}

/** Warnings about the validated config; `secretFiles` are the `{ file }` secrets it was read with (key path → file). */
export function configWarnings(config: Config, secretFiles: ReadonlyArray<{ key: string; file: string }> = []): ConfigWarning[] {
  const out: ConfigWarning[] = [
    ...urlWarnings('kaltura.serviceUrl', config.kaltura.serviceUrl),
    ...urlWarnings('zoom.apiUrl', config.zoom.apiUrl),
    ...urlWarnings('zoom.oauthUrl', config.zoom.oauthUrl),
  ];
  const m = config.global.metrics;
  const host = m.listen.slice(0, m.listen.lastIndexOf(':'));
  if (m.enabled && (host === '0.0.0.0' || host === '[::]')) {
    out.push({ key: 'global.metrics.listen', message: `${m.listen} serves /metrics (account names, file counts) on every network interface; use 127.0.0.1 or a specific address behind a firewall` });
  }
  const r = config.global.retry;
  if (r.baseDelay > r.maxDelay) {
    out.push({ key: 'global.retry.baseDelay', message: `${formatDuration(r.baseDelay)} is greater than global.retry.maxDelay ${formatDuration(r.maxDelay)}, so every retry waits maxDelay; lower baseDelay or raise maxDelay` });
  }
  for (const s of secretFiles) {
    try {
      const mode = statSync(s.file).mode;
      if (mode & 0o004) {
        out.push({ key: s.key, message: `secret file ${s.file} is readable by every user (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); chmod o-r (0600 or 0640)` });
      }
    } catch {
      // Unreadable files are reported as config errors by the loader.
    }
  }
  return out;
}

export function renderWarnings(warnings: readonly ConfigWarning[]): string {
  return warnings.map((w) => `zk: warning: ${w.key}: ${w.message}\n`).join('');
}
