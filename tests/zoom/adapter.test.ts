/** createZoomSource against the emulator over real HTTP. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { FatalError, PermanentError, RetryableError } from '../../src/errors.js';
import type { ZoomRecordingFile } from '../../src/ingest/ports.js';
import { contentSha256 } from '../../src/sandbox/content.js';
import { ZOOM_DEMO_ACCOUNT, ZOOM_DEMO_MEETING_IDS, ZOOM_DEMO_UUIDS } from '../../src/sandbox/seed/zoom-demo.js';
import { zoomGeneratedSeed } from '../../src/sandbox/seed/zoom-generated.js';
import { startZoomSandbox, type ZoomSandbox } from '../../src/sandbox/zoom/server.js';
import { createZoomSource, encodeMeetingUuid } from '../../src/zoom/index.js';
import { NOW, api, demoSandbox, demoSource, manualClock, tokenFor } from './helpers.js';

const WINDOW = { from: '2024-11-28', to: '2024-11-30' };
const sandboxes: ZoomSandbox[] = [];
async function track(p: Promise<ZoomSandbox>): Promise<ZoomSandbox> {
  const s = await p;
  sandboxes.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((s) => s.close()));
});

describe('encodeMeetingUuid', () => {
  it('double-encodes only UUIDs that start with / or contain //', () => {
    expect(encodeMeetingUuid('/abc==')).toBe('%252Fabc%253D%253D');
    expect(encodeMeetingUuid('ab//c==')).toBe('ab%252F%252Fc%253D%253D');
    expect(encodeMeetingUuid('a+b/c==')).toBe('a%2Bb%2Fc%3D%3D');
  });
});

describe('zoom source', () => {
  it('lists every meeting of the window, deactivated hosts included, normalised', async () => {
    const sbx = await track(demoSandbox());
    const source = demoSource(sbx);
    const meetings = await source.listRecordings(WINDOW);
    expect(meetings).toHaveLength(8);
    const carol = meetings.find((m) => m.uuid === ZOOM_DEMO_UUIDS.archivedSeminar)!;
    expect(carol).toMatchObject({ hostEmail: 'carol@example.edu', type: 2, id: ZOOM_DEMO_MEETING_IDS.archivedSeminar });
    const late = meetings.find((m) => m.uuid === ZOOM_DEMO_UUIDS.lateUpload)!;
    expect(late.files.map((f) => [f.status, f.fileSize])).toEqual([
      ['processing', 0],
      ['processing', 0],
    ]);
  });

  it('caches the token, refreshes it before expiry on the injected clock, and never puts it in a URL', async () => {
    const clock = manualClock();
    const sbx = await track(demoSandbox({ faults: { tokenTtlSec: 600 } }, () => clock.now()));
    const statuses: number[] = [];
    const source = demoSource(sbx, { clock, onCall: (i) => statuses.push(i.status) });
    await source.listRecordings(WINDOW);
    await source.getUser('alice@example.edu');
    expect(sbx.state.callCounts()['POST /oauth/token']).toBe(1);
    clock.advance(301_000); // past refreshAt (ttl − min(5 min, ttl/2)), still valid at the sandbox
    await source.getUser('bob@example.edu');
    expect(sbx.state.callCounts()['POST /oauth/token']).toBe(2);
    expect(statuses.every((s) => s === 200)).toBe(true);
  });

  it('refreshes once on 401/124 and retries; a second 401 is fatal', async () => {
    const sbx = await track(demoSandbox());
    const source = demoSource(sbx);
    await source.getUser('alice@example.edu');
    sbx.state.revokeTokens();
    expect((await source.getUser('alice@example.edu'))?.cmsUserId).toBe('alice');
    expect(sbx.state.callCounts()['POST /oauth/token']).toBe(2);

    sbx.setFaults({ failNext: [{ pathPrefix: '/v2/users/', status: 401, count: 2 }] });
    const err = await source.getUser('alice@example.edu').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FatalError);
    expect((err as FatalError).code).toBe('ZOOM_AUTH');
  });

  it('treats invalid_client on the token endpoint as fatal', async () => {
    const sbx = await track(demoSandbox());
    const source = demoSource(sbx, { credentials: { ...ZOOM_DEMO_ACCOUNT, clientSecret: 'wrong' } });
    const err = await source.listRecordings(WINDOW).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FatalError);
    expect((err as Error).message).toContain('invalid_client');
    expect((err as Error).message).not.toContain('wrong');
  });

  it('retries 5xx and network resets, then gives up with RetryableError', async () => {
    const sbx = await track(demoSandbox());
    const source = demoSource(sbx, { maxRetries: 3 });
    sbx.setFaults({ failNext: [{ pathPrefix: '/v2/accounts/me/recordings', status: 503, count: 2 }, { pathPrefix: '/v2/users/', status: 'reset', count: 1 }] });
    expect(await source.listRecordings(WINDOW)).toHaveLength(8);
    expect(sbx.state.callCounts()['GET /v2/accounts/me/recordings']).toBe(3);
    expect((await source.getUser('u-bob'))?.email).toBe('bob@example.edu');

    sbx.setFaults({ failNext: [{ pathPrefix: '/v2/accounts/me/recordings', status: 500, count: 10 }] });
    const err = await source.listRecordings(WINDOW).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
    expect((err as RetryableError).code).toBe('ZOOM_HTTP_500');
  });

  it('honours Retry-After on a 429 storm and pauses only that account', async () => {
    const second = { accountId: 'sbx-account-2', clientId: 'sbx-client-2', clientSecret: 'sbx-secret-2' };
    const sbx = await track(
      startZoomSandbox({
        accounts: [{ ...ZOOM_DEMO_ACCOUNT }, second],
        seed: [
          zoomGeneratedSeed(ZOOM_DEMO_ACCOUNT.accountId, { count: 20, from: '2024-11-28T00:00:00Z', to: '2024-11-30T00:00:00Z', seed: 1 }),
          zoomGeneratedSeed(second.accountId, { count: 20, from: '2024-11-28T00:00:00Z', to: '2024-11-30T00:00:00Z', seed: 2 }),
        ],
        faults: { retryAfterMs: 400 },
      }),
    );
    const waits: number[] = [];
    const a = demoSource(sbx, { account: 'a', onRateLimitWait: (ms) => waits.push(ms) });
    const bWaits: number[] = [];
    const b = createZoomSource({ account: 'b', apiUrl: sbx.apiUrl, oauthUrl: sbx.oauthUrl, credentials: second, backoff: { baseMs: 5, maxMs: 20 }, onRateLimitWait: (ms) => bWaits.push(ms) });
    sbx.setFaults({ failNext: [{ pathPrefix: '/v2/accounts/me/recordings', status: 429, count: 2, accountId: ZOOM_DEMO_ACCOUNT.accountId }] });
    const t0 = Date.now();
    let bDoneAt = 0;
    const [ra, rb] = await Promise.all([
      a.listRecordings(WINDOW),
      b.listRecordings(WINDOW).then((r) => {
        bDoneAt = Date.now() - t0;
        return r;
      }),
    ]);
    const aDoneAt = Date.now() - t0;
    expect(ra).toHaveLength(20);
    expect(rb).toHaveLength(20);
    expect(waits.length).toBeGreaterThanOrEqual(2);
    expect(waits[0]).toBeGreaterThan(200);
    expect(aDoneAt).toBeGreaterThanOrEqual(600);
    // Only A paused: B never waited and finished first (an order, not a wall-clock limit, which a loaded machine would break).
    expect(bWaits).toEqual([]);
    expect(bDoneAt).toBeLessThan(aDoneAt);
  });

  it('restarts a listing whose page token expired and yields every meeting exactly once', async () => {
    const sbx = await track(
      startZoomSandbox({
        accounts: [{ ...ZOOM_DEMO_ACCOUNT }],
        seed: zoomGeneratedSeed(ZOOM_DEMO_ACCOUNT.accountId, { count: 50, from: '2024-11-28T00:00:00Z', to: '2024-11-30T00:00:00Z', seed: 3 }),
      }),
    );
    let expireOnce = true;
    const source = demoSource(sbx, {
      pageSize: 10,
      onCall: (i) => {
        if (expireOnce && i.endpoint === 'GET /accounts/me/recordings' && i.status === 200) {
          expireOnce = false;
          sbx.state.expirePageTokens();
        }
      },
    });
    const meetings = await source.listRecordings(WINDOW);
    expect(meetings).toHaveLength(50);
    expect(new Set(meetings.map((m) => m.uuid)).size).toBe(50);
    expect(sbx.state.callCounts()['GET /v2/accounts/me/recordings']).toBe(7); // 1 ok + 1 expired + 5 after restart

    const always = demoSource(sbx, { pageSize: 10, maxListingRestarts: 2, onCall: () => sbx.state.expirePageTokens() });
    const err = await always.listRecordings(WINDOW).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
    expect((err as RetryableError).code).toBe('ZOOM_PAGE_TOKEN_EXPIRED');
  });

  it('refuses windows longer than a month instead of letting Zoom clamp them', async () => {
    const sbx = await track(demoSandbox());
    const source = demoSource(sbx);
    await expect(source.listRecordings({ from: '2024-09-01', to: '2024-11-30' })).rejects.toBeInstanceOf(PermanentError);
    await expect(source.listRecordings({ from: '2024-10-30', to: '2024-11-30' })).resolves.toHaveLength(8);
    expect(sbx.state.callCounts()['GET /v2/accounts/me/recordings']).toBe(1);
  });

  it('gets and deletes recordings of / and // UUIDs (double-encoded); the emulator rejects single encoding', async () => {
    const sbx = await track(demoSandbox());
    const source = demoSource(sbx);
    const office = await source.getMeetingRecordings(ZOOM_DEMO_UUIDS.officeHours);
    expect(office?.files).toHaveLength(4);
    const frank = await source.getMeetingRecordings(ZOOM_DEMO_UUIDS.frankRecurring);
    expect(frank?.files.map((f) => f.fileType)).toEqual(['MP4', 'SUMMARY']);
    expect(await source.deleteRecordingFile(ZOOM_DEMO_UUIDS.frankRecurring, 'f-frank-summary', 'trash')).toBe('removed');
    expect(sbx.state.meeting(ZOOM_DEMO_UUIDS.frankRecurring)?.files.find((f) => f.id === 'f-frank-summary')?.state).toBe('trashed');
    await source.deleteRecordingFile(ZOOM_DEMO_UUIDS.officeHours, 'f-oh-2-audio', 'delete');
    expect(sbx.state.meeting(ZOOM_DEMO_UUIDS.officeHours)?.files.find((f) => f.id === 'f-oh-2-audio')?.state).toBe('deleted');
    // Already gone: resolves as 'absent' (documented), never throws "not found" at the purge.
    await expect(source.deleteRecordingFile(ZOOM_DEMO_UUIDS.officeHours, 'f-oh-2-audio', 'delete')).resolves.toBe('absent');

    const token = await tokenFor(sbx);
    expect((await api(sbx, token, `/meetings/${encodeURIComponent(ZOOM_DEMO_UUIDS.frankRecurring)}/recordings`)).body.code).toBe(3301);
    expect(await source.getMeetingRecordings('no-such-meeting==')).toBeNull();
  });

  it('turns a missing scope into a FatalError naming the scope', async () => {
    const sbx = await track(demoSandbox({ faults: { withheldScopes: { [ZOOM_DEMO_ACCOUNT.accountId]: ['cloud_recording:read:list_account_recordings:admin', 'cloud_recording:read:list_account_recordings:master'] } } }));
    const err = await demoSource(sbx).listRecordings(WINDOW).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FatalError);
    expect((err as FatalError).code).toBe('ZOOM_4711');
    expect((err as Error).message).toContain('cloud_recording:read:list_account_recordings:admin');
  });

  it('reads users, meeting details, participants, co-hosts and panelists', async () => {
    const sbx = await track(demoSandbox());
    const source = demoSource(sbx, { pageSize: 1 });
    expect(await source.getUser('ghost@example.edu')).toBeNull();
    expect(await source.getUser('alice@example.edu')).toMatchObject({ id: 'u-alice', cmsUserId: 'alice', type: 2, status: 'active' });
    const pending = await source.listUsers('pending');
    expect(pending).toEqual([expect.objectContaining({ email: 'dan@example.edu' })]);
    expect(pending[0].id).toBeUndefined();
    // Six active users; the one without an email is not listed (GET /users requires an email; DIVERGENCES.md).
    expect((await source.listUsers('active')).map((u) => u.email)).toEqual([
      'alice@example.edu',
      'bob@example.edu',
      'erin@example.edu',
      'frank@example.edu',
      'mallory@example.edu',
    ]);
    expect(await source.getMeetingDetails(ZOOM_DEMO_MEETING_IDS.labMeeting, false)).toEqual({
      id: ZOOM_DEMO_MEETING_IDS.labMeeting,
      alternativeHosts: ['bob@example.edu'],
      trackingFields: { KalturaCategory: 'Lab Recordings' },
    });
    expect(await source.getMeetingDetails(12345, false)).toBeNull();
    expect(await source.listParticipantEmails(ZOOM_DEMO_UUIDS.labMeeting, false)).toEqual(['erin@example.edu']);
    expect(await source.listParticipantEmails(String(ZOOM_DEMO_MEETING_IDS.researchWebinar), true)).toEqual(['bob@example.edu', 'frank@example.edu']);
    expect(await source.listCohostEmails(ZOOM_DEMO_UUIDS.labMeeting, false)).toEqual(['bob@example.edu']);
    expect(await source.listCohostEmails(String(ZOOM_DEMO_MEETING_IDS.researchWebinar), true)).toEqual(['frank@example.edu']);
    expect(sbx.state.callCounts()['GET /v2/report/meetings/{meetingId}/participants']).toBe(2);
  });
});

describe('zoom downloads', () => {
  async function fileOf(sbx: ZoomSandbox, uuid: string, fileId: string): Promise<ZoomRecordingFile> {
    const m = await demoSource(sbx).getMeetingRecordings(uuid);
    return m!.files.find((f) => f.id === fileId)!;
  }

  async function drain(stream: NodeJS.ReadableStream, hash: ReturnType<typeof createHash>): Promise<{ bytes: number; error?: unknown }> {
    let bytes = 0;
    try {
      for await (const c of stream) {
        hash.update(c as Buffer);
        bytes += (c as Buffer).length;
      }
      return { bytes };
    } catch (error) {
      return { bytes, error };
    }
  }

  it('resumes with Range after a mid-body reset and ends byte-exact, never sending the token to the CDN', async () => {
    const sbx = await track(demoSandbox());
    const source = demoSource(sbx);
    const file = await fileOf(sbx, ZOOM_DEMO_UUIDS.labMeeting, 'f-lab-ssv');
    sbx.setFaults({ failNext: [{ pathPrefix: '/cdn/', status: 'reset', count: 1 }] });
    const hash = createHash('sha256');
    const first = await source.openDownload(file, 0);
    expect(first.contentLength).toBe(file.fileSize);
    const r1 = await drain(first.stream, hash);
    expect(r1.error).toBeInstanceOf(RetryableError);
    expect(r1.bytes).toBeGreaterThan(0);
    expect(r1.bytes).toBeLessThan(file.fileSize);
    const rest = await source.openDownload(file, r1.bytes);
    expect(rest).toMatchObject({ offset: r1.bytes, contentLength: file.fileSize - r1.bytes, contentType: 'video/mp4' });
    const r2 = await drain(rest.stream, hash);
    expect(r2.error).toBeUndefined();
    expect(r1.bytes + r2.bytes).toBe(file.fileSize);
    expect(hash.digest('hex')).toBe(await contentSha256(file.id, file.fileSize));
    expect(sbx.state.callCounts()['CDN request carrying an Authorization header']).toBeUndefined();
    expect(sbx.state.callCounts()['GET /cdn/replay/{key}/{name}']).toBe(2);
  });

  it('rejects an HTML body (trashed file) and a size mismatch with RetryableError', async () => {
    const sbx = await track(demoSandbox());
    const source = demoSource(sbx);
    const file = await fileOf(sbx, ZOOM_DEMO_UUIDS.blockedHost, 'f-blocked-sv');
    await source.deleteRecordingFile(ZOOM_DEMO_UUIDS.blockedHost, file.id, 'trash');
    const html = await source.openDownload(file, 0).catch((e: unknown) => e);
    expect(html).toBeInstanceOf(RetryableError);
    expect((html as RetryableError).code).toBe('ZOOM_HTML_BODY');

    const audio = await fileOf(sbx, ZOOM_DEMO_UUIDS.phoneSync, 'f-phone-audio');
    const wrong = await source.openDownload({ ...audio, fileSize: audio.fileSize + 1 }, 0).catch((e: unknown) => e);
    expect((wrong as RetryableError).code).toBe('ZOOM_SIZE_MISMATCH');
    const ok = await source.openDownload(audio, 100);
    expect(ok.contentType).toBe('audio/mp4');
    ok.stream.destroy();
  });

  it('gives Kaltura the download_url with the token in a header only', async () => {
    const sbx = await track(demoSandbox());
    const source = demoSource(sbx);
    const file = await fileOf(sbx, ZOOM_DEMO_UUIDS.phoneSync, 'f-phone-audio');
    const access = await source.downloadAccess(file);
    expect(access.url).toBe(file.downloadUrl);
    expect(access.url).not.toContain('token');
    expect(access.headers).toHaveLength(1);
    const token = access.headers[0].replace(/^Authorization: Bearer /, '');
    const res = await fetch(access.url, { redirect: 'manual', headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(302);
    expect(NOW).toBeGreaterThan(0);
  });
});
