import { describe, expect, test, afterEach } from '@jest/globals';
import { createServer } from 'node:net';
import { register as globalRegistry } from 'prom-client';
import { createMetrics } from '../../src/metrics/metrics.js';
import { startHealthServer, type HealthServer } from '../../src/metrics/health-server.js';
import { FatalError } from '../../src/errors.js';
import { FILE_STATES } from '../../src/ingest/states.js';
import { parseExposition, sampleValue } from './exposition.js';
import { NOW, insertAccount, insertFile, insertRecording, makeStore, type Fixture } from '../ops/fixtures.js';

const fixtures: Fixture[] = [];
const servers: HealthServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  fixtures.splice(0).forEach((f) => f.cleanup());
});

function store(): Fixture {
  const f = makeStore();
  fixtures.push(f);
  insertAccount(f.db, 'main', { lastPollOkAt: NOW });
  insertAccount(f.db, 'med');
  const r = insertRecording(f.db, 'main', 'uuid-1==', '2024-06-09T10:00:00Z');
  insertFile(f.db, r, { state: 'PENDING' });
  insertFile(f.db, r, { state: 'PENDING' });
  insertFile(f.db, r, { state: 'HANDLED' });
  return f;
}

function feed(m: ReturnType<typeof createMetrics>): void {
  m.zoomCall({ account: 'main', endpoint: 'GET /accounts/{accountId}/recordings', status: 200, code: '' });
  m.zoomCall({ account: 'main', endpoint: 'GET /accounts/{accountId}/recordings', status: 429, code: '429' });
  m.zoomCall({ account: 'main', endpoint: 'GET /meetings/{id}', status: 0, code: '' });
  m.kalturaCall({ service: 'media', action: 'add', code: '' });
  m.kalturaCall({ service: 'uploadToken', action: 'upload', code: 'UPLOAD_TOKEN_NOT_FOUND' });
  m.rateLimitWait({ account: 'main', ms: 1500 });
  m.rateLimitWait({ account: 'main', ms: 500 });
  m.bytesTransferred({ account: 'main', bytes: 1_048_576 });
  m.fileHandled({ account: 'main', latencySeconds: 600 });
  m.fileHandled({ account: 'main', latencySeconds: 90_000 });
  m.deletion({ account: 'main', action: 'trash' });
  m.pollCycle({ account: 'main', durationMs: 1200, ok: true });
  m.pollCycle({ account: 'med', durationMs: 300, ok: false });
}

