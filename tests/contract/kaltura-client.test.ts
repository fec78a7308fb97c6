/**
 * The official `kaltura-client` npm package, unmodified, against the sandbox:
 * if Kaltura's own client can talk to it, the emulator's encodings are right.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDecipheriv, createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { generateKsV2 } from '../../src/kaltura/ks.js';
import { startKalturaSandbox, type KalturaSandbox } from '../../src/sandbox/kaltura/server.js';
import { KALTURA_DEMO_ADMIN_SECRET, KALTURA_DEMO_PARTNER_ID, kalturaDemoSandboxOptions } from '../../src/sandbox/seed/kaltura-demo.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const require = createRequire(import.meta.url);
const kaltura: Any = require('kaltura-client');

let sbx: KalturaSandbox;
let client: Any;

function newClient(): Any {
  const config = new kaltura.Configuration();
  config.serviceUrl = sbx.url;
  // A logger that is not an ILogger turns the client's request logging (which prints the KS) off.
  config.setLogger({ log() {}, debug() {}, error() {} });
  return new kaltura.Client(config);
}

async function rejection(p: Promise<unknown>): Promise<Any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

/** An implementation of KS v2 decryption written from the spec, independent of the sandbox's. */
function decryptKsV2(ks: string, secret: string): { partnerId: string; fields: Record<string, string> } {
  const raw = Buffer.from(ks.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  const text = raw.toString('latin1');
  const [version, partnerId] = text.split('|');
  expect(version).toBe('v2');
  const cipherText = raw.subarray(`v2|${partnerId}|`.length);
  const key = createHash('sha1').update(secret).digest().subarray(0, 16);
  const d = createDecipheriv('aes-128-cbc', key, Buffer.alloc(16));
  d.setAutoPadding(false);
  const plain = Buffer.concat([d.update(cipherText), d.final()]);
  let end = plain.length;
  while (end > 0 && plain[end - 1] === 0) end--; // zero padding
  const trimmed = plain.subarray(0, end);
  const sig = trimmed.subarray(0, 20);
  const payload = trimmed.subarray(20);
  expect(createHash('sha1').update(payload).digest().equals(sig)).toBe(true);
  const fields = Object.fromEntries(new URLSearchParams(payload.subarray(16).toString('utf8')));
  return { partnerId, fields };
}

beforeAll(async () => {
  sbx = await startKalturaSandbox({ ...kalturaDemoSandboxOptions(), conversionDelayMs: 10 });
  client = newClient();
  const ks = await kaltura.services.session
    .start(KALTURA_DEMO_ADMIN_SECRET, 'contract-test', kaltura.enums.SessionType.ADMIN, KALTURA_DEMO_PARTNER_ID, 3600, 'disableentitlement')
    .execute(client);
  client.setKs(ks);
});
afterAll(async () => {
  await sbx.close();
});

describe('kaltura-client (official Node client) against the sandbox', () => {
  it('session.start returns a KS v2 the spec decrypts; a bad secret is START_SESSION_ERROR', async () => {
    const { partnerId, fields } = decryptKsV2(client.getKs(), KALTURA_DEMO_ADMIN_SECRET);
    expect(partnerId).toBe('100');
    expect(fields).toMatchObject({ disableentitlement: '', _t: '2', _u: 'contract-test' });
    expect(Number(fields._e)).toBeGreaterThan(Date.now() / 1000 + 3500);
    const err = await rejection(kaltura.services.session.start('wrong', '', 2, KALTURA_DEMO_PARTNER_ID).execute(newClient()));
    expect(err).toMatchObject({ code: 'START_SESSION_ERROR', objectType: 'KalturaAPIException', args: { PID: '100' } });
  });

  it("zk's generateKsV2 output is accepted by the sandbox and decrypts independently", async () => {
    const now = Date.now();
    const ks = generateKsV2({
      adminSecret: KALTURA_DEMO_ADMIN_SECRET,
      partnerId: KALTURA_DEMO_PARTNER_ID,
      userId: 'zk service',
      type: 2,
      expirySec: 600,
      privileges: 'disableentitlement,privacycontext:MediaSpace,*',
      now,
    });
    const { fields } = decryptKsV2(ks, KALTURA_DEMO_ADMIN_SECRET);
    expect(fields).toEqual({
      disableentitlement: '',
      privacycontext: 'MediaSpace',
      all: '*',
      _e: String(Math.floor(now / 1000) + 600),
      _t: '2',
      _u: 'zk service',
    });
    const c = newClient();
    c.setKs(ks);
    const user = await kaltura.services.user.get('alice').execute(c);
    expect(user).toMatchObject({ id: 'alice', email: 'alice@example.edu', objectType: 'KalturaUser' });
    // Signed with another secret: rejected.
    c.setKs(generateKsV2({ adminSecret: 'other', partnerId: 100, userId: '', type: 2, expirySec: 600, now: Date.now() }));
    expect(await rejection(kaltura.services.user.get('alice').execute(c))).toMatchObject({ code: 'INVALID_KS' });
  });

  it('media.add → uploadToken.add/upload (Buffer) → media.addContent → READY', async () => {
    const entry = new kaltura.objects.MediaEntry({ name: 'contract', mediaType: kaltura.enums.MediaType.VIDEO, referenceId: 'contract:1', blockAutoTranscript: true });
    const added = await kaltura.services.media.add(entry).execute(client);
    expect(added).toMatchObject({ status: 7, referenceId: 'contract:1', objectType: 'KalturaMediaEntry', blockAutoTranscript: true });
    expect(added.id).toMatch(/^0_[a-z0-9]{8}$/);

    const token = await kaltura.services.uploadToken.add(new kaltura.objects.UploadToken({ fileName: 'c.mp4', fileSize: 4096 })).execute(client);
    expect(token.status).toBe(0);
    const data = Buffer.alloc(4096, 7);
    const uploaded = await kaltura.services.uploadToken.upload(token.id, data, false, true, -1).execute(client);
    expect(uploaded).toMatchObject({ status: 2, uploadedFileSize: 4096 });

    const resource = new kaltura.objects.UploadedFileTokenResource({ token: token.id });
    const withContent = await kaltura.services.media.addContent(added.id, resource).execute(client);
    expect(withContent.status).toBe(1);
    await new Promise((r) => setTimeout(r, 80));
    expect((await kaltura.services.media.get(added.id).execute(client)).status).toBe(2);
    expect(sbx.state.contentOf(added.id)).toEqual({ size: 4096, sha256: createHash('sha256').update(data).digest('hex') });
  });

  it('media.list by referenceId: without a status filter only READY entries come back (the gotcha)', async () => {
    const inFlight = await kaltura.services.media.add(new kaltura.objects.MediaEntry({ name: 'x', mediaType: 1, referenceId: 'contract:gotcha' })).execute(client);
    const plain = new kaltura.objects.MediaEntryFilter({ referenceIdEqual: 'contract:gotcha' });
    expect((await kaltura.services.media.listAction(plain).execute(client)).totalCount).toBe(0);
    const withStatus = new kaltura.objects.MediaEntryFilter({ referenceIdEqual: 'contract:gotcha', statusNotIn: '3,-1,-2' });
    const listed = await kaltura.services.media.listAction(withStatus).execute(client);
    expect(listed).toMatchObject({ totalCount: 1, objectType: 'KalturaMediaListResponse' });
    expect(listed.objects[0].id).toBe(inFlight.id);
  });

  it('media.add with a readOnly property is PROPERTY_VALIDATION_NOT_UPDATABLE', async () => {
    const err = await rejection(kaltura.services.media.add(new kaltura.objects.MediaEntry({ name: 'x', mediaType: 1, id: '0_forced00' })).execute(client));
    expect(err).toMatchObject({ code: 'PROPERTY_VALIDATION_NOT_UPDATABLE', args: { PROP_NAME: 'KalturaMediaEntry::id' } });
  });

  it('user.get on a missing user is INVALID_USER_ID with args []; user.add creates', async () => {
    const err = await rejection(kaltura.services.user.get('ghost@example.edu').execute(client));
    expect(err).toEqual({ code: 'INVALID_USER_ID', message: 'Invalid user id', objectType: 'KalturaAPIException', args: [] });
    const user = await kaltura.services.user.add(new kaltura.objects.User({ id: 'ghost@example.edu', email: 'ghost@example.edu' })).execute(client);
    expect(user).toMatchObject({ id: 'ghost@example.edu', status: 1 });
    expect(await rejection(kaltura.services.user.add(new kaltura.objects.User({ id: 'ghost@example.edu' })).execute(client))).toMatchObject({
      code: 'DUPLICATE_USER_BY_ID',
      args: { UID: 'ghost@example.edu' },
    });
  });

  it('categoryEntry.add links once; the second link is CATEGORY_ENTRY_ALREADY_EXISTS', async () => {
    const e = await kaltura.services.media.add(new kaltura.objects.MediaEntry({ name: 'c', mediaType: 1 })).execute(client);
    const filter = new kaltura.objects.CategoryFilter({ fullNameEqual: 'MediaSpace>site>channels>Zoom' });
    const cats = await kaltura.services.category.listAction(filter).execute(client);
    expect(cats.totalCount).toBe(1);
    const link = new kaltura.objects.CategoryEntry({ categoryId: cats.objects[0].id, entryId: e.id });
    expect(await kaltura.services.categoryEntry.add(link).execute(client)).toMatchObject({ entryId: e.id, status: 2 });
    expect(await rejection(kaltura.services.categoryEntry.add(link).execute(client))).toMatchObject({ code: 'CATEGORY_ENTRY_ALREADY_EXISTS', args: [] });
  });

  it('captionAsset.add + setContent (string resource); "en" is not a KalturaLanguage', async () => {
    const e = await kaltura.services.media.add(new kaltura.objects.MediaEntry({ name: 'cap', mediaType: 1 })).execute(client);
    const bad = new kaltura.objects.CaptionAsset({ language: 'en', label: 'x', format: '3' });
    expect(await rejection(kaltura.services.captionAsset.add(e.id, bad).execute(client))).toMatchObject({
      code: 'INVALID_ENUM_VALUE',
      args: { ENUM_VAL: 'en', PARAM_NAME: 'language', ENUM_TYPE: 'KalturaLanguage' },
    });
    const asset = await kaltura.services.captionAsset
      .add(e.id, new kaltura.objects.CaptionAsset({ language: kaltura.enums.Language.EN, label: 'Zoom_TRANSCRIPT', format: kaltura.enums.CaptionType.WEBVTT }))
      .execute(client);
    expect(asset).toMatchObject({ language: 'English', label: 'Zoom_TRANSCRIPT', format: '3', objectType: 'KalturaCaptionAsset' });
    const set = await kaltura.services.captionAsset.setContent(asset.id, new kaltura.objects.StringResource({ content: 'WEBVTT\n' })).execute(client);
    // A missing fileExt is filled from the format.
    expect(set).toMatchObject({ status: 2, fileExt: 'vtt' });
    expect(sbx.state.entry(e.id)!.captions[0]).toMatchObject({ label: 'Zoom_TRANSCRIPT', content: 'WEBVTT\n' });
  });

  it('a multirequest with back-references runs in order', async () => {
    const mr = kaltura.services.uploadToken
      .add(new kaltura.objects.UploadToken({ fileName: 'm.mp4' }))
      .add(kaltura.services.uploadToken.get('{1:result:id}'));
    const [added, fetched] = await mr.execute(client);
    expect(fetched).toMatchObject({ id: added.id, objectType: 'KalturaUploadToken' });
  });
});
