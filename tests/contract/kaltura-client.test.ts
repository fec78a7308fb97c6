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
import { ZOOM_DEMO_UUIDS } from '../../src/sandbox/seed/zoom-demo.js';
import type { ZoomSandbox } from '../../src/sandbox/zoom/server.js';
import { encodeMeetingUuid } from '../../src/zoom/uuid.js';
import { api, demoSandbox as zoomDemoSandbox, tokenFor } from '../zoom/helpers.js';
import { KALTURA_MODES } from './kaltura-modes.js';
import { zkKalturaActions } from './kaltura-surface.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const require = createRequire(import.meta.url);
const kaltura: Any = require('kaltura-client');

function newClientFor(url: string): Any {
  const config = new kaltura.Configuration();
  config.serviceUrl = url;
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

describe.each(KALTURA_MODES)('kaltura-client (official Node client) against the sandbox: %s', (_mode, modeOptions) => {
  const deployment = modeOptions.deployment ?? {};
  let sbx: KalturaSandbox;
  let client: Any;
  let zoom: ZoomSandbox | undefined;
  const newClient = () => newClientFor(sbx.url);

  beforeAll(async () => {
    sbx = await startKalturaSandbox({ ...kalturaDemoSandboxOptions(), conversionDelayMs: 10, ...modeOptions });
    client = newClient();
    const ks = await kaltura.services.session
      .start(KALTURA_DEMO_ADMIN_SECRET, 'contract-test', kaltura.enums.SessionType.ADMIN, KALTURA_DEMO_PARTNER_ID, 3600, 'disableentitlement')
      .execute(client);
    client.setKs(ks);
  });
  afterAll(async () => {
    await sbx.close();
    await zoom?.close();
  });

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
    // --ready-at-add: a profile without flavors answers READY at once (issue 16's deployment).
    const addedStatus = deployment.readyAtAdd ? 2 : 7;
    expect(added).toMatchObject({ status: addedStatus, referenceId: 'contract:1', objectType: 'KalturaMediaEntry', blockAutoTranscript: true });
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
    expect((await kaltura.services.media.listAction(plain).execute(client)).totalCount).toBe(deployment.readyAtAdd && !modeOptions.faults?.indexLagMs ? 1 : 0);
    // Named moderation statuses see a moderated entry too; a lagging index shows it once the lag has passed.
    const withStatus = new kaltura.objects.MediaEntryFilter({
      referenceIdEqual: 'contract:gotcha',
      statusNotIn: '3,-1,-2',
      moderationStatusIn: '1,2,3,4,5,6',
    });
    const lagMs = modeOptions.faults?.indexLagMs ?? 0;
    if (lagMs > 0) await new Promise((r) => setTimeout(r, lagMs + 20));
    const listed = await kaltura.services.media.listAction(withStatus).execute(client);
    expect(listed).toMatchObject({ totalCount: 1, objectType: 'KalturaMediaListResponse' });
    expect(listed.objects[0].id).toBe(inFlight.id);
    if (modeOptions.faults?.entryModeration) {
      expect(listed.objects[0].moderationStatus).toBe(1); // PENDING_MODERATION
      const unnamed = new kaltura.objects.MediaEntryFilter({ referenceIdEqual: 'contract:gotcha', statusNotIn: '3,-1,-2' });
      expect((await kaltura.services.media.listAction(unnamed).execute(client)).totalCount).toBe(0);
    }
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
  /** Polls a READY/ERROR status with short real sleeps (the sandbox converts on real timers). */
  async function settled(entryId: string): Promise<Any> {
    for (let i = 0; i < 200; i++) {
      const e = await kaltura.services.media.get(entryId).execute(client);
      if (e.status !== 0 && e.status !== 1 && e.status !== 4 && e.status !== 7) return e;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`entry ${entryId} never settled`);
  }

  it('user ids ignore case: user.get finds a case variant; user.add of one is DUPLICATE_USER_BY_ID', async () => {
    expect(await kaltura.services.user.get('ALICE').execute(client)).toMatchObject({ id: 'alice', email: 'alice@example.edu' });
    const created = await kaltura.services.user.add(new kaltura.objects.User({ id: 'Case.Owner@Example.edu', email: 'case.owner@example.edu' })).execute(client);
    expect(created.id).toBe('Case.Owner@Example.edu');
    // The stored id keeps the case it was created with.
    expect(await kaltura.services.user.get('case.owner@example.edu').execute(client)).toMatchObject({ id: 'Case.Owner@Example.edu' });
    expect(await rejection(kaltura.services.user.add(new kaltura.objects.User({ id: 'CASE.OWNER@EXAMPLE.EDU' })).execute(client))).toMatchObject({
      code: 'DUPLICATE_USER_BY_ID',
      args: { UID: 'CASE.OWNER@EXAMPLE.EDU' },
    });
    const list = await kaltura.services.user.listAction(new kaltura.objects.UserFilter({ idEqual: 'case.OWNER@example.edu' })).execute(client);
    expect(list).toMatchObject({ totalCount: 1, objectType: 'KalturaUserListResponse' });
  });

  it('a request without format gets XML (format 2, the server default), errors included', async () => {
    // The official client always sends format=1: take its request for user.get and drop the format.
    const request = kaltura.services.user.get('alice');
    const body = { ...request.getData(false), ks: client.getKs() };
    expect(body.format).toBe(kaltura.enums.ResponseType.RESPONSE_TYPE_JSON);
    delete body.format;
    const post = (b: unknown) => fetch(request.getUrl(client), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
    const ok = await post(body);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/xml');
    const okText = await ok.text();
    // kaltura/server api_v3/lib/KalturaXmlSerializer.php: header, objectType first, booleans as 0/1, executionTime last.
    expect(okText).toMatch(/^<\?xml version="1\.0" encoding="utf-8"\?><xml><result><objectType>KalturaUser<\/objectType><id>alice<\/id>/);
    expect(okText).toContain('<email>alice@example.edu</email>');
    expect(okText).toContain('<isAdmin>0</isAdmin>');
    expect(okText).toMatch(/<\/result><executionTime>[0-9.e-]+<\/executionTime><\/xml>$/);

    const missingKs = await post({ ...body, ks: undefined });
    expect(missingKs.status).toBe(200);
    expect((await missingKs.text()).replace(/<executionTime>[^<]*</, '<executionTime>T<')).toBe(
      '<?xml version="1.0" encoding="utf-8"?><xml><result><error><code>MISSING_KS</code><message>Missing KS, session not established</message>' +
        '<objectType>KalturaAPIException</objectType><args></args></error></result><executionTime>T</executionTime></xml>',
    );
    const ghost = await (await post({ ...body, userId: 'ghost<&>' })).text();
    expect(ghost).toContain('<error><code>INVALID_USER_ID</code><message>Invalid user id</message><objectType>KalturaAPIException</objectType><args></args></error>');
    const forged = await (await post({ ...body, ks: 'forged' })).text();
    expect(forged).toContain(
      '<args><item><objectType>KalturaAPIExceptionArg</objectType><name>KSID</name><value>forged</value></item>' +
        '<item><objectType>KalturaAPIExceptionArg</objectType><name>ERR_CODE</name><value>-1</value></item>',
    );
    // Explicit format=2 is the same as none.
    expect(await (await post({ ...body, format: kaltura.enums.ResponseType.RESPONSE_TYPE_XML })).text()).toMatch(/<result><objectType>KalturaUser</);
  });

  it('media.update, media.delete (then ENTRY_ID_NOT_FOUND), media.list with a status filter', async () => {
    const e = await kaltura.services.media.add(new kaltura.objects.MediaEntry({ name: 'u', mediaType: 1, referenceId: 'contract:update' })).execute(client);
    const updated = await kaltura.services.media
      .update(e.id, new kaltura.objects.MediaEntry({ name: 'renamed', tags: 'a,b', entitledUsersEdit: 'ALICE,alice,bob@example.edu' }))
      .execute(client);
    // Entitled users resolve to the stored user ids (case-insensitively, each once).
    expect(updated).toMatchObject({ id: e.id, name: 'renamed', tags: 'a,b', entitledUsersEdit: 'alice,bob@example.edu' });
    expect(await kaltura.services.media.deleteAction(e.id).execute(client)).toBeNull();
    expect(await rejection(kaltura.services.media.get(e.id).execute(client))).toMatchObject({ code: 'ENTRY_ID_NOT_FOUND', args: { ENTRY_ID: e.id } });
    const filter = new kaltura.objects.MediaEntryFilter({ referenceIdEqual: 'contract:update', statusNotIn: '3', orderBy: '+createdAt' });
    const pager = new kaltura.objects.FilterPager({ pageSize: 500, pageIndex: 1 });
    expect((await kaltura.services.media.listAction(filter, pager).execute(client)).totalCount).toBe(0);
  });

  it('chunked upload: uploadToken.upload with resume/resumeAt/finalChunk, uploadToken.get, flavorAsset.list size in KB', async () => {
    const e = await kaltura.services.media.add(new kaltura.objects.MediaEntry({ name: 'chunks', mediaType: 1 })).execute(client);
    const size = 5000;
    const data = Buffer.alloc(size, 3);
    const token = await kaltura.services.uploadToken.add(new kaltura.objects.UploadToken({ fileName: 'c.mp4', fileSize: size })).execute(client);
    const first = await kaltura.services.uploadToken.upload(token.id, data.subarray(0, 3000), false, false, 0).execute(client);
    expect(first).toMatchObject({ status: 1, uploadedFileSize: 3000 });
    expect(await kaltura.services.uploadToken.get(token.id).execute(client)).toMatchObject({ id: token.id, uploadedFileSize: 3000, objectType: 'KalturaUploadToken' });
    const last = await kaltura.services.uploadToken.upload(token.id, data.subarray(3000), true, true, 3000).execute(client);
    expect(last).toMatchObject({ status: 2, uploadedFileSize: size });
    await kaltura.services.media.addContent(e.id, new kaltura.objects.UploadedFileTokenResource({ token: token.id })).execute(client);
    expect((await settled(e.id)).status).toBe(2);
    const flavors = await kaltura.services.flavorAsset.listAction(new kaltura.objects.AssetFilter({ entryIdEqual: e.id })).execute(client);
    expect(flavors).toMatchObject({ totalCount: 1, objectType: 'KalturaFlavorAssetListResponse' });
    if (deployment.dropSourceFlavor) {
      // The profile deleted the source after conversion: only a converted flavor is listed.
      expect(flavors.objects[0]).toMatchObject({ isOriginal: false, objectType: 'KalturaFlavorAsset' });
      expect(flavors.objects[0].flavorParamsId).not.toBe(0);
    } else {
      expect(flavors.objects[0]).toMatchObject({ isOriginal: true, flavorParamsId: 0, size: Math.floor(size / 1024), objectType: 'KalturaFlavorAsset' });
    }
    expect(await rejection(kaltura.services.uploadToken.get('0_nosuchtoken').execute(client))).toMatchObject({ code: 'UPLOAD_TOKEN_NOT_FOUND' });
  });

  it('media.addContent with a UrlResource (url mode): Kaltura fetches through Zoom’s 302 with the given header', async () => {
    zoom ??= await zoomDemoSandbox();
    const zoomToken = await tokenFor(zoom);
    const rec = await api(zoom, zoomToken, `/meetings/${encodeMeetingUuid(ZOOM_DEMO_UUIDS.officeHours)}/recordings`);
    const mp4 = rec.body.recording_files.find((f: { file_type: string }) => f.file_type === 'MP4');
    const e = await kaltura.services.media.add(new kaltura.objects.MediaEntry({ name: 'url', mediaType: 1 })).execute(client);
    const resource = new kaltura.objects.UrlResource({
      url: mp4.download_url,
      urlHeaders: [new kaltura.objects.String({ value: `Authorization: Bearer ${zoomToken}` })],
      shouldRedirect: true,
      forceAsyncDownload: true,
    });
    const added = await kaltura.services.media.addContent(e.id, resource).execute(client);
    expect(added.id).toBe(e.id);
    expect((await settled(e.id)).status).toBe(2);
    expect(sbx.state.contentOf(e.id)?.size).toBe(mp4.file_size);
  });

  it('eSearch searchUser by email and external id (exact match, blocked users too)', async () => {
    const search = (fieldName: string, searchTerm: string) =>
      kaltura.services.eSearch
        .searchUser(
          new kaltura.objects.ESearchUserParams({
            objectStatuses: '0,1',
            searchOperator: new kaltura.objects.ESearchUserOperator({
              operator: 1,
              searchItems: [new kaltura.objects.ESearchUserItem({ fieldName, itemType: 1, searchTerm })],
            }),
          }),
          new kaltura.objects.Pager({ pageSize: 10, pageIndex: 1 }),
        )
        .execute(client);
    if (deployment.noESearch) {
      // A server without the plugin answers as Kaltura CE (missing) or a partner without it (forbidden).
      const code = deployment.noESearch === 'missing' ? 'SERVICE_DOES_NOT_EXISTS' : 'SERVICE_FORBIDDEN';
      expect(await rejection(search('email', 'frank@example.edu'))).toMatchObject({ code });
      return;
    }
    const byEmail = await search('email', 'frank@example.edu');
    expect(byEmail).toMatchObject({ totalCount: 1, objectType: 'KalturaESearchUserResponse' });
    expect(byEmail.objects[0]).toMatchObject({ objectType: 'KalturaESearchUserResult', object: { id: 'frank', objectType: 'KalturaUser' } });
    expect((await search('external_id', 'alice-ext')).objects[0].object.id).toBe('alice');
    expect((await search('email', 'mallory@example.edu')).objects[0].object.status).toBe(0);
    expect((await search('email', 'nobody@example.edu')).totalCount).toBe(0);
  });

  it('groupUser.list pages through a user’s groups', async () => {
    const filter = new kaltura.objects.GroupUserFilter({ userIdEqual: 'alice' });
    const page1 = await kaltura.services.groupUser.listAction(filter, new kaltura.objects.FilterPager({ pageSize: 30, pageIndex: 1 })).execute(client);
    const page2 = await kaltura.services.groupUser.listAction(filter, new kaltura.objects.FilterPager({ pageSize: 30, pageIndex: 2 })).execute(client);
    expect(page1.objectType).toBe('KalturaGroupUserListResponse');
    expect(page1.objects).toHaveLength(30);
    expect(page1.totalCount).toBe(page1.objects.length + page2.objects.length);
    expect(page2.objects.map((g: { groupId: string }) => g.groupId)).toContain('zoom-optin');
  });

  it('category.add, category.get, category.list by name prefix; DUPLICATE_CATEGORY; categoryEntry.list', async () => {
    const parent = (await kaltura.services.category.listAction(new kaltura.objects.CategoryFilter({ fullNameEqual: 'MediaSpace>site>channels' })).execute(client)).objects[0];
    const name = `Contract ${_mode.replace(/\W+/g, ' ').trim()}`;
    const added = await kaltura.services.category.add(new kaltura.objects.Category({ parentId: parent.id, name })).execute(client);
    expect(added).toMatchObject({ name, fullName: `MediaSpace>site>channels>${name}`, parentId: parent.id, objectType: 'KalturaCategory' });
    expect(await kaltura.services.category.get(added.id).execute(client)).toMatchObject({ id: added.id, fullName: added.fullName });
    expect(await rejection(kaltura.services.category.add(new kaltura.objects.Category({ parentId: parent.id, name })).execute(client))).toMatchObject({
      code: 'DUPLICATE_CATEGORY',
    });
    const byName = await kaltura.services.category
      .listAction(new kaltura.objects.CategoryFilter({ nameOrReferenceIdStartsWith: name }), new kaltura.objects.FilterPager({ pageSize: 500, pageIndex: 1 }))
      .execute(client);
    expect(byName.objects.map((c: { id: number }) => c.id)).toEqual([added.id]);
    const e = await kaltura.services.media.add(new kaltura.objects.MediaEntry({ name: 'cat', mediaType: 1 })).execute(client);
    await kaltura.services.categoryEntry.add(new kaltura.objects.CategoryEntry({ categoryId: added.id, entryId: e.id })).execute(client);
    const links = await kaltura.services.categoryEntry.listAction(new kaltura.objects.CategoryEntryFilter({ entryIdEqual: e.id })).execute(client);
    expect(links).toMatchObject({ totalCount: 1, objectType: 'KalturaCategoryEntryListResponse' });
    expect(links.objects[0]).toMatchObject({ categoryId: added.id, entryId: e.id });
  });

  it('captionAsset.list / delete and attachmentAsset.add / setContent / list / delete', async () => {
    const e = await kaltura.services.media.add(new kaltura.objects.MediaEntry({ name: 'assets', mediaType: 1 })).execute(client);
    const cap = await kaltura.services.captionAsset
      .add(e.id, new kaltura.objects.CaptionAsset({ language: kaltura.enums.Language.DE, label: 'Zoom_CC', format: kaltura.enums.CaptionType.WEBVTT, fileExt: 'vtt' }))
      .execute(client);
    const caps = await kaltura.services.captionAsset.listAction(new kaltura.objects.CaptionAssetFilter({ entryIdEqual: e.id })).execute(client);
    expect(caps).toMatchObject({ totalCount: 1, objectType: 'KalturaCaptionAssetListResponse' });
    expect(caps.objects[0]).toMatchObject({ id: cap.id, label: 'Zoom_CC', language: 'German' });
    expect(await kaltura.services.captionAsset.deleteAction(cap.id).execute(client)).toBeNull();
    expect((await kaltura.services.captionAsset.listAction(new kaltura.objects.CaptionAssetFilter({ entryIdEqual: e.id })).execute(client)).totalCount).toBe(0);

    const att = await kaltura.services.attachmentAsset
      .add(e.id, new kaltura.objects.AttachmentAsset({ filename: 'Recording 1 chat file.txt', title: 'chat', format: kaltura.enums.AttachmentType.TEXT, fileExt: 'txt' }))
      .execute(client);
    expect(att).toMatchObject({ filename: 'Recording 1 chat file.txt', objectType: 'KalturaAttachmentAsset' });
    const set = await kaltura.services.attachmentAsset.setContent(att.id, new kaltura.objects.StringResource({ content: 'hello' })).execute(client);
    expect(set).toMatchObject({ id: att.id, status: 2 });
    const atts = await kaltura.services.attachmentAsset.listAction(new kaltura.objects.AttachmentAssetFilter({ entryIdEqual: e.id })).execute(client);
    expect(atts).toMatchObject({ totalCount: 1, objectType: 'KalturaAttachmentAssetListResponse' });
    expect(await kaltura.services.attachmentAsset.deleteAction(att.id).execute(client)).toBeNull();
    expect(sbx.state.entry(e.id)).toMatchObject({ captions: [], attachments: [] });
  });

  // Runs last: by now every test above has gone through the sandbox's call log.
  it('covers every Kaltura service.action zk calls (src/kaltura), through the official client', () => {
    const zk = zkKalturaActions();
    expect(zk.length).toBeGreaterThanOrEqual(20);
    const exercised = new Set(Object.keys(sbx.state.callCounts()).map((k) => k.toLowerCase()));
    expect(zk.filter((a) => !exercised.has(a))).toEqual([]);
  });
});
