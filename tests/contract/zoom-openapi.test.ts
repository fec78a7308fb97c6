/**
 * Fidelity: the Zoom emulator's answers validate against Zoom's own OpenAPI
 * document (2023-07), with the deliberate divergences from
 * src/sandbox/zoom/DIVERGENCES.md applied to the schema, and with
 * additionalProperties closed so a misspelt field fails.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { ZOOM_DEMO_ACCOUNT, ZOOM_DEMO_MEETING_IDS, ZOOM_DEMO_UUIDS } from '../../src/sandbox/seed/zoom-demo.js';
import type { ZoomSandbox } from '../../src/sandbox/zoom/server.js';
import { encodeMeetingUuid } from '../../src/zoom/uuid.js';
import { api, demoSandbox, tokenFor } from '../zoom/helpers.js';

// Vendored (gzipped) so a fresh clone needs nothing beside it; see fixtures/README.md for its source.
// ZK_ZOOM_OPENAPI may point at another (uncompressed) copy of the document.
const specFile = new URL('./fixtures/ZoomMeetingAPISpec.2023-07.openapi3.json.gz', import.meta.url);
const readSpec = (): string =>
  process.env.ZK_ZOOM_OPENAPI ? readFileSync(process.env.ZK_ZOOM_OPENAPI, 'utf8') : gunzipSync(readFileSync(specFile)).toString('utf8');

type Schema = Record<string, unknown>;

/** Fields real Zoom sends that [spec23] omits (src/sandbox/zoom/DIVERGENCES.md, "list-item extras"); allowed explicitly, nothing else is. */
const DOCUMENTED_EXTRAS = new Set(['host_email', 'share_url', 'timezone', 'cms_user_id', 'user_created_at', 'display_name', 'language', 'visible']);

interface PrepareOptions {
  /**
   * `email` may be "": metrics rows of external participants (Zoom leaves it empty for users outside the host account), and GET /users/{id} of a
   * host without an email (the answer Kaltura's integration guards against, SUP-31863). Never for GET /users.
   */
  emptyEmail?: boolean;
}

/** OpenAPI 3.0 → JSON Schema for ajv, plus the documented divergences. */
function prepare(node: unknown, parentKey = '', opts: PrepareOptions = {}): unknown {
  if (Array.isArray(node)) return node.map((n) => prepare(n, parentKey, opts));
  if (!node || typeof node !== 'object') return node;
  const s: Schema = {};
  for (const [k, v] of Object.entries(node as Schema)) {
    if (k === 'example' || k === 'x-enum-descriptions' || k === 'deprecated' || k === 'readOnly' || k === 'writeOnly') continue;
    s[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as Schema).map(([pk, pv]) => [pk, prepare(pv, pk, opts)])) : prepare(v, k, opts);
  }
  if (s.nullable === true) {
    delete s.nullable;
    if (typeof s.type === 'string') s.type = [s.type, 'null'];
  }
  delete s.nullable;
  const en = s.enum as unknown[] | undefined;
  // Divergence: recording `type` is typed string in the spec but sent as an integer.
  if (parentKey === 'type' && s.type === 'string' && (en?.includes('99') || en?.includes(99))) {
    s.type = 'integer';
    s.enum = en.map(Number);
  }
  if (parentKey === 'type' && s.type === 'integer' && en && en.includes(99) && !en.includes(4)) s.enum = [...en, 4];
  if (parentKey === 'file_type' && en?.includes('MP4')) s.enum = [...en, 'TIMELINE', ''];
  // Newer Zoom specs list speaker_view; [spec23]'s enum lacks it.
  if (parentKey === 'recording_type' && en?.includes('gallery_view')) s.enum = [...en, 'speaker_view'];
  if (parentKey === 'file_extension' && en?.includes('MP4')) s.enum = [...en, ''];
  if (parentKey === 'status' && en?.length === 1 && en[0] === 'completed') s.enum = ['completed', 'processing'];
  if (parentKey === 'role' && en?.includes('attendee')) s.enum = [...en, 'cohost'];
  // Processing files have recording_end "" (not a date-time).
  if (parentKey === 'recording_end' && s.format) delete s.format;
  if (parentKey === 'email' && opts.emptyEmail && s.format === 'email') {
    delete s.format;
    s.anyOf = [{ format: 'email' }, { const: '' }];
  }
  if (s.properties && s.additionalProperties === undefined && s.type === 'object') {
    s.properties = { ...(s.properties as Schema), ...Object.fromEntries([...DOCUMENTED_EXTRAS].map((k) => [k, {}])) };
    s.additionalProperties = false;
  }
  return s;
}

