/**
 * The one in-memory MediaSink for tests, behaving like Kaltura where it matters for exactly-once:
 * new entries are NO_CONTENT; content makes them PRECONVERT/IMPORT and, on a
 * later read, READY (or ERROR_CONVERTING / ERROR_IMPORTING when scripted);
 * the reference-id lookup sees in-flight entries but not deleted/errored ones;
 * upload tokens hold contiguous bytes with resumeAt semantics. Users (case-insensitive
 * ids), group memberships paged like groupUser.list, and categories by full name
 * or by name serve the entry policies. Every call is logged as { method, args }
 * (see Recorder).
 */
import { createHash } from 'node:crypto';
import { PermanentError, RetryableError } from '../../src/errors.js';
import {
  ASSET_STATUS, ENTRY_STATUS, type AssetKind, type FlavorInfo, type KalturaAssetState, type KalturaCategory, type KalturaEntry, type KalturaUser, type MediaSink, type NewEntry, type UploadTokenState,
} from '../../src/ingest/ports.js';
import { Recorder } from './recorder.js';

/** KalturaUserStatus. */
export const ACTIVE = 1;
export const BLOCKED = 0;
export const DELETED = 2;

export interface FakeKalturaOptions {
  users?: KalturaUser[];
  /** Categories Kaltura holds from the start, ids as given. */
  categories?: KalturaCategory[];
  /** Port methods the test may call; any other throws. */
  only?: readonly string[];
}

interface StoredEntry {
  entry: KalturaEntry & NewEntry;
  content?: Buffer;
  pendingUrl?: { url: string; headers: string[] };
  categories: Set<number>;
  captions: Array<{ id: string; label: string; language: string; content: string }>;
  attachments: Array<{ id: string; filename: string; title: string; content: string }>;
}

interface StoredToken {
  id: string;
  fileName: string;
  fileSize: number;
  data: Buffer;
  status: number;
}

export class FakeKaltura extends Recorder implements MediaSink {
  readonly entries = new Map<string, StoredEntry>();
  readonly tokens = new Map<string, StoredToken>();
  /** Every createEntry call that took effect. */
  readonly created: NewEntry[] = [];
  /** Processing entries become READY when next read. */
  autoReady = true;
  /** Reference ids whose next conversion fails (ERROR_CONVERTING), consumed once each. */
  readonly failConversion = new Set<string>();
  /** Resolves URL imports (url mode); undefined content = ERROR_IMPORTING. */
  fetchUrl: (url: string, headers: string[]) => Buffer | undefined = () => undefined;
  /** Kaltura users by lower-case id (Kaltura ids are case-insensitive). */
  readonly users = new Map<string, KalturaUser>();
  /** Group ids per lower-case user id. */
  readonly memberships = new Map<string, string[]>();
  /** groupUser.list page size the fake pages with (Kaltura's default pager is 30). */
  groupPageSize = 30;
  /** Pages served by the last listUserGroupIds, to show every page is read. */
  groupPagesRead = 0;
  readonly categories: KalturaCategory[] = [];
  private nextCategoryId = 100;
  private seq = 0;

  constructor(opts: FakeKalturaOptions = {}) {
    super(opts.only);
    for (const u of opts.users ?? []) this.putUser(u);
    for (const c of opts.categories ?? []) this.categories.push({ ...c });
  }

  putUser(user: KalturaUser): void {
    this.users.set(user.id.toLowerCase(), user);
  }

  putCategory(fullName: string): KalturaCategory {
    const category = { id: this.nextCategoryId++, fullName };
    this.categories.push(category);
    return category;
  }

  private nextId(prefix: string): string {
    return `${prefix}_${(++this.seq).toString(36).padStart(8, '0')}`;
  }

  private stored(entryId: string): StoredEntry {
    const s = this.entries.get(entryId);
    if (!s || s.entry.status === ENTRY_STATUS.DELETED) throw new PermanentError(`entry ${entryId} not found`, { code: 'ENTRY_ID_NOT_FOUND', source: 'kaltura' });
    return s;
  }

