/**
 * In-memory RecordingSource and MediaSink for the policy tests. Only the
 * methods the policies use are implemented; the rest throw, so a policy that
 * starts touching transfer methods fails loudly. Every call is recorded.
 */
import { PermanentError } from '../../src/errors.js';
import { account as accountSchema, type AccountConfig } from '../../src/config/schema.js';
import type {
  KalturaCategory,
  KalturaUser,
  MediaSink,
  RecordingSource,
  ZoomMeeting,
  ZoomMeetingDetails,
  ZoomUser,
} from '../../src/ingest/ports.js';

export interface Call {
  method: string;
  args: unknown[];
}

function unused(name: string): never {
  throw new Error(`fake: ${name} is not used by the policies`);
}

export class FakeSource implements RecordingSource {
  readonly account = 'main';
  readonly calls: Call[] = [];
  /** Zoom users by id and by email (lower-case keys). */
  readonly users = new Map<string, ZoomUser>();
  readonly details = new Map<number, ZoomMeetingDetails>();
  readonly cohosts = new Map<string, string[]>();
  readonly participants = new Map<string, string[]>();
  /** Errors to throw from a method instead of answering. */
  readonly failures = new Map<string, Error>();

  addUser(user: ZoomUser): void {
    if (user.id) this.users.set(user.id.toLowerCase(), user);
    this.users.set(user.email.toLowerCase(), user);
  }

  count(method?: string): number {
    return method ? this.calls.filter((c) => c.method === method).length : this.calls.length;
  }

  private record(method: string, args: unknown[]): void {
    this.calls.push({ method, args });
    const failure = this.failures.get(method);
    if (failure) throw failure;
  }

  async getUser(userIdOrEmail: string): Promise<ZoomUser | null> {
    this.record('getUser', [userIdOrEmail]);
    return this.users.get(userIdOrEmail.toLowerCase()) ?? null;
  }
  async getMeetingDetails(meetingId: number, isWebinar: boolean): Promise<ZoomMeetingDetails | null> {
    this.record('getMeetingDetails', [meetingId, isWebinar]);
    return this.details.get(meetingId) ?? null;
  }
  async listParticipantEmails(meetingUuidOrId: string, isWebinar: boolean): Promise<string[]> {
    this.record('listParticipantEmails', [meetingUuidOrId, isWebinar]);
    return [...(this.participants.get(meetingUuidOrId) ?? [])];
  }
  async listCohostEmails(meetingUuidOrId: string, isWebinar: boolean): Promise<string[]> {
    this.record('listCohostEmails', [meetingUuidOrId, isWebinar]);
    return [...(this.cohosts.get(meetingUuidOrId) ?? [])];
  }
  listRecordings(): never {
    return unused('listRecordings');
  }
  getMeetingRecordings(): never {
    return unused('getMeetingRecordings');
  }
  openDownload(): never {
    return unused('openDownload');
  }
  downloadAccess(): never {
    return unused('downloadAccess');
  }
  deleteRecordingFile(): never {
    return unused('deleteRecordingFile');
  }
  listUsers(): never {
    return unused('listUsers');
  }
}

export const ACTIVE = 1;
export const BLOCKED = 0;
export const DELETED = 2;

export class FakeSink implements MediaSink {
  readonly calls: Call[] = [];
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

  putUser(user: KalturaUser): void {
    this.users.set(user.id.toLowerCase(), user);
  }
  putCategory(fullName: string): KalturaCategory {
    const category = { id: this.nextCategoryId++, fullName };
    this.categories.push(category);
    return category;
  }

  count(method?: string): number {
    return method ? this.calls.filter((c) => c.method === method).length : this.calls.length;
  }