function operation(spec: Schema, path: string, method = 'get'): Schema {
  const op = ((spec.paths as Schema)[path] as Schema | undefined)?.[method] as Schema | undefined;
  if (!op) throw new Error(`[spec23] has no ${method.toUpperCase()} ${path}`);
  return op;
}

function responseSchema(spec: Schema, path: string, opts: PrepareOptions = {}): Schema {
  const content = ((operation(spec, path).responses as Schema)['200'] as Schema).content as Schema;
  return prepare((content['application/json'] as Schema).schema, '', opts) as Schema;
}

/** Zoom's error body (as every error in Zoom's API reference, https://developers.zoom.us/docs/api/): exactly a numeric code and a message. */
const ERROR_BODY: Schema = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'integer' }, message: { type: 'string', minLength: 1 } },
  additionalProperties: false,
};

/** `GET /${kind}/{${isWebinar ? 'webinarId' : 'meetingId'}}` and the like, from zk's Zoom adapter. */
function zkZoomEndpoints(): string[] {
  const dir = new URL('../../src/zoom/', import.meta.url);
  const found = new Set<string>();
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const src = readFileSync(new URL(name, dir), 'utf8');
    const literals = [...src.matchAll(/'((?:GET|POST|PUT|PATCH|DELETE) \/[^']*)'/g), ...src.matchAll(/`((?:GET|POST|PUT|PATCH|DELETE) \/[^`]*)`/g)].map((m) => m[1]);
    for (const lit of literals) {
      // ${kind} is meetings or webinars (WEBINAR_PATH); any other ${…} is a path parameter's name.
      for (const kind of lit.includes('${kind}') ? ['meetings', 'webinars'] : ['']) {
        found.add(normaliseEndpoint(lit.split('${kind}').join(kind)));
      }
    }
  }
  return [...found].sort();
}

const normaliseEndpoint = (e: string) => e.replace(/\{\$\{[^}]*\}\}/g, '{}').replace(/\{[^}/]*\}/g, '{}');