  /** Moves in-flight entries along, as Kaltura's batch would between reads. */
  private progress(s: StoredEntry): void {
    if (!this.autoReady) return;
    const e = s.entry;
    if (e.status === ENTRY_STATUS.IMPORT && s.pendingUrl) {
      const bytes = this.fetchUrl(s.pendingUrl.url, s.pendingUrl.headers);
      s.pendingUrl = undefined;
      if (!bytes) {
        e.status = ENTRY_STATUS.ERROR_IMPORTING;
        return;
      }
      s.content = Buffer.from(bytes);
      e.status = ENTRY_STATUS.PRECONVERT;
    }
    if (e.status === ENTRY_STATUS.PRECONVERT) {
      if (this.failConversion.delete(e.referenceId)) e.status = ENTRY_STATUS.ERROR_CONVERTING;
      else e.status = ENTRY_STATUS.READY;
    }
  }

  readyEntries(): Array<KalturaEntry & NewEntry & { sha256?: string; size?: number }> {
    return [...this.entries.values()]
      .filter((s) => s.entry.status === ENTRY_STATUS.READY)
      .map((s) => ({ ...s.entry, size: s.content?.length, sha256: s.content ? createHash('sha256').update(s.content).digest('hex') : undefined }));
  }

  liveEntries(): StoredEntry[] {
    return [...this.entries.values()].filter((s) => s.entry.status !== ENTRY_STATUS.DELETED);
  }

  async findEntryByReferenceId(referenceId: string): Promise<KalturaEntry | null> {
    this.enter('findEntryByReferenceId', [referenceId]);
    const hidden = new Set<number | string>([ENTRY_STATUS.DELETED, ENTRY_STATUS.ERROR_CONVERTING, ENTRY_STATUS.ERROR_IMPORTING]);
    const found = [...this.entries.values()].find((s) => s.entry.referenceId === referenceId && !hidden.has(s.entry.status));
    return found ? { ...found.entry } : null;
  }

  async createEntry(entry: NewEntry): Promise<KalturaEntry> {
    this.enter('createEntry', [entry], entry.referenceId);
    if (entry.parentEntryId) this.stored(entry.parentEntryId);
    const id = this.nextId('0');
    const stored: StoredEntry = { entry: { ...entry, id, status: ENTRY_STATUS.NO_CONTENT }, categories: new Set(), captions: [], attachments: [] };
    this.entries.set(id, stored);
    this.created.push(entry);
    this.leave('createEntry', entry.referenceId);
    return { ...stored.entry };
  }

  async getEntry(entryId: string): Promise<KalturaEntry | null> {
    this.enter('getEntry', [entryId]);
    const s = this.entries.get(entryId);
    if (!s) return null;
    this.progress(s);
    return { ...s.entry };
  }

  async listFlavors(entryId: string): Promise<FlavorInfo[]> {
    this.enter('listFlavors', [entryId]);
    const s = this.stored(entryId);
    if (!s.content) return [];
    const ready = s.entry.status === ENTRY_STATUS.READY;
    return [{ id: `${entryId}_src`, isOriginal: true, status: ready ? 2 : 1, sizeInBytes: s.content.length, sizeKb: Math.floor(s.content.length / 1024) }];
  }

  async deleteEntry(entryId: string): Promise<void> {
    this.enter('deleteEntry', [entryId]);
    this.stored(entryId).entry.status = ENTRY_STATUS.DELETED;
  }

  async createUploadToken(fileName: string, fileSize: number): Promise<UploadTokenState> {
    this.enter('createUploadToken', [fileName, fileSize]);
    const id = this.nextId('tok');
    this.tokens.set(id, { id, fileName, fileSize, data: Buffer.alloc(0), status: 0 });
    return { id, uploadedFileSize: 0, status: 0 };
  }

  async getUploadToken(tokenId: string): Promise<UploadTokenState | null> {
    this.enter('getUploadToken', [tokenId]);
    const t = this.tokens.get(tokenId);
    return t ? { id: t.id, uploadedFileSize: t.data.length, status: t.status } : null;
  }

  async uploadChunk(tokenId: string, chunk: Buffer, opts: { resume: boolean; resumeAt: number; finalChunk: boolean }): Promise<UploadTokenState> {
    // The log holds the chunk's length, not its bytes: a call log must not keep a file in memory.
    this.enter('uploadChunk', [tokenId, chunk.length, opts]);
    const t = this.tokens.get(tokenId);
    if (!t) throw new PermanentError('upload token not found', { code: 'UPLOAD_TOKEN_NOT_FOUND', source: 'kaltura' });
    if (t.status !== 0 && t.status !== 1) throw new PermanentError('bad token status', { code: 'UPLOAD_TOKEN_INVALID_STATUS_FOR_UPLOAD', source: 'kaltura' });
    if (!opts.resume) t.data = Buffer.from(chunk);
    else if (opts.resumeAt <= t.data.length) t.data = Buffer.concat([t.data.subarray(0, opts.resumeAt), chunk]);
    // A chunk past the contiguous end is parked by Kaltura; this fake simply drops it (contiguous size unchanged).
    if (opts.finalChunk) {
      if (t.data.length !== opts.resumeAt + chunk.length) {
        throw new RetryableError('size mismatch', { code: 'UPLOAD_TOKEN_CANNOT_MATCH_EXPECTED_SIZE', source: 'kaltura' });
      }
      t.status = 2;
    } else t.status = 1;
    this.leave('uploadChunk', tokenId);
    return { id: t.id, uploadedFileSize: t.data.length, status: t.status };
  }

