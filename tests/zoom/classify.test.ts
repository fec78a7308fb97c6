/**
 * One classifier, one retry layer: the same Zoom answer means the same thing
 * to API calls, downloads and token requests (against the sandbox over HTTP).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { FatalError, RetryableError } from '../../src/errors.js';
import type { ZoomRecordingFile } from '../../src/ingest/ports.js';
import { ZOOM_DEMO_ACCOUNT, ZOOM_DEMO_UUIDS } from '../../src/sandbox/seed/zoom-demo.js';
import type { ZoomFailRule, ZoomSandbox } from '../../src/sandbox/zoom/server.js';
import { ZoomScopeError } from '../../src/zoom/classify.js';
import { NOW, demoSandbox, demoSource, manualClock } from './helpers.js';

const WINDOW = { from: '2024-11-28', to: '2024-11-30' };
const sandboxes: ZoomSandbox[] = [];
afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((s) => s.close()));
});
async function sandbox(...args: Parameters<typeof demoSandbox>): Promise<ZoomSandbox> {
  const s = await demoSandbox(...args);
  sandboxes.push(s);
  return s;
}

async function fileOf(sbx: ZoomSandbox, uuid: string, fileId: string): Promise<ZoomRecordingFile> {
  const m = await demoSource(sbx).getMeetingRecordings(uuid);
  return m!.files.find((f) => f.id === fileId)!;
}

/** The three kinds of Zoom exchange, each reached through the adapter. */
const CASES: Array<{ name: string; prefix: string; run: (sbx: ZoomSandbox, source: ReturnType<typeof demoSource>, file: ZoomRecordingFile) => Promise<unknown> }> = [
  { name: 'an API call', prefix: '/v2/users/', run: (_s, source) => source.getUser('alice@example.edu') },
  { name: 'a download (Zoom hop)', prefix: '/rec/download/', run: async (_s, source, file) => (await source.openDownload(file, 0)).stream.destroy() },
  { name: 'a download (CDN hop)', prefix: '/cdn/', run: async (_s, source, file) => (await source.openDownload(file, 0)).stream.destroy() },
  { name: 'a token request', prefix: '/oauth/token', run: (_s, source) => source.getUser('alice@example.edu') },
];

describe('zoom classifier', () => {
  it.each(CASES)('a 403 is retried, then retryable, for $name', async ({ prefix, run }) => {
    const sbx = await sandbox();
    const file = await fileOf(sbx, ZOOM_DEMO_UUIDS.phoneSync, 'f-phone-audio');
    const source = demoSource(sbx, { maxRetries: 2 });
    sbx.setFaults({ failNext: [{ pathPrefix: prefix, status: 403, count: 1, message: 'Forbidden.' }] });
    await run(sbx, source, file);

    const fresh = demoSource(sbx, { maxRetries: 2 });
    sbx.setFaults({ failNext: [{ pathPrefix: prefix, status: 403, count: 3, message: 'Forbidden.' }] });
    const err = await run(sbx, fresh, file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
    expect((err as RetryableError).status).toBe(403);
    // Three answers, three attempts: a token request's retries are not multiplied by the call's.
    if (prefix === '/oauth/token') expect(sbx.state.callCounts()['POST /oauth/token']).toBe(1 + 2 + 3);
  });

  it.each([400, 401])('a %i with code 4711 names the missing scope, on API calls and downloads', async (status) => {
    const sbx = await sandbox();
    const file = await fileOf(sbx, ZOOM_DEMO_UUIDS.phoneSync, 'f-phone-audio');
    const scope = 'user:read:user:admin';
    const rule = (pathPrefix: string): ZoomFailRule => ({ pathPrefix, status, code: 4711, count: 1, message: `Invalid access token, does not contain scopes:[${scope}].` });
    sbx.setFaults({ failNext: [rule('/v2/users/'), rule('/rec/download/')] });
    const source = demoSource(sbx);
    for (const call of [() => source.getUser('alice@example.edu'), () => source.openDownload(file, 0)]) {
      const err = await call().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ZoomScopeError);
      expect((err as ZoomScopeError).code).toBe('ZOOM_4711');
      expect((err as ZoomScopeError).scopes).toEqual([scope]);
      expect((err as Error).message).toContain(scope);
    }
  });

  it('a daily-limit 429 is not waited out: one call, then a retryable error carrying the far Retry-After', async () => {
    const clock = manualClock();
    const sbx = await sandbox({}, () => clock.now());
    const source = demoSource(sbx, { clock });
    const until = NOW + 5 * 3600_000;
    sbx.setFaults({ dailyLimitUntil: { [ZOOM_DEMO_ACCOUNT.accountId]: until } });
    const err = await source.listRecordings(WINDOW).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
    expect((err as RetryableError).code).toBe('ZOOM_DAILY_LIMIT');
    expect((err as RetryableError).retryAfterMs).toBeGreaterThan(4 * 3600_000);
    expect(sbx.state.callCounts()['GET /v2/accounts/me/recordings']).toBe(1);
    expect(clock.slept).toEqual([]);
    clock.set(until + 1);
    await expect(source.listRecordings(WINDOW)).resolves.toHaveLength(8);
  });

  it('a per-second 429 is waited out for its Retry-After', async () => {
    const clock = manualClock();
    const sbx = await sandbox({}, () => clock.now());
    const source = demoSource(sbx, { clock });
    sbx.setFaults({ failNext: [{ pathPrefix: '/v2/users/', status: 429, count: 1, retryAfterMs: 2000 }] });
    await expect(source.getUser('alice@example.edu')).resolves.toMatchObject({ cmsUserId: 'alice' });
    expect(clock.slept.some((ms) => ms >= 1900 && ms <= 2000)).toBe(true);
  });

  it('a revoked client secret is fatal (ZOOM_AUTH) without retries', async () => {
    const sbx = await sandbox();
    sbx.setFaults({ rejectedCredentials: [ZOOM_DEMO_ACCOUNT.accountId] });
    const err = await demoSource(sbx).listRecordings(WINDOW).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FatalError);
    expect((err as FatalError).code).toBe('ZOOM_AUTH');
    expect((err as Error).message).toContain('invalid_client');
    expect(sbx.state.callCounts()['POST /oauth/token']).toBe(1);
    expect(sbx.state.callCounts()['GET /v2/accounts/me/recordings']).toBeUndefined();
  });

  it('keeps the Authorization header on a same-origin redirect and drops it on a cross-origin one', async () => {
    const sbx = await sandbox();
    const file = await fileOf(sbx, ZOOM_DEMO_UUIDS.phoneSync, 'f-phone-audio');
    const source = demoSource(sbx);
    (await source.openDownload(file, 0)).stream.destroy();
    expect(sbx.state.callCounts()['CDN request carrying an Authorization header']).toBeUndefined();
    sbx.setFaults({ cdnSameOrigin: true });
    (await source.openDownload(file, 0)).stream.destroy();
    expect(sbx.state.callCounts()['CDN request carrying an Authorization header']).toBe(1);
    expect(sbx.state.callCounts()['GET /cdn/replay/{key}/{name}']).toBe(2);
  });
});
