/**
 * The daemon's monitoring endpoint: /metrics (Prometheus text), /healthz (the
 * process answers) and /readyz (the daemon is doing its job). Plain node:http
 * on a loopback address by default; nothing here needs authentication because
 * nothing here is secret or mutating.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { FatalError } from '../errors.js';

export interface HealthServerOptions {
  /** "host:port"; IPv6 as "[::1]:9464"; port 0 picks a free one. */
  listen: string;
  metrics: { registry: Registry };
  /** Readiness, with lines explaining a "not ready" (e.g. which account is halted, and why). */
  ready: () => Readiness | boolean | Promise<Readiness | boolean>;
}

export interface Readiness {
  ready: boolean;
  detail?: string[];
}

export interface HealthServer {
  /** Base URL actually bound, e.g. http://127.0.0.1:9464 */
  url: string;
  close(): Promise<void>;
}

export function parseListen(listen: string): { host: string; port: number } {
  const match = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(listen);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535) {
    throw new FatalError(`invalid metrics listen address "${listen}": use "host:port" such as "127.0.0.1:9464"`, { code: 'CONFIG_INVALID', source: 'metrics' });
  }
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

function send(res: ServerResponse, status: number, contentType: string, body: string, head: boolean): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(head ? undefined : body);
}

async function handle(req: IncomingMessage, res: ServerResponse, opts: HealthServerOptions): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', head);
  }
  switch (path) {
    case '/metrics':
      return send(res, 200, opts.metrics.registry.contentType, await opts.metrics.registry.metrics(), head);
    case '/healthz':
      return send(res, 200, 'text/plain; charset=utf-8', 'ok\n', head);
    case '/readyz': {
      let r: Readiness = { ready: false };
      try {
        const got = await opts.ready();
        r = typeof got === 'boolean' ? { ready: got } : got;
      } catch (err) {
        r = { ready: false, detail: [`readiness check failed: ${err instanceof Error ? err.message : String(err)}`] };
      }
      const text = (r.ready ? 'ready\n' : 'not ready\n') + (r.detail ?? []).map((l) => `${l}\n`).join('');
      return send(res, r.ready ? 200 : 503, 'text/plain; charset=utf-8', text, head);
    }
    default:
      return send(res, 404, 'text/plain; charset=utf-8', 'not found: try /metrics, /healthz or /readyz\n', head);
  }
}

export async function startHealthServer(opts: HealthServerOptions): Promise<HealthServer> {
  const { host, port } = parseListen(opts.listen);
  const server = createServer((req, res) => {
    handle(req, res, opts).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `error: ${err instanceof Error ? err.message : String(err)}\n`, false);
      else res.destroy();
    });
  });
  // Scrapers keep connections alive; close() must not wait for them.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new FatalError(`cannot serve metrics on ${opts.listen}: ${err.code ?? err.message}; change global.metrics.listen`, { code: 'METRICS_LISTEN', source: 'metrics', cause: err })),
    );
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
