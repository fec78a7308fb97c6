/** Sandbox-only views of the store: what tests and `GET /_sandbox/state` see. */
import type { SandboxStore } from './store.js';

export interface EntryView {
  id: string;
  partnerId: number;
  name: string;
  description?: string;
  /** KalturaEntryStatus: a number, or 'virusScan.Infected' / 'virusScan.ScanFailure'. */
  status: number | string;
  mediaType?: number;
  referenceId?: string;
  parentEntryId?: string;
  userId?: string;
  tags?: string;
  adminTags?: string;
  entitledUsersEdit: string;
  entitledUsersPublish: string;
  entitledUsersView: string;
  conversionProfileId?: number;
  blockAutoTranscript?: boolean;
  categoryIds: number[];
  categories: string[];
  captions: Array<{ id: string; label?: string; language?: string; format?: string; status: number; content?: string; readyAt?: number }>;
  attachments: Array<{ id: string; filename?: string; title?: string; format?: string; status: number; content?: string; readyAt?: number }>;
  /** Sandbox-clock ms the entry first became READY. */
  readyAt?: number;
  /** Exact bytes Kaltura holds as the source (the real API only exposes KB). */
  content?: { size: number; sha256: string };
  importUrl?: string;
  createdAt: number;
  updatedAt: number;
}

export interface SandboxSnapshot {
  entries: EntryView[];
  uploadTokens: Array<{ id: string; partnerId: number; status: number; fileName?: string; fileSize?: number; uploadedFileSize: number; parkedChunks: number[] }>;
  users: Array<{ partnerId: number; id: string; email?: string; externalId?: string; status: number; type: number }>;
  groups: Array<{ partnerId: number; groupId: string; userId: string }>;
  categories: Array<{ partnerId: number; id: number; parentId: number; name: string; fullName: string }>;
  callCounts: Record<string, number>;
}

export function entryViews(store: SandboxStore): EntryView[] {
  return [...store.entries.values()]
    .sort((a, b) => a.seq - b.seq)
    .map((e) => {
      const links = store.categoryEntries.filter((ce) => ce.entryId === e.id && ce.partnerId === e.partnerId && ce.status === 2);
      const assets = [...store.assets.values()].filter((a) => a.entryId === e.id && a.status !== 3).sort((a, b) => a.seq - b.seq);
      return {
        id: e.id,
        partnerId: e.partnerId,
        name: e.name,
        description: e.description,
        status: e.status,
        mediaType: e.mediaType,
        referenceId: e.referenceId,
        parentEntryId: e.parentEntryId,
        userId: e.userId,
        tags: e.tags,
        adminTags: e.adminTags,
        entitledUsersEdit: e.entitledUsersEdit,
        entitledUsersPublish: e.entitledUsersPublish,
        entitledUsersView: e.entitledUsersView,
        conversionProfileId: e.conversionProfileId,
        blockAutoTranscript: e.blockAutoTranscript,
        categoryIds: links.map((l) => l.categoryId),
        categories: links.map((l) => store.categories.get(l.categoryId)?.fullName ?? ''),
        captions: assets
          .filter((a) => a.kind === 'caption')
          .map((a) => ({ id: a.id, label: a.label, language: a.language, format: a.format, status: a.status, content: a.content, readyAt: a.readyAt })),
        attachments: assets
          .filter((a) => a.kind === 'attachment')
          .map((a) => ({ id: a.id, filename: a.filename, title: a.title, format: a.format, status: a.status, content: a.content, readyAt: a.readyAt })),
        readyAt: e.readyAt,
        content: e.content ? { size: e.content.size, sha256: e.content.sha256 } : undefined,
        importUrl: e.importUrl,
        createdAt: e.createdAt,
        updatedAt: e.updatedAt,
      };
    });
}

export function snapshot(store: SandboxStore): SandboxSnapshot {
  return {
    entries: entryViews(store),
    uploadTokens: [...store.tokens.values()].map((t) => ({
      id: t.id,
      partnerId: t.partnerId,
      status: t.status,
      fileName: t.fileName,
      fileSize: t.fileSize,
      uploadedFileSize: t.size,
      parkedChunks: [...t.parked.keys()].sort((a, b) => a - b),
    })),
    users: [...store.users.values()].map((u) => ({
      partnerId: u.partnerId,
      id: u.id,
      email: u.email,
      externalId: u.externalId,
      status: u.status,
      type: u.type,
    })),
    groups: store.groupUsers.filter((g) => g.status === 0).map((g) => ({ partnerId: g.partnerId, groupId: g.groupId, userId: g.userId })),
    categories: [...store.categories.values()].map((c) => ({
      partnerId: c.partnerId,
      id: c.id,
      parentId: c.parentId,
      name: c.name,
      fullName: c.fullName,
    })),
    callCounts: Object.fromEntries(store.callCounts),
  };
}
