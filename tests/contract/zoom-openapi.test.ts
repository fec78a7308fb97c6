/**
 * Fidelity: the Zoom emulator's answers validate against Zoom's own OpenAPI
 * document (2023-07), with the deliberate divergences from
 * src/sandbox/zoom/DIVERGENCES.md applied to the schema, and with
 * additionalProperties closed so a misspelt field fails.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { ZOOM_DEMO_MEETING_IDS, ZOOM_DEMO_UUIDS } from '../../src/sandbox/seed/zoom-demo.js';
import type { ZoomSandbox } from '../../src/sandbox/zoom/server.js';
import { api, demoSandbox, tokenFor } from '../zoom/helpers.js';

// Vendored (gzipped) so a fresh clone needs nothing beside it; see fixtures/README.md for its source.
// ZK_ZOOM_OPENAPI may point at another (uncompressed) copy of the document.
const specFile = new URL('./fixtures/ZoomMeetingAPISpec.2023-07.openapi3.json.gz', import.meta.url);
const readSpec = (): string =>
  process.env.ZK_ZOOM_OPENAPI ? readFileSync(process.env.ZK_ZOOM_OPENAPI, 'utf8') : gunzipSync(readFileSync(specFile)).toString('utf8');

type Schema = Record<string, unknown>;

/** Fields real Zoom sends that [spec23] omits (zoom-api.md §2.1, §4.2); allowed explicitly, nothing else is. */
const DOCUMENTED_EXTRAS = new Set(['host_email', 'share_url', 'timezone', 'cms_user_id', 'user_created_at', 'display_name', 'language', 'visible']);

/** OpenAPI 3.0 → JSON Schema for ajv, plus the documented divergences. */
function prepare(node: unknown, parentKey = ''): unknown {
  if (Array.isArray(node)) return node.map((n) => prepare(n, parentKey));
  if (!node || typeof node !== 'object') return node;
  const s: Schema = {};
  for (const [k, v] of Object.entries(node as Schema)) {
    if (k === 'example' || k === 'x-enum-descriptions' || k === 'deprecated' || k === 'readOnly' || k === 'writeOnly') continue;
    s[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as Schema).map(([pk, pv]) => [pk, prepare(pv, pk)])) : prepare(v, k);
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
  // zoom-api.md §2.5 lists speaker_view (newer specs); [spec23]'s enum lacks it.
  if (parentKey === 'recording_type' && en?.includes('gallery_view')) s.enum = [...en, 'speaker_view'];
  if (parentKey === 'file_extension' && en?.includes('MP4')) s.enum = [...en, ''];
  if (parentKey === 'status' && en?.length === 1 && en[0] === 'completed') s.enum = ['completed', 'processing'];
  if (parentKey === 'role' && en?.includes('attendee')) s.enum = [...en, 'cohost'];
  // Processing files have recording_end "" and metrics externals have email "": not date-time / email.
  if ((parentKey === 'recording_end' || parentKey === 'email') && s.format) delete s.format;
  if (s.properties && s.additionalProperties === undefined && s.type === 'object') {
    s.properties = { ...(s.properties as Schema), ...Object.fromEntries([...DOCUMENTED_EXTRAS].map((k) => [k, {}])) };
    s.additionalProperties = false;
  }
  return s;
}

function responseSchema(spec: Schema, path: string): Schema {
  const op = ((spec.paths as Schema)[path] as Schema).get as Schema;
  const content = ((op.responses as Schema)['200'] as Schema).content as Schema;
  return prepare((content['application/json'] as Schema).schema) as Schema;
}

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

  const cases: Array<[string, string, () => string]> = [
    ['/users/{userId}/recordings', 'alice', () => `/users/alice@example.edu/recordings?from=2024-11-28&to=2024-11-30`],
    ['/users/{userId}/recordings', 'erin (processing files)', () => `/users/u-erin/recordings?from=2024-11-28&to=2024-11-30`],
    ['/meetings/{meetingId}/recordings', 'lab meeting', () => `/meetings/${encodeURIComponent(ZOOM_DEMO_UUIDS.labMeeting)}/recordings`],
    ['/meetings/{meetingId}/recordings', 'office hours', () => `/meetings/${encodeURIComponent(encodeURIComponent(ZOOM_DEMO_UUIDS.officeHours))}/recordings`],
    ['/users', 'active', () => '/users'],
    ['/users', 'pending', () => '/users?status=pending'],
    ['/users/{userId}', 'alice', () => '/users/u-alice'],
    ['/users/summary', 'summary', () => '/users/summary'],
    ['/meetings/{meetingId}', 'lab meeting', () => `/meetings/${ZOOM_DEMO_MEETING_IDS.labMeeting}`],
    ['/report/meetings/{meetingId}/participants', 'lab meeting', () => `/report/meetings/${ZOOM_DEMO_MEETING_IDS.labMeeting}/participants`],
    ['/metrics/meetings/{meetingId}/participants', 'lab meeting', () => `/metrics/meetings/${ZOOM_DEMO_MEETING_IDS.labMeeting}/participants?type=past`],
    ['/webinars/{webinarId}/panelists', 'research webinar', () => `/webinars/${ZOOM_DEMO_MEETING_IDS.researchWebinar}/panelists`],
  ];

  it.each(cases)('GET %s (%s) matches the 200 schema', async (specPath, _label, url) => {
    const res = await api(sbx, token, url());
    expect(res.status).toBe(200);
    const validate = ajv.compile(responseSchema(spec, specPath));
    const ok = validate(res.body);
    expect(ok ? [] : validate.errors).toEqual([]);
  });

  it('the schema check can fail: a misspelt field is rejected', async () => {
    const res = await api(sbx, token, `/meetings/${encodeURIComponent(ZOOM_DEMO_UUIDS.labMeeting)}/recordings`);
    const validate = ajv.compile(responseSchema(spec, '/meetings/{meetingId}/recordings'));
    expect(validate({ ...res.body, recordingFiles: [] })).toBe(false);
    expect(validate({ ...res.body, type: 'two' })).toBe(false);
  });
});
