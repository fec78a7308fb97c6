/** Seeds entries that already exist in the partner (as Kaltura's own Zoom integration leaves them). */
import type { KalturaSeedEntry } from './seed-types.js';
import type { SandboxStore } from './store.js';

export function seedEntries(store: SandboxStore, partnerId: number, entries: readonly KalturaSeedEntry[], nowSec: number): void {
  for (const s of entries) {
    const status = s.status ?? 2;
    const createdAt = s.createdAt === undefined ? nowSec : Math.floor(s.createdAt / 1000);
    if (s.userId && !store.user(partnerId, s.userId)) {
      store.putUser({ partnerId, id: s.userId, status: 1, type: 0, isAdmin: false, createdAt, updatedAt: createdAt });
    }
    store.entries.set(s.id, {
      seq: store.nextSeq(),
      partnerId,
      id: s.id,
      name: s.name,
      description: s.description,
      userId: s.userId,
      creatorId: s.userId,
      status,
      moderationStatus: s.moderationStatus ?? 6,
      mediaType: s.mediaType,
      referenceId: s.referenceId,
      parentEntryId: s.parentEntryId,
      tags: s.tags,
      adminTags: s.adminTags,
      entitledUsersEdit: '',
      entitledUsersPublish: '',
      entitledUsersView: '',
      sourceType: '5',
      createdAt,
      updatedAt: createdAt,
      // Made long before zk looks: already in the search index, READY ones already were READY.
      indexedAt: createdAt * 1000,
      readyAt: status === 2 ? createdAt * 1000 : undefined,
      // The bytes are not stored (nothing reads them back); size and hash say what the entry holds.
      content: s.source ? { path: '', size: s.source.sizeBytes, sha256: s.source.sha256 } : undefined,
      flavor: s.source
        ? { id: `${s.id}_src`, status: status === 2 ? 2 : status < 0 ? -1 : 1, sizeBytes: s.source.sizeBytes, fileExt: s.source.fileExt, reportSizeInBytes: s.source.reportSizeInBytes, createdAt }
        : undefined,
    });
    for (const c of s.captions ?? []) {
      const id = store.newEntryId();
      store.assets.set(id, { kind: 'caption', seq: store.nextSeq(), partnerId, id, entryId: s.id, status: c.status ?? 2, label: c.label, language: c.language, format: '3', fileExt: 'vtt', content: c.content, createdAt, updatedAt: createdAt });
    }
    for (const a of s.attachments ?? []) {
      const id = store.newEntryId();
      store.assets.set(id, { kind: 'attachment', seq: store.nextSeq(), partnerId, id, entryId: s.id, status: a.status ?? 2, filename: a.filename, title: a.title, format: '1', fileExt: 'txt', content: a.content, createdAt, updatedAt: createdAt });
    }
  }
}
