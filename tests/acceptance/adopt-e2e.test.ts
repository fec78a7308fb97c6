/**
 * Issue 22 acceptance: switching from Kaltura's own Zoom integration. The demo
 * partner is half ingested by the integration (src/sandbox/seed/zoom-integration.ts:
 * a partial segment, an errored parent, a parent pending moderation, sizes in KB
 * only); the daemon adopts what it verifiably holds, ingests the rest once, and
 * trashes everything from Zoom after the delay. Nothing is ingested twice.
 */
import { afterEach, expect, test } from '@jest/globals';
import { contentKindForExtension, contentSha256, contentText } from '../../src/sandbox/content.js';
import { INTEGRATION_OWNER } from '../../src/sandbox/seed/zoom-integration.js';
import type { EntryView } from '../../src/sandbox/kaltura/server.js';
import { fileRows, statesOf, world, type World } from './harness.js';

const DAY = 86_400_000;
let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

interface Row {
  id: number;
  zoom_file_id: string;
  file_type: string;
  file_extension: string;
  file_size: number;
  role: string | null;
  state: string;
  kaltura_entry_id: string | null;
  kaltura_asset_id: string | null;
}

function rows(x: World): Row[] {
  const db = x.db();
  try {
    return db.prepare('SELECT id, zoom_file_id, file_type, file_extension, file_size, role, state, kaltura_entry_id, kaltura_asset_id FROM files ORDER BY id').all() as Row[];
  } finally {
    db.close();
  }
}