describe('createMetrics', () => {
  test('the exposition is valid and carries every zk metric', async () => {
    const f = store();
    const m = createMetrics(f.db);
    feed(m);
    const text = await m.registry.metrics();
    const families = parseExposition(text);
    for (const name of [
      'zk_files',
      'zk_last_poll_success_timestamp_seconds',
      'zk_zoom_requests_total',
      'zk_zoom_errors_total',
      'zk_kaltura_requests_total',
      'zk_kaltura_errors_total',
      'zk_zoom_rate_limit_waits_total',
      'zk_zoom_rate_limit_wait_seconds_total',
      'zk_transferred_bytes_total',
      'zk_ingest_latency_seconds',
      'zk_zoom_deletions_total',
      'zk_poll_cycle_duration_seconds',
      'process_cpu_user_seconds_total',
    ]) {
      expect(families.has(name)).toBe(true);
    }
    const v = (name: string, labels: Record<string, string>) => sampleValue(families, name, labels);
    expect(v('zk_files', { account: 'main', state: 'PENDING' })).toBe(2);
    expect(v('zk_files', { account: 'main', state: 'HANDLED' })).toBe(1);
    expect(v('zk_files', { account: 'med', state: 'FAILED' })).toBe(0);
    expect(families.get('zk_files')!.samples).toHaveLength(2 * FILE_STATES.length);
    expect(v('zk_last_poll_success_timestamp_seconds', { account: 'main' })).toBe(NOW / 1000);
    expect(v('zk_last_poll_success_timestamp_seconds', { account: 'med' })).toBeUndefined();
    expect(v('zk_zoom_requests_total', { account: 'main', endpoint: 'GET /accounts/{accountId}/recordings', status: '429', code: '429' })).toBe(1);
    expect(v('zk_zoom_errors_total', { account: 'main', endpoint: 'GET /accounts/{accountId}/recordings', code: '429' })).toBe(1);
    expect(v('zk_zoom_errors_total', { account: 'main', endpoint: 'GET /meetings/{id}', code: 'NETWORK' })).toBe(1);
    expect(v('zk_kaltura_errors_total', { service: 'uploadToken', action: 'upload', code: 'UPLOAD_TOKEN_NOT_FOUND' })).toBe(1);
    expect(v('zk_kaltura_errors_total', { service: 'media', action: 'add', code: '' })).toBeUndefined();
    expect(v('zk_zoom_rate_limit_waits_total', { account: 'main' })).toBe(2);
    expect(v('zk_zoom_rate_limit_wait_seconds_total', { account: 'main' })).toBe(2);
    expect(v('zk_transferred_bytes_total', { account: 'main' })).toBe(1_048_576);
    expect(v('zk_ingest_latency_seconds_bucket', { account: 'main', le: '900' })).toBe(1);
    expect(v('zk_ingest_latency_seconds_count', { account: 'main' })).toBe(2);
    expect(v('zk_zoom_deletions_total', { account: 'main', action: 'trash' })).toBe(1);
    expect(v('zk_poll_cycle_duration_seconds_count', { account: 'med', outcome: 'error' })).toBe(1);
    expect(v('zk_poll_cycle_duration_seconds_sum', { account: 'main', outcome: 'ok' })).toBe(1.2);
  });

  test('state gauges are read from SQLite at each scrape', async () => {
    const f = store();
    const m = createMetrics(f.db, { defaultMetrics: false });
    const first = parseExposition(await m.registry.metrics());
    expect(sampleValue(first, 'zk_files', { account: 'main', state: 'PENDING' })).toBe(2);
    f.db.prepare("UPDATE files SET state = 'FAILED' WHERE state = 'PENDING'").run();
    const second = parseExposition(await m.registry.metrics());
    expect(sampleValue(second, 'zk_files', { account: 'main', state: 'PENDING' })).toBe(0);
    expect(sampleValue(second, 'zk_files', { account: 'main', state: 'FAILED' })).toBe(2);
  });

  test('label values are escaped; each call has its own registry, never the global one', async () => {
    const f = store();
    const a = createMetrics(f.db, { defaultMetrics: false });
    const b = createMetrics(f.db, { defaultMetrics: false });
    a.zoomCall({ account: 'main', endpoint: 'weird "path"\\with\nnewline', status: 500, code: '' });
    const families = parseExposition(await a.registry.metrics());
    expect(sampleValue(families, 'zk_zoom_requests_total', { account: 'main', endpoint: 'weird "path"\\with\nnewline', status: '500', code: '' })).toBe(1);
    expect(await b.registry.metrics()).not.toContain('weird');
    expect(await globalRegistry.metrics()).not.toContain('zk_');
  });

  test('the parser rejects invalid exposition (so the test above can fail)', () => {
    expect(() => parseExposition('zk_x 1\n')).toThrow(/without HELP and TYPE/);
    expect(() => parseExposition('# HELP zk_x h\n# TYPE zk_x gauge\nzk_x{a=b} 1\n')).toThrow(/not a valid sample/);
    expect(() => parseExposition('# HELP zk_x h\n# TYPE zk_x counter\nzk_x -1\n')).toThrow(/negative counter/);
    expect(() => parseExposition('# HELP zk_h h\n# TYPE zk_h histogram\nzk_h_bucket{le="1"} 2\nzk_h_bucket{le="+Inf"} 1\nzk_h_count 1\nzk_h_sum 1\n')).toThrow(/cumulative/);
  });
});

describe('startHealthServer', () => {
  async function start(ready: () => boolean | Promise<boolean>) {
    const f = store();
    const metrics = createMetrics(f.db, { defaultMetrics: false });
    const server = await startHealthServer({ listen: '127.0.0.1:0', metrics, ready });
    servers.push(server);
    return { server, metrics };
  }

  test('/metrics, /healthz, /readyz and the rest', async () => {
    let ready = false;
    const { server, metrics } = await start(() => ready);
    metrics.deletion({ account: 'main', action: 'delete' });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const families = parseExposition(await res.text());
    expect(sampleValue(families, 'zk_zoom_deletions_total', { account: 'main', action: 'delete' })).toBe(1);

    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    ready = true;
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    const post = await fetch(`${server.url}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  test('/readyz is 503 when the readiness check throws or resolves false', async () => {
    const throwing = await start(() => {
      throw new Error('db closed');
    });
    expect((await fetch(`${throwing.server.url}/readyz`)).status).toBe(503);
    const asyncReady = await start(async () => true);
    expect((await fetch(`${asyncReady.server.url}/readyz`)).status).toBe(200);
  });

  test('close() stops serving, even with a kept-alive connection', async () => {
    const f = store();
    const server = await startHealthServer({ listen: '127.0.0.1:0', metrics: createMetrics(f.db, { defaultMetrics: false }), ready: () => true });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await server.close();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  test('a bad address or a taken port is a FatalError naming global.metrics.listen', async () => {
    const f = store();
    const metrics = createMetrics(f.db, { defaultMetrics: false });
    await expect(startHealthServer({ listen: 'localhost', metrics, ready: () => true })).rejects.toThrow(FatalError);
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startHealthServer({ listen: `127.0.0.1:${port}`, metrics, ready: () => true })).rejects.toThrow(/global\.metrics\.listen/);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  });
});