  async getUser(userId: string): Promise<KalturaUser | null> {
    this.calls.push({ method: 'getUser', args: [userId] });
    return this.users.get(userId.toLowerCase()) ?? null;
  }
  async findUserByEmail(email: string): Promise<KalturaUser | null> {
    this.calls.push({ method: 'findUserByEmail', args: [email] });
    return [...this.users.values()].find((u) => u.email?.toLowerCase() === email.toLowerCase()) ?? null;
  }
  async findUserByExternalId(externalId: string): Promise<KalturaUser | null> {
    this.calls.push({ method: 'findUserByExternalId', args: [externalId] });
    return [...this.users.values()].find((u) => u.externalId?.toLowerCase() === externalId.toLowerCase()) ?? null;
  }
  async addUser(user: { id: string; email?: string }): Promise<KalturaUser> {
    this.calls.push({ method: 'addUser', args: [user] });
    if (this.users.has(user.id.toLowerCase())) {
      throw new PermanentError(`user ${user.id} exists`, { code: 'DUPLICATE_USER_BY_ID', source: 'kaltura' });
    }
    const created = { id: user.id, email: user.email, status: ACTIVE };
    this.putUser(created);
    return created;
  }
  /** Pages like groupUser.list and concatenates every page, as the real adapter must. */
  async listUserGroupIds(userId: string): Promise<string[]> {
    this.calls.push({ method: 'listUserGroupIds', args: [userId] });
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
    this.calls.push({ method: 'findCategoryByFullName', args: [fullName] });
    return this.categories.find((c) => c.fullName === fullName) ?? null;
  }
  async findCategoryByName(name: string): Promise<KalturaCategory | null> {
    this.calls.push({ method: 'findCategoryByName', args: [name] });
    const matches = this.categories.filter((c) => c.fullName.split('>').pop() === name);
    if (matches.length > 1) throw new PermanentError(`category name "${name}" matches ${matches.length} Kaltura categories`, { code: 'CATEGORY_AMBIGUOUS', source: 'kaltura' });
    return matches.length === 1 ? matches[0] : null;
  }
  async addCategory(parentId: number | null, name: string): Promise<KalturaCategory> {
    this.calls.push({ method: 'addCategory', args: [parentId, name] });
    const parent = parentId === null ? null : this.categories.find((c) => c.id === parentId);
    if (parentId !== null && !parent) throw new PermanentError('no parent', { code: 'CATEGORY_NOT_FOUND', source: 'kaltura' });
    return this.putCategory(parent ? `${parent.fullName}>${name}` : name);
  }

  findEntryByReferenceId(): never {
    return unused('findEntryByReferenceId');
  }
  createEntry(): never {
    return unused('createEntry');
  }
  getEntry(): never {
    return unused('getEntry');
  }
  listFlavors(): never {
    return unused('listFlavors');
  }
  deleteEntry(): never {
    return unused('deleteEntry');
  }
  createUploadToken(): never {
    return unused('createUploadToken');
  }
  getUploadToken(): never {
    return unused('getUploadToken');
  }
  uploadChunk(): never {
    return unused('uploadChunk');
  }
  addContentFromUploadToken(): never {
    return unused('addContentFromUploadToken');
  }
  addContentFromUrl(): never {
    return unused('addContentFromUrl');
  }
  updateEntry(): never {
    return unused('updateEntry');
  }
  addCategoryEntry(): never {
    return unused('addCategoryEntry');
  }
  listCategoryIdsOfEntry(): never {
    return unused('listCategoryIdsOfEntry');
  }
  listCaptionLabels(): never {
    return unused('listCaptionLabels');
  }
  addCaption(): never {
    return unused('addCaption');
  }
  listAttachmentFilenames(): never {
    return unused('listAttachmentFilenames');
  }
  addTextAttachment(): never {
    return unused('addTextAttachment');
  }
  listAssets(): never {
    return unused('listAssets');
  }
  deleteAsset(): never {
    return unused('deleteAsset');
  }
}

/** An account as the real schema would produce it (defaults applied), with overrides. */
export function makeAccount(overrides: Record<string, unknown> = {}): AccountConfig {
  return accountSchema.parse({
    name: 'main',
    credentials: { accountId: 'acc', clientId: 'cid', clientSecret: 'secret' },
    owner: { onNoMatch: 'defaultUser', defaultUserId: 'default-user' },
    ...overrides,
  });
}

export const HOST_ID = 'host-zoom-id';
export const HOST_EMAIL = 'Ann.Host@Example.edu';

export function makeMeeting(overrides: Partial<ZoomMeeting> = {}): ZoomMeeting {
  return {
    uuid: 'uuid-1==',
    id: 81234567890,
    hostId: HOST_ID,
    hostEmail: HOST_EMAIL,
    topic: 'Weekly sync',
    type: 2,
    startTime: '2024-03-01T10:00:00Z',
    durationMin: 30,
    files: [],
    ...overrides,
  };
}

/** A source that knows the host, and a sink; the usual starting point. */
export function world(): { source: FakeSource; sink: FakeSink } {
  const source = new FakeSource();
  source.addUser({ id: HOST_ID, email: HOST_EMAIL, type: 2, status: 'active' });
  return { source, sink: new FakeSink() };
}