  async addContentFromUploadToken(entryId: string, tokenId: string): Promise<KalturaEntry> {
    this.enter('addContentFromUploadToken', [entryId, tokenId]);
    const s = this.stored(entryId);
    if (s.entry.status !== ENTRY_STATUS.NO_CONTENT) throw new PermanentError('entry already has content', { code: 'ENTRY_ALREADY_WITH_CONTENT', source: 'kaltura' });
    const t = this.tokens.get(tokenId);
    if (!t) throw new PermanentError('upload token not found', { code: 'UPLOAD_TOKEN_NOT_FOUND', source: 'kaltura' });
    if (t.status !== 2) throw new PermanentError('token not fully uploaded', { code: 'UPLOAD_TOKEN_INVALID_STATUS_FOR_ADD_ENTRY', source: 'kaltura' });
    s.content = Buffer.from(t.data);
    t.status = 3;
    s.entry.status = ENTRY_STATUS.PRECONVERT;
    this.leave('addContentFromUploadToken', entryId);
    return { ...s.entry };
  }

  async addContentFromUrl(entryId: string, url: string, headers: string[]): Promise<KalturaEntry> {
    this.enter('addContentFromUrl', [entryId, url, headers]);
    const s = this.stored(entryId);
    if (s.entry.status !== ENTRY_STATUS.NO_CONTENT) throw new PermanentError('entry already has content', { code: 'ENTRY_ALREADY_WITH_CONTENT', source: 'kaltura' });
    s.pendingUrl = { url, headers };
    s.entry.status = ENTRY_STATUS.IMPORT;
    this.leave('addContentFromUrl', entryId);
    return { ...s.entry };
  }

  async updateEntry(entryId: string, fields: Partial<NewEntry>): Promise<KalturaEntry> {
    this.enter('updateEntry', [entryId, fields]);
    const s = this.stored(entryId);
    Object.assign(s.entry, fields);
    return { ...s.entry };
  }

