/**
 * Issue 15, item 1: a caption or chat is held only when Kaltura reports its
 * asset READY with the bytes zk sent. The state a kill between an asset's add
 * and its setContent leaves (an empty asset of the right name, the row still
 * TRANSFERRING) is repaired by deleting and re-creating the asset, never
 * counted as held; and purge re-checks every asset right before the Zoom delete,
 * holds it otherwise, and `zk files show` says why.
 */
import { afterEach, expect, test } from '@jest/globals';
import Database from 'better-sqlite3';
import { createKalturaClient } from '../../src/kaltura/client.js';
import { KALTURA_DEMO_ADMIN_SECRET, KALTURA_DEMO_PARTNER_ID } from '../../src/sandbox/seed/kaltura-demo.js';
import { world, type World } from './world.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

interface Row {
  id: number;
  state: string;
  role: string;
  zoom_file_id: string;
  meeting_uuid: string;
  kaltura_entry_id: string | null;
  kaltura_asset_id: string | null;
  last_error: string | null;
}

function rowsOf(x: World, role: string): Row[] {
  const db = x.db();
  try {
    return db.prepare('SELECT id, state, role, zoom_file_id, meeting_uuid, kaltura_entry_id, kaltura_asset_id, last_error FROM files WHERE role = ? ORDER BY id').all(role) as Row[];
  } finally {
    db.close();
  }
}

function writeDb(x: World, sql: string, ...params: unknown[]): void {
  const db = new Database(x.database);
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

function kaltura(x: World) {
  return createKalturaClient({ serviceUrl: x.sandbox.kaltura.url, partnerId: KALTURA_DEMO_PARTNER_ID, adminSecret: KALTURA_DEMO_ADMIN_SECRET, userId: 'zk-test', privileges: 'disableentitlement', sessionExpiryMs: 3_600_000, retryDelayMs: 1 });
}

async function settle(x: World): Promise<void> {
  for (let i = 0; i < 30; i++) {
    await x.runDaemon();
    const db = x.db();
    const active = (db.prepare("SELECT COUNT(*) AS n FROM files WHERE state IN ('PENDING','TRANSFERRING','IMPORTING','RETRY_WAIT')").get() as { n: number }).n;
    db.close();
    if (active === 0) return;
  }
  throw new Error('not settled');
}

function enableDelete(x: World): void {
  x.raw.accounts[0].delete = { enabled: true, delay: '0s', action: 'trash' };
  x.writeConfig();
}

test('an empty chat asset left by a kill between add and setContent is re-created, and only then deleted from Zoom', async () => {
  w = await world({ deleteEnabled: false });
  await settle(w);
  const chat = rowsOf(w, 'attachment')[0];
  expect(chat.state).toBe('HANDLED');
  const entryId = chat.kaltura_entry_id!;
  const filename = w.sandbox.kaltura.state.entry(entryId)!.attachments[0].filename!;

  // What a SIGKILL after attachment.add and before setContent leaves: the asset exists, empty; the row TRANSFERRING.
  const k = kaltura(w);
  await k.call('attachment_attachmentasset', 'delete', { attachmentAssetId: chat.kaltura_asset_id });
  const empty = await k.call<{ id: string; status: number }>('attachment_attachmentasset', 'add', {
    entryId,
    attachmentAsset: { objectType: 'KalturaAttachmentAsset', filename, title: 'Zoom chat', format: '1', fileExt: 'txt' },
  });
  expect(empty.status).toBe(0);
  writeDb(w, "UPDATE files SET state = 'TRANSFERRING', kaltura_asset_id = NULL, handled_at = NULL, create_started_at = ? WHERE id = ?", w.clock.now() - 60_000, chat.id);

  enableDelete(w);
  await settle(w);
  const after = rowsOf(w, 'attachment').find((r) => r.id === chat.id)!;
  const attachments = w.sandbox.kaltura.state.entry(entryId)!.attachments.filter((a) => a.filename === filename);
  // One attachment, READY with the chat's text; the empty one is gone (deleted, not counted).
  expect(attachments.map((a) => ({ id: a.id, status: a.status, hasText: (a.content ?? '').length > 0 }))).toEqual([{ id: after.kaltura_asset_id, status: 2, hasText: true }]);
  expect(attachments[0].id).not.toBe(empty.id);
  expect(after.state).toBe('PURGED');
  const del = w.sandbox.zoom.state.fileDeleteRequests().find((d) => d.fileId === chat.zoom_file_id)!;
  expect(del.at).toBeGreaterThanOrEqual(attachments[0].readyAt!);

  const shown = await w.zk(['files', 'show', String(chat.id)]);
  expect(shown.stdout).toMatch(/attachment on entry \S+: asset \S+ READY with \d+ bytes/);
  expect(shown.stdout).toMatch(/trashed from Zoom after verification: attachment on entry/);
}, 60_000);

test('purge re-checks every asset right before the Zoom delete: an emptied caption is held, logged and shown', async () => {
  w = await world({ deleteEnabled: false });
  await settle(w);
  const caption = rowsOf(w, 'caption')[0];
  expect(caption.state).toBe('HANDLED');

  // After zk verified it, the asset's content is replaced in Kaltura: it no longer holds the bytes zk sent.
  await kaltura(w).call('caption_captionasset', 'setContent', { id: caption.kaltura_asset_id, contentResource: { objectType: 'KalturaStringResource', content: 'WEBVTT\n' } });

  enableDelete(w);
  await w.runDaemon();
  const held = rowsOf(w, 'caption').find((r) => r.id === caption.id)!;
  expect(held.state).toBe('PURGE_PENDING');
  expect(held.last_error).toMatch(/not deleting from Zoom: caption: asset \S+ holds 7 bytes, zk sent \d+/);
  expect(w.sandbox.zoom.state.fileDeleteRequests().some((d) => d.fileId === caption.zoom_file_id)).toBe(false);
  // Media of the same segment, verified, did go: the hold is per file.
  expect(rowsOf(w, 'parent').some((r) => r.state === 'PURGED')).toBe(true);

  const shown = await w.zk(['files', 'show', String(caption.id)]);
  expect(shown.stdout).toMatch(/not deleting from Zoom: caption: asset \S+ holds 7 bytes/);
}, 60_000);