function query<T>(x: World, sql: string): T[] {
  const db = x.db();
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

const ADOPTED = ['f-lab-ssv', 'f-lab-sv', 'f-lab-transcript', 'f-oh-1-sv', 'f-web-as', 'f-web-transcript', 'f-phone-audio'];
const INGESTED = ['f-lab-gv', 'f-lab-chat', 'f-oh-2-sv', 'f-sem-ss', 'f-sem-cc', 'f-late-sv', 'f-late-transcript', 'f-frank-gv', 'f-blocked-sv'];

/** Each ingested Zoom file's bytes are held by exactly one READY entry (media) or one READY asset on a READY entry (captions, chat). */
async function copiesInKaltura(x: World): Promise<Record<string, number>> {
  const entries = x.sandbox.kaltura.state.entries().filter((e) => e.status === 2);
  const out: Record<string, number> = {};
  for (const r of rows(x)) {
    if (!['parent', 'child', 'caption', 'attachment'].includes(r.role ?? '')) continue;
    if (r.role === 'caption' || r.role === 'attachment') {
      const text = contentText(r.zoom_file_id, r.file_size, r.role === 'caption' ? 'vtt' : 'txt');
      out[r.zoom_file_id] = entries.flatMap((e) => (r.role === 'caption' ? e.captions : e.attachments)).filter((a) => a.status === 2 && a.content === text).length;
    } else {
      const sha = await contentSha256(r.zoom_file_id, r.file_size, contentKindForExtension(r.file_extension));
      out[r.zoom_file_id] = entries.filter((e) => e.content?.sha256 === sha && e.content.size === r.file_size).length;
    }
  }
  return out;
}

/** What zk must never touch on the integration's entries. */
function integrationView(e: EntryView) {
  return { id: e.id, name: e.name, userId: e.userId, description: e.description, status: e.status, referenceId: e.referenceId, parentEntryId: e.parentEntryId, categories: e.categories, entitled: [e.entitledUsersEdit, e.entitledUsersPublish, e.entitledUsersView], captions: e.captions.length, updatedAt: e.updatedAt };
}

test("a partner half ingested by Kaltura's Zoom integration: every file in Kaltura exactly once, all trashed after the delay, a second run does nothing", async () => {
  w = await world({ zoomIntegration: true, deleteEnabled: true, deleteDelay: '1d' });
  w.sandbox.zoom.state.completeProcessing();
  const seeded = w.sandbox.kaltura.state.entries().filter((e) => e.userId === INTEGRATION_OWNER);
  expect(seeded.length).toBe(6);
  const before = new Map(seeded.map((e) => [e.id, integrationView(e)]));

  expect(await w.runDaemon()).toBe(0);

  // Adopted files: HANDLED (then scheduled) with the integration's entry, nothing uploaded for them.
  const adoptions = query<{ zoom_file_id: string; outcome: string; kaltura_entry_id: string | null }>(
    w,
    'SELECT f.zoom_file_id, a.outcome, a.kaltura_entry_id FROM file_adoptions a JOIN files f ON f.id = a.file_id ORDER BY f.zoom_file_id',
  );
  expect(adoptions.filter((a) => a.outcome === 'adopted').map((a) => a.zoom_file_id).sort()).toEqual([...ADOPTED].sort());
  // The lab meeting is partial: its missing view and chat were not made by the integration.
  expect(adoptions.filter((a) => a.outcome === 'absent').map((a) => a.zoom_file_id).sort()).toEqual(['f-lab-chat', 'f-lab-gv']);
  const byFile = new Map(rows(w).map((r) => [r.zoom_file_id, r]));
  const seededIds = new Set(seeded.map((e) => e.id));
  for (const id of ADOPTED) {
    const r = byFile.get(id)!;
    expect({ id, state: r.state, seeded: seededIds.has(r.kaltura_entry_id!) }).toEqual({ id, state: 'PURGE_PENDING', seeded: true });
  }
  const handledReasons = query<{ zoom_file_id: string; reason: string }>(w, "SELECT f.zoom_file_id, e.reason FROM events e JOIN files f ON f.id = e.file_id WHERE e.to_state = 'HANDLED'");
  for (const id of ADOPTED) {
    expect(handledReasons.find((e) => e.zoom_file_id === id)?.reason).toMatch(/^adopted from Kaltura's Zoom integration/);
  }
  const tokens = w.sandbox.kaltura.state.snapshot().uploadTokens.map((t) => t.fileName ?? '');
  for (const id of ADOPTED) expect({ id, uploads: tokens.filter((n) => n.includes(id)).length }).toEqual({ id, uploads: 0 });

  // Partial segment: the missing view is a child of the integration's parent, the chat sits on it.
  const labParent = byFile.get('f-lab-ssv')!.kaltura_entry_id!;
  expect(w.sandbox.kaltura.state.entry(byFile.get('f-lab-gv')!.kaltura_entry_id!)?.parentEntryId).toBe(labParent);
  expect(byFile.get('f-lab-chat')!.kaltura_entry_id).toBe(labParent);
  expect(w.sandbox.kaltura.state.entry(labParent)?.attachments.map((a) => a.filename)).toEqual([`Recording 81000000001 chat file.txt`]);

  // The errored entry is reported, not adopted and not touched; zk ingested the seminar under its own referenceId.
  const segments = query<{ decision: string; reason: string; meeting_uuid: string }>(
    w,
    'SELECT s.decision, s.reason, r.meeting_uuid FROM segment_adoptions s JOIN recordings r ON r.id = s.recording_id',
  );
  expect(segments.find((s) => s.meeting_uuid === 'cArOlArchivedSem0003Qq==')).toMatchObject({ decision: 'conflict', reason: expect.stringMatching(/errored/) });
  const seminar = w.sandbox.kaltura.state.entry(byFile.get('f-sem-ss')!.kaltura_entry_id!)!;
  expect(seminar.referenceId).toMatch(/^zk:/);
  expect(seededIds.has(seminar.id)).toBe(false);

  // The integration's entries are exactly as they were (owner, name, categories, entitlements); only the
  // partial segment's parent gained the chat attachment zk added.
  for (const e of w.sandbox.kaltura.state.entries().filter((x) => seededIds.has(x.id))) expect(integrationView(e)).toEqual(before.get(e.id));

  // Every ingested Zoom file is in Kaltura exactly once.
  const copies = await copiesInKaltura(w);
  for (const id of [...ADOPTED, ...INGESTED]) expect({ id, copies: copies[id] }).toEqual({ id, copies: 1 });
  expect(Object.values(copies).filter((n) => n !== 1)).toEqual([]);

  // Nothing leaves Zoom before the delay; after it everything ingested or adopted (and covered audio) is trashed.
  const trashed = () => w!.sandbox.zoom.state.snapshot().meetings.flatMap((m) => m.files.filter((f) => f.state !== 'live').map((f) => f.id));
  expect(trashed()).toEqual([]);
  w.clock.advance(DAY + 60_000);
  await w.runDaemon();
  await w.runDaemon();
  const end = rows(w);
  const shouldGo = end.filter((r) => ['parent', 'child', 'caption', 'attachment', 'covered'].includes(r.role ?? ''));
  expect(shouldGo.filter((r) => r.state !== 'PURGED').map((r) => `${r.zoom_file_id}:${r.state}`)).toEqual([]);
  expect(trashed().sort()).toEqual(shouldGo.map((r) => r.zoom_file_id).sort());
  for (const id of ['f-lab-audio', 'f-oh-1-audio']) expect(trashed()).toContain(id);

  // A second run adopts nothing new and ingests nothing twice.
  const calls = w.sandbox.kaltura.state.callCounts();
  const entriesBefore = w.sandbox.kaltura.state.entries().length;
  const adoptedBefore = query<{ n: number }>(w, 'SELECT COUNT(*) AS n FROM file_adoptions')[0].n;
  const states = statesOf(w);
  expect(await w.runDaemon()).toBe(0);
  expect(w.sandbox.kaltura.state.entries().length).toBe(entriesBefore);
  const after = w.sandbox.kaltura.state.callCounts();
  for (const create of ['media.add', 'uploadtoken.add', 'caption_captionasset.add', 'attachment_attachmentasset.add']) {
    expect({ create, n: after[create] ?? 0 }).toEqual({ create, n: calls[create] ?? 0 });
  }
  expect(query<{ n: number }>(w, 'SELECT COUNT(*) AS n FROM file_adoptions')[0].n).toBe(adoptedBefore);
  expect(statesOf(w)).toEqual(states);
  expect(Object.values(await copiesInKaltura(w)).filter((n) => n !== 1)).toEqual([]);
  expect(fileRows(w).length).toBe(end.length);
});

test('with kaltura.adopt: off, zk ingests everything itself (the integration entries stay as they are)', async () => {
  w = await world({ zoomIntegration: true, mutate: (raw) => (raw.kaltura.adopt = 'off') });
  w.sandbox.zoom.state.completeProcessing();
  expect(await w.runDaemon()).toBe(0);
  expect(query<{ n: number }>(w, 'SELECT COUNT(*) AS n FROM file_adoptions')[0].n).toBe(0);
  const copies = await copiesInKaltura(w);
  // The adoptable files now exist twice: that is what adoption prevents.
  expect(copies['f-lab-ssv']).toBe(2);
  expect(copies['f-phone-audio']).toBe(2);
});

test("an errored caption left by the integration is not trusted: the transcript stays in Zoom until the operator acts, then zk adds its own", async () => {
  w = await world({
    deleteEnabled: true,
    deleteDelay: '1h',
    zoomIntegration: (entries) => entries.map((e) => (e.captions?.length ? { ...e, captions: e.captions.map((c) => (c.label === 'Zoom_TRANSCRIPT' && e.name === 'Weekly Lab Meeting' ? { ...c, status: -1 } : c)) } : e)),
  });
  w.sandbox.zoom.state.completeProcessing();
  expect(await w.runDaemon()).toBe(0);
  const transcript = () => rows(w!).find((r) => r.zoom_file_id === 'f-lab-transcript')!;
  expect(transcript().state).toBe('FAILED');
  const failed = query<{ last_error_code: string; last_error: string }>(w, "SELECT last_error_code, last_error FROM files WHERE zoom_file_id = 'f-lab-transcript'")[0];
  expect(failed.last_error_code).toBe('ADOPTION_CONFLICT');
  expect(failed.last_error).toContain('zk files retry');
  w.clock.advance(2 * 3_600_000);
  await w.runDaemon();
  const zoomFile = () => w!.sandbox.zoom.state.meeting('aLiCe+LabMtg/0001AbCd==')!.files.find((f) => f.id === 'f-lab-transcript')!;
  expect(zoomFile().state).toBe('live');
  expect(rows(w).find((r) => r.zoom_file_id === 'f-lab-ssv')?.state).toBe('PURGED');

  // The operator deletes the broken caption in Kaltura and retries the file: zk adds its own caption to the adopted parent.
  const parent = w.sandbox.kaltura.state.entry(transcript().kaltura_entry_id ?? rows(w).find((r) => r.zoom_file_id === 'f-lab-ssv')!.kaltura_entry_id!)!;
  const { createKalturaClient } = await import('../../src/kaltura/client.js');
  const cfg = w.config();
  const client = createKalturaClient({ serviceUrl: cfg.kaltura.serviceUrl, partnerId: cfg.kaltura.partnerId, adminSecret: cfg.kaltura.adminSecret, userId: 'admin', privileges: 'disableentitlement', sessionExpiryMs: 3_600_000, clock: w.clock });
  await client.call('caption_captionasset', 'delete', { captionAssetId: parent.captions.find((c) => c.label === 'Zoom_TRANSCRIPT')!.id });
  const { openStore } = await import('../../src/store/migrate.js');
  const { createFilesRepo } = await import('../../src/store/files-repo.js');
  const db = openStore(w.database);
  expect(createFilesRepo(db, w.clock).reviveFailed(transcript().id)).toBe(true);
  db.close();
  await w.runDaemon();
  w.clock.advance(2 * 3_600_000);
  await w.runDaemon();
  expect(transcript().state).toBe('PURGED');
  expect(zoomFile().state).toBe('trashed');
  const captions = w.sandbox.kaltura.state.entry(parent.id)!.captions.filter((c) => c.label === 'Zoom_TRANSCRIPT');
  expect(captions.map((c) => ({ status: c.status, content: c.content }))).toEqual([{ status: 2, content: contentText('f-lab-transcript', transcript().file_size, 'vtt') }]);
});