  async getUser(userId: string): Promise<KalturaUser | null> {
    this.enter('getUser', [userId]);
    return this.users.get(userId.toLowerCase()) ?? null;
  }
  async findUserByEmail(email: string): Promise<KalturaUser | null> {
    this.enter('findUserByEmail', [email]);
    return [...this.users.values()].find((u) => u.email?.toLowerCase() === email.toLowerCase()) ?? null;
  }
  async findUserByExternalId(externalId: string): Promise<KalturaUser | null> {
    this.enter('findUserByExternalId', [externalId]);
    return [...this.users.values()].find((u) => u.externalId?.toLowerCase() === externalId.toLowerCase()) ?? null;
  }
  async addUser(user: { id: string; email?: string }): Promise<KalturaUser> {
    this.enter('addUser', [user]);
    if (this.users.has(user.id.toLowerCase())) {
      throw new PermanentError(`user ${user.id} exists`, { code: 'DUPLICATE_USER_BY_ID', source: 'kaltura' });
    }
    const created = { id: user.id, email: user.email, status: ACTIVE };
    this.putUser(created);
    return created;
  }
  /** Pages like groupUser.list and concatenates every page, as the real adapter must. */
  async listUserGroupIds(userId: string): Promise<string[]> {
    this.enter('listUserGroupIds', [userId]);
    const all = this.memberships.get(userId.toLowerCase()) ?? [];
    const out: string[] = [];
    this.groupPagesRead = 0;
    for (let index = 1; ; index++) {
      const page = all.slice((index - 1) * this.groupPageSize, index * this.groupPageSize);
      this.groupPagesRead++;
      out.push(...page);
      if (page.length < this.groupPageSize) break;
    }
    return out;
  }
  async findCategoryByFullName(fullName: string): Promise<KalturaCategory | null> {
    this.enter('findCategoryByFullName', [fullName]);
    return this.categories.find((c) => c.fullName === fullName) ?? null;
  }
  async findCategoryByName(name: string): Promise<KalturaCategory | null> {
    this.enter('findCategoryByName', [name]);
    const matches = this.categories.filter((c) => c.fullName.split('>').pop() === name);
    if (matches.length > 1) throw new PermanentError(`category name "${name}" matches ${matches.length} Kaltura categories`, { code: 'CATEGORY_AMBIGUOUS', source: 'kaltura' });
    return matches.length === 1 ? matches[0] : null;
  }
  async addCategory(parentId: number | null, name: string): Promise<KalturaCategory> {
    this.enter('addCategory', [parentId, name]);
    const parent = parentId === null ? null : this.categories.find((c) => c.id === parentId);
    if (parentId !== null && !parent) throw new PermanentError('no parent', { code: 'CATEGORY_NOT_FOUND', source: 'kaltura' });
    return this.putCategory(parent ? `${parent.fullName}>${name}` : name);
  }
  async addCategoryEntry(categoryId: number, entryId: string): Promise<void> {
    this.enter('addCategoryEntry', [categoryId, entryId], entryId);
    const s = this.stored(entryId);
    if (s.entry.parentEntryId) throw new PermanentError('child entries cannot carry categories', { code: 'ASSIGNING_INFO_TO_ENTRY_WITH_PARENT_IS_FORBIDDEN', source: 'kaltura' });
    if (s.categories.has(categoryId)) throw new PermanentError('already linked', { code: 'CATEGORY_ENTRY_ALREADY_EXISTS', source: 'kaltura' });
    s.categories.add(categoryId);
  }
  async listCategoryIdsOfEntry(entryId: string): Promise<number[]> {
    this.enter('listCategoryIdsOfEntry', [entryId]);
    return [...this.stored(entryId).categories];
  }
  async listCaptionLabels(entryId: string): Promise<Array<{ id: string; label: string }>> {
    this.enter('listCaptionLabels', [entryId]);
    return this.stored(entryId).captions.map((c) => ({ id: c.id, label: c.label }));
  }
  async addCaption(entryId: string, caption: { label: string; language: string; format: 'WEBVTT' | 'SRT'; content: string }): Promise<KalturaAssetState> {
    this.enter('addCaption', [entryId, caption]);
    const id = this.nextId('cap');
    this.stored(entryId).captions.push({ id, label: caption.label, language: caption.language, content: caption.content });
    this.leave('addCaption', entryId);
    return { id, name: caption.label, status: ASSET_STATUS.READY, sizeBytes: Buffer.byteLength(caption.content), sizeExact: true };
  }
  async listAttachmentFilenames(entryId: string): Promise<Array<{ id: string; filename: string }>> {
    this.enter('listAttachmentFilenames', [entryId]);
    return this.stored(entryId).attachments.map((a) => ({ id: a.id, filename: a.filename }));
  }
  async addTextAttachment(entryId: string, attachment: { filename: string; title: string; content: string }): Promise<KalturaAssetState> {
    this.enter('addTextAttachment', [entryId, attachment]);
    const id = this.nextId('att');
    this.stored(entryId).attachments.push({ id, ...attachment });
    return { id, name: attachment.filename, status: ASSET_STATUS.READY, sizeBytes: Buffer.byteLength(attachment.content), sizeExact: true };
  }
  /** Assets here are stored whole in one call, so they are READY holding their content's bytes. */
  async listAssets(kind: AssetKind, entryId: string): Promise<KalturaAssetState[]> {
    this.enter('listAssets', [kind, entryId], entryId);
    const s = this.stored(entryId);
    const rows = kind === 'caption' ? s.captions.map((c) => ({ id: c.id, name: c.label, content: c.content })) : s.attachments.map((a) => ({ id: a.id, name: a.filename, content: a.content }));
    return rows.map((r) => ({ id: r.id, name: r.name, status: ASSET_STATUS.READY, sizeBytes: Buffer.byteLength(r.content), sizeExact: true }));
  }
  async deleteAsset(kind: AssetKind, assetId: string): Promise<void> {
    this.enter('deleteAsset', [kind, assetId], assetId);
    for (const s of this.entries.values()) {
      if (kind === 'caption') s.captions = s.captions.filter((c) => c.id !== assetId);
      else s.attachments = s.attachments.filter((a) => a.id !== assetId);
    }
  }
}
