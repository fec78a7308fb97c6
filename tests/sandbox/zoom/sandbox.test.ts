/** The Zoom emulator over raw HTTP: the gotchas zk must be able to meet. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ZoomSandbox } from '../../../src/sandbox/zoom/server.js';
import { startZoomSandbox } from '../../../src/sandbox/zoom/server.js';
import { ZOOM_DEMO_ACCOUNT, ZOOM_DEMO_MEETING_IDS, ZOOM_DEMO_UUIDS } from '../../../src/sandbox/seed/zoom-demo.js';
import { generateRecordings, zoomGeneratedSeed } from '../../../src/sandbox/seed/zoom-generated.js';
import { contentSha256 } from '../../../src/sandbox/content.js';
import { createHash } from 'node:crypto';
import { NOW, api, demoSandbox, tokenFor } from '../../zoom/helpers.js';

const twice = (s: string) => encodeURIComponent(encodeURIComponent(s));
const WINDOW = '?from=2024-11-28&to=2024-11-30';

describe('zoom sandbox', () => {
  let now = NOW;
  let sbx: ZoomSandbox;
  let token: string;
  beforeAll(async () => {
    sbx = await demoSandbox({}, () => now);
    token = await tokenFor(sbx);
  });
  afterAll(() => sbx.close());

  it('issues S2S tokens from a form body or a query string, and rejects bad credentials per the docs', async () => {
    const basic = `Basic ${Buffer.from('sbx-client-1:sbx-secret-1').toString('base64')}`;
    const viaQuery = await fetch(`${sbx.oauthUrl}?grant_type=account_credentials&account_id=sbx-account-1`, { method: 'POST', headers: { authorization: basic } });
    const body = (await viaQuery.json()) as Record<string, unknown>;
    expect(viaQuery.status).toBe(200);
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 3600, api_url: sbx.url });
    expect(String(body.scope).split(' ')).toContain('cloud_recording:read:list_account_recordings:admin');

    const wrong = await fetch(`${sbx.oauthUrl}?grant_type=account_credentials&account_id=sbx-account-1`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('sbx-client-1:nope').toString('base64')}` },
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client', code: 4704 });

    const grant = await fetch(`${sbx.oauthUrl}?grant_type=client_credentials&account_id=sbx-account-1`, { method: 'POST', headers: { authorization: basic } });
    expect(await grant.json()).toMatchObject({ error: 'unsupported_grant_type', code: 4705 });
  });

  it('refuses tokens in the query string and expired tokens with 401/124', async () => {
    const inQuery = await fetch(`${sbx.apiUrl}/users?access_token=${token}`);
    expect(inQuery.status).toBe(401);
    expect(await inQuery.json()).toEqual({ code: 124, message: 'Invalid access token.' });

    sbx.setFaults({ tokenTtlSec: 60 });
    const short = await tokenFor(sbx);
    expect((await api(sbx, short, '/users')).status).toBe(200);
    now += 61_000;
    const expired = await api(sbx, short, '/users');
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe(124);
    now = NOW;
    sbx.setFaults({ tokenTtlSec: 3600 });
  });

  it('lists account recordings by start date, deactivated hosts and processing files included, with rate-limit headers', async () => {
    const res = await api(sbx, token, `/accounts/me/recordings${WINDOW}&page_size=300`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-category')).toBe('Medium');
    expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeGreaterThanOrEqual(0);
    expect(res.body.total_records).toBe(8);
    expect(res.body.next_page_token).toBe('');
    const byUuid = new Map(res.body.meetings.map((m: { uuid: string }) => [m.uuid, m]));
    const carol = byUuid.get(ZOOM_DEMO_UUIDS.archivedSeminar) as { host_email: string; type: number };
    expect(carol.host_email).toBe('carol@example.edu');
    expect(typeof carol.type).toBe('number');
    const late = byUuid.get(ZOOM_DEMO_UUIDS.lateUpload) as { recording_files: Array<Record<string, unknown>> };
    expect(late.recording_files[0]).toMatchObject({ status: 'processing', file_size: 0, recording_end: '' });
    expect(late.recording_files[1]).toMatchObject({ file_type: '', status: 'processing' });
    const office = byUuid.get(ZOOM_DEMO_UUIDS.officeHours) as { recording_files: Array<{ recording_start: string }> };
    expect(new Set(office.recording_files.map((f) => f.recording_start)).size).toBe(2);
  });

  it('pages with opaque expiring tokens, clamps page_size to 300 and ranges to one month', async () => {
    const first = await api(sbx, token, `/accounts/me/recordings${WINDOW}&page_size=3`);
    expect(first.body.meetings).toHaveLength(3);
    expect(first.body.page_count).toBe(3);
    const seen = first.body.meetings.map((m: { uuid: string }) => m.uuid);
    let next = first.body.next_page_token as string;
    while (next) {
      const page = await api(sbx, token, `/accounts/me/recordings${WINDOW}&page_size=3&next_page_token=${next}`);
      seen.push(...page.body.meetings.map((m: { uuid: string }) => m.uuid));
      next = page.body.next_page_token;
    }
    expect(new Set(seen).size).toBe(8);

    const again = await api(sbx, token, `/accounts/me/recordings${WINDOW}&page_size=3`);
    now += 16 * 60_000;
    const stale = await api(sbx, token, `/accounts/me/recordings${WINDOW}&page_size=3&next_page_token=${again.body.next_page_token}`);
    now = NOW;
    expect(stale.status).toBe(400);
    expect(stale.body).toEqual({ code: 300, message: 'The next page token is invalid or expired.' });

    const big = await api(sbx, token, `/accounts/me/recordings?from=2024-01-01&to=2024-11-30&page_size=1000`);
    expect(big.body.page_size).toBe(300);
    expect(big.body.from).toBe('2024-10-30');
    const dflt = await api(sbx, token, '/accounts/me/recordings');
    expect([dflt.body.from, dflt.body.to]).toEqual(['2024-11-30', '2024-11-30']);
  });

  it('needs double encoding for UUIDs starting with / or containing //, single for the rest', async () => {
    for (const uuid of [ZOOM_DEMO_UUIDS.officeHours, ZOOM_DEMO_UUIDS.frankRecurring]) {
      const ok = await api(sbx, token, `/meetings/${twice(uuid)}/recordings`);
      expect(ok.status).toBe(200);
      expect(ok.body.uuid).toBe(uuid);
      const single = await api(sbx, token, `/meetings/${encodeURIComponent(uuid)}/recordings`);
      expect(single.status).toBe(404);
      expect(single.body.code).toBe(3301);
    }
    const alice = await api(sbx, token, `/meetings/${encodeURIComponent(ZOOM_DEMO_UUIDS.labMeeting)}/recordings`);
    expect(alice.body.recording_files).toHaveLength(7);
    const latest = await api(sbx, token, `/meetings/${ZOOM_DEMO_MEETING_IDS.officeHours}/recordings`);
    expect(latest.body.uuid).toBe(ZOOM_DEMO_UUIDS.officeHours);
    expect((await api(sbx, token, '/meetings/123/recordings')).body).toEqual({ code: 3301, message: 'There is no recording for this meeting.' });
  });

  it('trashes, lists trash, recovers and deletes single files with 204s', async () => {
    const path = `/meetings/${twice(ZOOM_DEMO_UUIDS.officeHours)}/recordings`;
    expect((await api(sbx, token, `${path}/f-oh-1-audio?action=trash`, { method: 'DELETE' })).status).toBe(204);
    const after = await api(sbx, token, path);
    expect(after.body.recording_files.map((f: { id: string }) => f.id)).not.toContain('f-oh-1-audio');
    const trash = await api(sbx, token, `/users/u-bob/recordings?trash=true&trash_type=recording_file`);
    expect(trash.body.meetings[0].recording_files.map((f: { id: string }) => f.id)).toEqual(['f-oh-1-audio']);
    expect(trash.body.meetings[0].recording_files[0].deleted_time).toBeTruthy();
    const recover = await api(sbx, token, `${path}/f-oh-1-audio/status`, {
      method: 'PUT',
      body: JSON.stringify({ action: 'recover' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(recover.status).toBe(204);
    expect((await api(sbx, token, path)).body.recording_files).toHaveLength(4);
    expect((await api(sbx, token, `${path}/f-oh-1-audio?action=delete`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(sbx, token, `${path}/f-oh-1-audio?action=delete`, { method: 'DELETE' })).body.code).toBe(3301);
    expect(sbx.state.meeting(ZOOM_DEMO_UUIDS.officeHours)?.files.find((f) => f.id === 'f-oh-1-audio')?.state).toBe('deleted');
  });

  it('serves users by status (pending without id), the summary, and single users with cms_user_id', async () => {
    const active = await api(sbx, token, '/users');
    const emails = active.body.users.map((u: { email: string }) => u.email);
    expect(emails).toContain('alice@example.edu');
    expect(emails).not.toContain('carol@example.edu');
    const pending = await api(sbx, token, '/users?status=pending');
    expect(pending.body.users).toHaveLength(1);
    expect(pending.body.users[0].id).toBeUndefined();
    const inactive = await api(sbx, token, '/users?status=inactive&page_size=1');
    expect(inactive.body.users.map((u: { email: string }) => u.email)).toEqual(['carol@example.edu']);
    const summary = await api(sbx, token, '/users/summary');
    expect(summary.body).toMatchObject({ licensed_users_count: 3, basic_users_count: 2, pending_users_count: 1, join_only_users_count: 1 });
    const alice = await api(sbx, token, '/users/alice@example.edu');
    expect(alice.body).toMatchObject({ id: 'u-alice', cms_user_id: 'alice', type: 2 });
    expect((await api(sbx, token, '/users/ghost@example.edu')).body.code).toBe(1001);
  });

  it('serves meeting details, report participants across pages, metrics roles and panelists', async () => {
    const m = await api(sbx, token, `/meetings/${ZOOM_DEMO_MEETING_IDS.labMeeting}`);
    expect(m.body.settings.alternative_hosts).toBe('bob@example.edu');
    expect(m.body.tracking_fields).toEqual([{ field: 'KalturaCategory', value: 'Lab Recordings', visible: true }]);
    expect((await api(sbx, token, `/meetings/${ZOOM_DEMO_MEETING_IDS.researchWebinar}`)).status).toBe(404);
    expect((await api(sbx, token, `/webinars/${ZOOM_DEMO_MEETING_IDS.researchWebinar}`)).body.type).toBe(5);
    const p1 = await api(sbx, token, `/report/meetings/${ZOOM_DEMO_MEETING_IDS.labMeeting}/participants?page_size=1`);
    expect(p1.body.participants).toHaveLength(1);
    const p2 = await api(sbx, token, `/report/meetings/${ZOOM_DEMO_MEETING_IDS.labMeeting}/participants?page_size=1&next_page_token=${p1.body.next_page_token}`);
    expect(p2.body.participants[0].user_email).toBe('');
    expect(p2.body.next_page_token).toBe('');
    const metrics = await api(sbx, token, `/metrics/meetings/${encodeURIComponent(ZOOM_DEMO_UUIDS.labMeeting)}/participants?type=past`);
    expect(metrics.body.participants.filter((p: { role: string }) => p.role === 'cohost').map((p: { email: string }) => p.email)).toEqual(['bob@example.edu']);
    const panelists = await api(sbx, token, `/webinars/${ZOOM_DEMO_MEETING_IDS.researchWebinar}/panelists`);
    expect(panelists.body.panelists.map((p: { email: string }) => p.email)).toEqual(['bob@example.edu', 'frank@example.edu']);
  });

  it('downloads through a 302 to a signed CDN URL that needs no token, with Range and HTML for trashed files', async () => {
    const rec = await api(sbx, token, `/meetings/${twice(ZOOM_DEMO_UUIDS.frankRecurring)}/recordings`);
    const mp4 = rec.body.recording_files.find((f: { file_type: string }) => f.file_type === 'MP4');
    expect((await fetch(mp4.download_url, { redirect: 'manual' })).status).toBe(401);
    // The query form is documented for download URLs (unlike API calls) and is what Kaltura's integration sends.
    expect((await fetch(`${mp4.download_url}?access_token=${token}`, { redirect: 'manual' })).status).toBe(302);
    expect((await fetch(`${mp4.download_url}?access_token=forged`, { redirect: 'manual' })).status).toBe(401);
    const hop = await fetch(mp4.download_url, { redirect: 'manual', headers: { authorization: `Bearer ${token}` } });
    expect(hop.status).toBe(302);
    const cdn = hop.headers.get('location')!;
    expect(cdn).toMatch(/\/cdn\/replay\/.*Expires=\d+&Signature=/);
    const whole = await fetch(cdn);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    const bytes = Buffer.from(await whole.arrayBuffer());
    expect(bytes.length).toBe(mp4.file_size);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(await contentSha256(mp4.id, mp4.file_size));
    const part = await fetch(cdn, { headers: { range: 'bytes=1000-1999' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${mp4.file_size}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(1000, 2000))).toBe(true);
    expect((await fetch(cdn, { headers: { range: `bytes=${mp4.file_size}-` } })).status).toBe(416);
    expect((await fetch(cdn.replace(/Signature=[^&]+/, 'Signature=forged'))).status).toBe(403);
    now += 301_000;
    expect((await fetch(cdn)).status).toBe(403);
    now = NOW;

    const summary = rec.body.recording_files.find((f: { file_type: string }) => f.file_type === 'SUMMARY');
    const sumHop = await fetch(summary.download_url, { headers: { authorization: `Bearer ${token}` } });
    expect(sumHop.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(await sumHop.text())).toHaveProperty('items');

    await api(sbx, token, `/meetings/${twice(ZOOM_DEMO_UUIDS.frankRecurring)}/recordings/${mp4.id}?action=trash`, { method: 'DELETE' });
    const html = await fetch(mp4.download_url, { redirect: 'manual', headers: { authorization: `Bearer ${token}` } });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(await html.text()).toContain('Only the host can download');
  });

  it('serves a valid WEBVTT transcript whose size is file_size', async () => {
    const rec = await api(sbx, token, `/meetings/${encodeURIComponent(ZOOM_DEMO_UUIDS.labMeeting)}/recordings`);
    const vtt = rec.body.recording_files.find((f: { file_type: string }) => f.file_type === 'TRANSCRIPT');
    const res = await fetch(vtt.download_url, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    expect(res.headers.get('content-type')).toBe('text/vtt');
    expect(Buffer.byteLength(text)).toBe(vtt.file_size);
    expect(text.startsWith('WEBVTT\n\n1\n00:00:00.000 --> ')).toBe(true);
  });

  it('answers 4711 naming the scope when a scope is withheld, and 429 with Retry-After over the QPS limit', async () => {
    sbx.setFaults({ withheldScopes: { [ZOOM_DEMO_ACCOUNT.accountId]: ['user:read:list_users:admin'] } });
    const denied = await api(sbx, token, '/users');
    expect(denied.status).toBe(400);
    expect(denied.body).toEqual({ code: 4711, message: 'Invalid access token, does not contain scopes:[user:read:list_users:admin].' });
    sbx.setFaults({ withheldScopes: {} });

    sbx.setFaults({ qpsLimit: 2 });
    const results = await Promise.all([1, 2, 3, 4].map(() => api(sbx, token, '/users/summary')));
    sbx.setFaults({ qpsLimit: undefined });
    const limited = results.find((r) => r.status === 429);
    expect(limited).toBeDefined();
    expect(limited!.headers.get('x-ratelimit-type')).toBe('QPS');
    expect(Number.isNaN(Date.parse(limited!.headers.get('retry-after')!))).toBe(false);
    expect(limited!.body.code).toBe(429);
  });

  it('exposes state, completes processing on demand and accepts meetings at run time', async () => {
    sbx.state.resetCallLog();
    await api(sbx, token, '/users/summary');
    const state = (await (await fetch(`${sbx.url}/_sandbox/state`)).json()) as { calls: Record<string, number>; callsByAccount: Record<string, Record<string, number>> };
    expect(state.calls['GET /v2/users/summary']).toBe(1);
    expect(state.callsByAccount[ZOOM_DEMO_ACCOUNT.accountId]['GET /v2/users/summary']).toBe(1);

    const done = await fetch(`${sbx.url}/_sandbox/complete-processing`, { method: 'POST', body: JSON.stringify({ meetingUuid: ZOOM_DEMO_UUIDS.lateUpload }) });
    expect(await done.json()).toEqual({ completed: 2 });
    const late = await api(sbx, token, `/meetings/${encodeURIComponent(ZOOM_DEMO_UUIDS.lateUpload)}/recordings`);
    expect(late.body.recording_files.every((f: { status: string; file_size: number }) => f.status === 'completed' && f.file_size > 0)).toBe(true);

    const added = await fetch(`${sbx.url}/_sandbox/meetings`, {
      method: 'POST',
      body: JSON.stringify({
        uuid: 'runtime-added-0001==',
        id: 99,
        hostId: 'u-erin',
        hostEmail: 'erin@example.edu',
        topic: 'Added',
        type: 2,
        startTime: '2024-11-30T10:00:00Z',
        durationMin: 5,
        files: [{ id: 'f-added', fileType: 'MP4', fileExtension: 'MP4', recordingType: 'speaker_view', fileSize: 1000, recordingStart: '2024-11-30T10:00:00Z', recordingEnd: '2024-11-30T10:05:00Z' }],
      }),
    });
    expect(added.status).toBe(201);
    expect((await api(sbx, token, '/meetings/99/recordings')).body.recording_files[0].id).toBe('f-added');
  });
});

describe('generated recordings', () => {
  it('serves a month of 10,000 meetings in 34 pages, every one exactly once, without an order-of-magnitude slowdown', async () => {
    const from = Date.parse('2024-10-01T00:00:00Z');
    const to = Date.parse('2024-10-31T23:59:00Z');
    const started = Date.now();
    const sbx = await startZoomSandbox({
      accounts: [{ ...ZOOM_DEMO_ACCOUNT }],
      seed: zoomGeneratedSeed(ZOOM_DEMO_ACCOUNT.accountId, { count: 10_000, from, to, seed: 7, fileSize: 10_000 }),
      now: () => to,
    });
    try {
      const token = await tokenFor(sbx);
      const uuids = new Set<string>();
      let next = '';
      let pages = 0;
      do {
        const page = await api(sbx, token, `/accounts/me/recordings?from=2024-10-01&to=2024-10-31&page_size=300${next ? `&next_page_token=${next}` : ''}`);
        for (const m of page.body.meetings) uuids.add(m.uuid);
        next = page.body.next_page_token;
        pages++;
      } while (next);
      expect(uuids.size).toBe(10_000);
      expect(pages).toBe(34);
      // Generous on purpose: about 2 s idle, 10 s measured on the shared 2-core machine under load. The limit only
      // catches an order-of-magnitude regression (e.g. the seed regenerated per request), and stays under Jest's 60 s
      // timeout so that failure reads as "too slow", not as a hang.
      expect(Date.now() - started).toBeLessThan(45_000);
    } finally {
      await sbx.close();
    }
    const again = generateRecordings({ count: 3, from, to, seed: 7 });
    expect(again.map((m) => m.uuid)).toEqual(generateRecordings({ count: 3, from, to, seed: 7 }).map((m) => m.uuid));
  });
});

describe('request log', () => {
  it('records each request in order with its Range, status, Retry-After and Content-Range (also GET /_sandbox/requests); a dropped body is "reset"', async () => {
    const s = await demoSandbox();
    try {
      const t = await tokenFor(s);
      s.setFaults({ failNext: [{ pathPrefix: '/v2/users/', status: 429, count: 1, retryAfterMs: 5000 }] });
      expect((await api(s, t, '/users/u-alice')).status).toBe(429);
      const rec = await api(s, t, `/meetings/${encodeURIComponent(ZOOM_DEMO_UUIDS.labMeeting)}/recordings`);
      const mp4 = rec.body.recording_files.find((f: { id: string }) => f.id === 'f-lab-ssv');
      const cdn = (await fetch(mp4.download_url, { redirect: 'manual', headers: { authorization: `Bearer ${t}` } })).headers.get('location')!;
      await (await fetch(cdn, { headers: { range: 'bytes=100-199' } })).arrayBuffer();
      s.setFaults({ failNext: [{ pathPrefix: '/cdn/', status: 'reset', count: 1 }] });
      await fetch(cdn, { headers: { range: 'bytes=1000-' } }).then((r) => r.arrayBuffer()).catch(() => undefined);

      const log = s.state.requests();
      expect(log.map((r) => [r.seq, r.method, r.url.split('?')[0]!.split('/').slice(0, 3).join('/'), r.status])).toEqual([
        [1, 'POST', '/oauth/token', 200],
        [2, 'GET', '/v2/users', 429],
        [3, 'GET', '/v2/meetings', 200],
        [4, 'GET', '/rec/download', 302],
        [5, 'GET', '/cdn/replay', 206],
        [6, 'GET', '/cdn/replay', 'reset'],
      ]);
      expect(log[1]).toMatchObject({ at: NOW, retryAfter: new Date(NOW + 5000).toISOString(), authorization: true });
      expect(log[1]!.authFingerprint).toMatch(/^[0-9a-f]{12}$/);
      expect(log[4]).toMatchObject({ range: 'bytes=100-199', contentRange: `bytes 100-199/${mp4.file_size}`, authorization: false });
      expect(log[5]).toMatchObject({ range: 'bytes=1000-', contentRange: `bytes 1000-${mp4.file_size - 1}/${mp4.file_size}` });
      expect(JSON.stringify(log)).not.toContain(t);
      expect(await (await fetch(`${s.url}/_sandbox/requests`)).json()).toEqual(log);
      s.state.resetCallLog();
      expect(s.state.requests()).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
