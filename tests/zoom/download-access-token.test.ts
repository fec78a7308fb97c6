/**
 * url mode hands Kaltura a download URL plus a header. The header carries the meeting's
 * download_access_token with the configured ttl (include_fields=download_access_token&ttl=…), not
 * zk's cached API token: Kaltura may queue the import for longer than that token lives.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { ZOOM_DEMO_UUIDS } from '../../src/sandbox/seed/zoom-demo.js';
import type { ZoomSandbox } from '../../src/sandbox/zoom/server.js';
import { api, demoSandbox, demoSource, NOW, tokenFor } from './helpers.js';

let sbx: ZoomSandbox | undefined;
afterEach(async () => {
  await sbx?.close();
  sbx = undefined;
});

async function fetchWith(url: string, header: string): Promise<{ status: number; type: string | null; bytes: number }> {
  const [name, ...rest] = header.split(':');
  const res = await fetch(url, { headers: { [name.trim()]: rest.join(':').trim() }, redirect: 'follow' });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get('content-type'), bytes: body.length };
}

describe('download_access_token', () => {
  it('downloadAccess asks Zoom for a meeting token with the configured ttl; it outlives the API token', async () => {
    let now = NOW;
    sbx = await demoSandbox({}, () => now);
    const source = demoSource(sbx, { downloadAccessTtlSec: 6 * 3600 });
    const meeting = (await source.getMeetingRecordings(ZOOM_DEMO_UUIDS.labMeeting))!;
    const file = meeting.files.find((f) => f.fileType === 'MP4')!;
    const access = await source.downloadAccess(file);
    expect(access.url).toBe(file.downloadUrl);
    expect(access.url).not.toMatch(/access_token/);
    expect(sbx.state.callCounts()['GET /v2/meetings/{meetingId}/recordings']).toBeGreaterThanOrEqual(2);

    // Five hours later every API token (1 h) has expired; the meeting token still opens the file.
    now += 5 * 3600_000;
    const apiToken = await tokenFor(sbx);
    now += 3600_000 + 1;
    expect((await api(sbx, apiToken, '/users')).status).toBe(401);
    now -= 3600_000 + 1;
    const ok = await fetchWith(access.url, access.headers[0]);
    expect(ok).toMatchObject({ status: 200, bytes: file.fileSize });

    // Past the ttl it no longer does (Zoom answers 401/124).
    now += 1.5 * 3600_000;
    expect((await fetchWith(access.url, access.headers[0])).status).toBe(401);
  });

  it('a meeting token opens only that meeting\'s files, and opens no API route', async () => {
    sbx = await demoSandbox();
    const source = demoSource(sbx);
    const lab = (await source.getMeetingRecordings(ZOOM_DEMO_UUIDS.labMeeting))!;
    const other = (await source.getMeetingRecordings(ZOOM_DEMO_UUIDS.officeHours))!;
    const access = await source.downloadAccess(lab.files.find((f) => f.fileType === 'MP4')!);
    const foreign = other.files.find((f) => f.fileType === 'MP4')!;
    expect((await fetchWith(foreign.downloadUrl, access.headers[0])).status).toBe(401);
    const token = access.headers[0].replace(/^Authorization: Bearer /, '');
    expect((await api(sbx, token, '/users')).status).toBe(401);
  });

  it('a ttl outside 0–604800 is refused by Zoom (400/300)', async () => {
    sbx = await demoSandbox();
    const token = await tokenFor(sbx);
    const res = await api(sbx, token, `/meetings/${encodeURIComponent(ZOOM_DEMO_UUIDS.labMeeting)}/recordings?include_fields=download_access_token&ttl=604801`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(300);
  });
});