describe('zoom emulator vs the Zoom OpenAPI document', () => {
  let sbx: ZoomSandbox;
  let token: string;
  let spec: Schema;
  const ajv = new Ajv({ strict: false, allErrors: true });
  (addFormatsModule as unknown as { default?: (a: Ajv) => void }).default?.(ajv) ?? (addFormatsModule as unknown as (a: Ajv) => void)(ajv);

  beforeAll(async () => {
    spec = JSON.parse(readSpec()) as Schema;
    sbx = await demoSandbox();
    token = await tokenFor(sbx);
  });
  afterAll(() => sbx.close());

  const officeHoursFile = (id: string) => `/meetings/${encodeMeetingUuid(ZOOM_DEMO_UUIDS.officeHours)}/recordings/${id}`;

  // Before the listings below, so the trash listing has a file (with deleted_time) to validate.
  it('DELETE /meetings/{meetingId}/recordings/{recordingId}?action=trash answers the documented 204 with no body', async () => {
    expect(Object.keys(operation(spec, '/meetings/{meetingId}/recordings/{recordingId}', 'delete').responses as Schema)).toContain('204');
    const res = await api(sbx, token, `${officeHoursFile('f-oh-1-audio')}?action=trash`, { method: 'DELETE' });
    expect({ status: res.status, body: res.body }).toEqual({ status: 204, body: undefined });
  });

  /** [spec path, label, URL, options]. Every GET zk makes is here (the last test checks). */
  const cases: Array<[string, string, () => string, PrepareOptions]> = [
    // Not in [spec23]; the same shape as the user listing (DIVERGENCES.md), so validated against that schema.
    ['/users/{userId}/recordings', 'GET /accounts/me/recordings', () => '/accounts/me/recordings?from=2024-11-28&to=2024-11-30', {}],
    ['/users/{userId}/recordings', 'alice', () => `/users/alice@example.edu/recordings?from=2024-11-28&to=2024-11-30`, {}],
    ['/users/{userId}/recordings', 'erin (processing files)', () => `/users/u-erin/recordings?from=2024-11-28&to=2024-11-30`, {}],
    ['/users/{userId}/recordings', 'trash', () => `/users/u-bob/recordings?trash=true&trash_type=recording_file`, {}],
    ['/meetings/{meetingId}/recordings', 'lab meeting', () => `/meetings/${encodeURIComponent(ZOOM_DEMO_UUIDS.labMeeting)}/recordings`, {}],
    ['/meetings/{meetingId}/recordings', 'office hours', () => `/meetings/${encodeURIComponent(encodeURIComponent(ZOOM_DEMO_UUIDS.officeHours))}/recordings`, {}],
    ['/users', 'active', () => '/users', {}],
    ['/users', 'pending', () => '/users?status=pending', {}],
    ['/users', 'inactive', () => '/users?status=inactive', {}],
    ['/users/{userId}', 'alice', () => '/users/u-alice', {}],
    ['/users/{userId}', 'a host without an email', () => '/users/u-noemail', { emptyEmail: true }],
    ['/users/summary', 'summary', () => '/users/summary', {}],
    ['/meetings/{meetingId}', 'lab meeting', () => `/meetings/${ZOOM_DEMO_MEETING_IDS.labMeeting}`, {}],
    ['/webinars/{webinarId}', 'research webinar', () => `/webinars/${ZOOM_DEMO_MEETING_IDS.researchWebinar}`, {}],
    ['/report/meetings/{meetingId}/participants', 'lab meeting', () => `/report/meetings/${ZOOM_DEMO_MEETING_IDS.labMeeting}/participants`, {}],
    ['/metrics/meetings/{meetingId}/participants', 'lab meeting', () => `/metrics/meetings/${ZOOM_DEMO_MEETING_IDS.labMeeting}/participants?type=past`, { emptyEmail: true }],
    ['/metrics/webinars/{webinarId}/participants', 'research webinar', () => `/metrics/webinars/${ZOOM_DEMO_MEETING_IDS.researchWebinar}/participants?type=past`, { emptyEmail: true }],
    ['/webinars/{webinarId}/panelists', 'research webinar', () => `/webinars/${ZOOM_DEMO_MEETING_IDS.researchWebinar}/panelists`, {}],
    [
      '/meetings/{meetingId}/recordings',
      'lab meeting, include_fields=download_access_token&ttl=3600',
      () => `/meetings/${encodeURIComponent(ZOOM_DEMO_UUIDS.labMeeting)}/recordings?include_fields=download_access_token&ttl=3600`,
      {},
    ],
  ];

  // Every row has all four values: a shorter row would make jest read the fourth parameter as a done callback.
  it.each(cases)('GET %s (%s) matches the 200 schema', async (specPath, _label, url, opts) => {
    const res = await api(sbx, token, url());
    expect(res.status).toBe(200);
    const validate = ajv.compile(responseSchema(spec, specPath, opts));
    const ok = validate(res.body);
    expect(ok ? [] : validate.errors).toEqual([]);
  });

  it('panelists take the int64 webinarId: an instance UUID is answered as an unknown webinar (404/3001)', async () => {
    const param = ((spec.paths as Schema)['/webinars/{webinarId}/panelists'] as Schema).parameters as Array<{ name: string; schema: { type: string; format?: string } }> | undefined;
    const op = ((spec.paths as Schema)['/webinars/{webinarId}/panelists'] as Schema).get as Schema;
    const params = [...(param ?? []), ...((op.parameters as typeof param) ?? [])];
    expect(params.find((p) => p.name === 'webinarId')?.schema).toMatchObject({ type: 'integer', format: 'int64' });
    const unknown = await api(sbx, token, '/webinars/99999999999/panelists');
    expect(unknown).toMatchObject({ status: 404, body: { code: 3001 } });
    for (const uuid of [ZOOM_DEMO_UUIDS.researchWebinar, encodeURIComponent(ZOOM_DEMO_UUIDS.researchWebinar)]) {
      const res = await api(sbx, token, `/webinars/${encodeURIComponent(uuid)}/panelists`);
      expect(res).toMatchObject({ status: 404, body: { code: 3001, message: expect.stringMatching(/^Webinar does not exist/) } });
    }
  });

  it('include_fields=download_access_token returns the token the schema documents; without it there is none', async () => {
    const withToken = await api(sbx, token, `/meetings/${encodeURIComponent(ZOOM_DEMO_UUIDS.labMeeting)}/recordings?include_fields=download_access_token&ttl=600`);
    expect(typeof withToken.body.download_access_token).toBe('string');
    const plain = await api(sbx, token, `/meetings/${encodeURIComponent(ZOOM_DEMO_UUIDS.labMeeting)}/recordings`);
    expect(plain.body.download_access_token).toBeUndefined();
    const validate = ajv.compile(responseSchema(spec, '/meetings/{meetingId}/recordings'));
    expect(validate({ ...withToken.body, download_access_token: 42 })).toBe(false);
  });

  it('the schema check can fail: a misspelt field is rejected', async () => {
    const res = await api(sbx, token, `/meetings/${encodeURIComponent(ZOOM_DEMO_UUIDS.labMeeting)}/recordings`);
    const validate = ajv.compile(responseSchema(spec, '/meetings/{meetingId}/recordings'));
    expect(validate({ ...res.body, recordingFiles: [] })).toBe(false);
    expect(validate({ ...res.body, type: 'two' })).toBe(false);
  });
  /** [what, request, status, code, spec path, method]: the status must be a documented response whose text names the code. */
  const errors: Array<[string, () => Promise<{ status: number; body: unknown }>, number, number, string, string]> = [
    ['unknown meeting recordings', () => api(sbx, token, '/meetings/nosuchmeeting/recordings'), 404, 3301, '/meetings/{meetingId}/recordings', 'get'],
    // Item 4 of issue 18: an already-trashed file is not found again, and its deleted_time stays.
    ['trashing a file already in the trash', () => api(sbx, token, `${officeHoursFile('f-oh-1-audio')}?action=trash`, { method: 'DELETE' }), 404, 3301, '/meetings/{meetingId}/recordings/{recordingId}', 'delete'],
    ['unknown user', () => api(sbx, token, '/users/ghost@example.edu'), 404, 1001, '/users/{userId}', 'get'],
    ['unknown user recordings', () => api(sbx, token, '/users/ghost@example.edu/recordings'), 404, 1001, '/users/{userId}/recordings', 'get'],
    ['unknown meeting', () => api(sbx, token, '/meetings/89999999999'), 404, 3001, '/meetings/{meetingId}', 'get'],
    ['unknown webinar', () => api(sbx, token, '/webinars/99999999999'), 404, 3001, '/webinars/{webinarId}', 'get'],
    ['a meeting id at the webinar endpoint', () => api(sbx, token, `/webinars/${ZOOM_DEMO_MEETING_IDS.labMeeting}`), 404, 3001, '/webinars/{webinarId}', 'get'],
    ['unknown webinar panelists', () => api(sbx, token, '/webinars/99999999999/panelists'), 404, 3001, '/webinars/{webinarId}/panelists', 'get'],
    ['unknown meeting report', () => api(sbx, token, '/report/meetings/89999999999/participants'), 404, 3001, '/report/meetings/{meetingId}/participants', 'get'],
    ['unknown meeting metrics', () => api(sbx, token, '/metrics/meetings/89999999999/participants?type=past'), 404, 3001, '/metrics/meetings/{meetingId}/participants', 'get'],
  ];

  it.each(errors)('error: %s answers a documented status and code with a {code, message} body', async (_what, request, status, code, specPath, method) => {
    const trashedBefore = sbx.state.snapshot().trashedFiles.find((f) => f.fileId === 'f-oh-1-audio')?.deletedTime;
    const res = await request();
    expect({ status: res.status, code: (res.body as { code?: number })?.code }).toEqual({ status, code });
    const validate = ajv.compile(ERROR_BODY);
    expect(validate(res.body) ? [] : validate.errors).toEqual([]);
    const documented = (operation(spec, specPath, method).responses as Record<string, { description?: string }>)[String(status)];
    expect(documented?.description ?? '').toContain(`\`${code}\``);
    expect(sbx.state.snapshot().trashedFiles.find((f) => f.fileId === 'f-oh-1-audio')?.deletedTime).toBe(trashedBefore);
  });

  it('error: deleting a file still processing is the documented 400/3303', async () => {
    const erin = await api(sbx, token, '/users/u-erin/recordings?from=2024-11-28&to=2024-11-30');
    const meeting = erin.body.meetings.find((m: { recording_files: Array<{ status: string }> }) => m.recording_files.some((f) => f.status === 'processing'));
    const file = meeting.recording_files.find((f: { status: string; id?: string }) => f.status === 'processing' && f.id);
    const res = await api(sbx, token, `/meetings/${encodeMeetingUuid(meeting.uuid)}/recordings/${file.id}?action=trash`, { method: 'DELETE' });
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 3303 });
    expect(ajv.compile(ERROR_BODY)(res.body)).toBe(true);
    expect((operation(spec, '/meetings/{meetingId}/recordings/{recordingId}', 'delete').responses as Record<string, { description: string }>)['400'].description).toContain('`3303`');
  });

  it('error: an API call with the token in the query is 401/124 (header only since Feb 2023)', async () => {
    const res = await fetch(`${sbx.apiUrl}/users?access_token=${token}`);
    expect(res.status).toBe(401);
    const body = await res.json();
    expect(body).toEqual({ code: 124, message: 'Invalid access token.' });
  });

  it('download_url takes ?access_token=<token>, the form [spec23] documents for it (and Kaltura uses)', async () => {
    // The spec's own description of download_url shows the query form.
    const listing = JSON.stringify(operation(spec, '/meetings/{meetingId}/recordings').responses);
    expect(listing).toContain('/rec/download/{{path-to-file-download}}?access_token=');
    const rec = await api(sbx, token, `/meetings/${encodeURIComponent(ZOOM_DEMO_UUIDS.labMeeting)}/recordings`);
    const mp4 = rec.body.recording_files.find((f: { file_type: string }) => f.file_type === 'MP4');
    const hop = await fetch(`${mp4.download_url}?access_token=${token}`, { redirect: 'manual' });
    expect(hop.status).toBe(302);
    const part = await fetch(hop.headers.get('location')!, { headers: { range: 'bytes=0-1023' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-1023/${mp4.file_size}`);
    expect((await part.arrayBuffer()).byteLength).toBe(1024);
    expect((await fetch(`${mp4.download_url}?access_token=not-a-token`, { redirect: 'manual' })).status).toBe(401);
  });

  it('POST /oauth/token answers the S2S token shape (Server-to-Server OAuth, https://developers.zoom.us/docs/internal-apps/s2s-oauth/; not part of the REST document)', async () => {
    const res = await fetch(sbx.oauthUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${ZOOM_DEMO_ACCOUNT.clientId}:${ZOOM_DEMO_ACCOUNT.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=account_credentials&account_id=${ZOOM_DEMO_ACCOUNT.accountId}`,
    });
    const validate = ajv.compile({
      type: 'object',
      required: ['access_token', 'token_type', 'expires_in', 'scope', 'api_url'],
      properties: { access_token: { type: 'string' }, token_type: { const: 'bearer' }, expires_in: { type: 'integer' }, scope: { type: 'string' }, api_url: { type: 'string' } },
      additionalProperties: false,
    });
    const body = await res.json();
    expect(validate(body) ? [] : validate.errors).toEqual([]);
  });

  it('covers every Zoom endpoint zk calls (src/zoom)', () => {
    const covered = new Set([
      ...cases.map(([specPath, label]) => normaliseEndpoint(label.startsWith('GET /') ? label : `GET ${specPath}`)),
      normaliseEndpoint('DELETE /meetings/{meetingId}/recordings/{recordingId}'),
      'GET /rec/download', // the ?access_token and header forms, above and in zoom/sandbox.test.ts
      'POST /oauth/token',
    ]);
    const zk = zkZoomEndpoints();
    expect(zk.length).toBeGreaterThanOrEqual(10);
    expect(zk.filter((e) => !covered.has(e))).toEqual([]);
  });
});
