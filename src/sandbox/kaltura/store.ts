/** In-memory records of the Kaltura sandbox (one store for all partners). */
import { randomBytes, type Hash } from 'node:crypto';

export interface PartnerRecord {
  partnerId: number;
  adminSecret: string;
  userSecret?: string;
}

export interface UserRecord {
  partnerId: number;
  id: string;
  email?: string;
  externalId?: string;
  firstName?: string;
  lastName?: string;
  screenName?: string;
  /** 1 active, 0 blocked, 2 deleted. */
  status: number;
  /** 0 user, 1 group. */
  type: number;
  isAdmin: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface GroupUserRecord {
  partnerId: number;
  userId: string;
  groupId: string;
  status: number;
  creationMode: number;
  createdAt: number;
  updatedAt: number;
}

export interface CategoryRecord {
  partnerId: number;
  id: number;
  parentId: number;
  name: string;
  fullName: string;
  fullIds: string;
  referenceId?: string;
  createdAt: number;
  updatedAt: number;
}

export interface CategoryEntryRecord {
  partnerId: number;
  categoryId: number;
  entryId: string;
  status: number;
  creatorUserId: string;
  createdAt: number;
}

export interface StoredContent {
  path: string;
  size: number;
  sha256: string;
}

export interface FlavorRecord {
  id: string;
  /** The source flavor (what was uploaded or imported); converted flavors are not. */
  isOriginal?: boolean;
  flavorParamsId?: number;
  /** Set on an errored flavor: the conversion error. */
  description?: string;
  status: number;
  sizeBytes: number;
  /** Also list `sizeInBytes` (seeded entries choose; Kaltura-made flavors list only `size` in KB). */
  reportSizeInBytes?: boolean;
  fileExt: string;
  createdAt: number;
}

export interface EntryRecord {
  seq: number;
  partnerId: number;
  id: string;
  name: string;
  description?: string;
  userId?: string;
  creatorId?: string;
  /** KalturaEntryStatus: a number, or a plugin's string value such as 'virusScan.Infected'. */
  status: number | string;
  mediaType?: number;
  referenceId?: string;
  parentEntryId?: string;
  tags?: string;
  adminTags?: string;
  entitledUsersEdit: string;
  entitledUsersPublish: string;
  entitledUsersView: string;
  conversionProfileId?: number;
  blockAutoTranscript?: boolean;
  sourceType?: string;
  createdAt: number;
  updatedAt: number;
  /** 1 PENDING_MODERATION, 2 APPROVED, 3 REJECTED, 5 FLAGGED, 6 AUTO_APPROVED. */
  moderationStatus: number;
  /** Epoch ms of media.add: lists see the entry only once the index lag has passed. */
  indexedAt: number;
  /** Epoch ms (sandbox clock) the entry first became READY: tests prove no Zoom delete came before it. */
  readyAt?: number;
  content?: StoredContent;
  /** The source flavor; absent once a profile that drops it converted the entry. */
  flavor?: FlavorRecord;
  /** Converted flavors. */
  converted?: FlavorRecord[];
  /** Measured duration, once converted. */
  msDuration?: number;
  /** Upload token waiting to complete before the entry can proceed (IMPORT). */
  pendingTokenId?: string;
  /** Where a URL import fetched from, for inspection. */
  importUrl?: string;
}

export interface UploadTokenRecord {
  partnerId: number;
  id: string;
  userId: string;
  status: number;
  fileName?: string;
  fileSize?: number;
  autoFinalize: boolean;
  path: string;
  size: number;
  /** Out-of-order chunks parked on disk, by offset. */
  parked: Map<number, { path: string; size: number }>;
  /**
   * sha256 of bytes [0, hashedBytes) of the token file, fed as bytes are appended, so attaching the token
   * needs no second read of a multi-GB file. Unset after anything but an append.
   */
  hash?: { hasher: Hash; hashedBytes: number };
  createdAt: number;
  updatedAt: number;
  attachedEntryId?: string;
}

export interface AssetRecord {
  kind: 'caption' | 'attachment';
  seq: number;
  partnerId: number;
  id: string;
  entryId: string;
  /** Caption: 0 queued, 2 ready, -1 error, 7 importing. Attachment: same numbers. */
  status: number;
  label?: string;
  language?: string;
  format?: string;
  fileExt?: string;
  isDefault?: boolean;
  filename?: string;
  title?: string;
  content?: string;
  createdAt: number;
  updatedAt: number;
  /** Epoch ms (sandbox clock) the asset first became READY with content. */
  readyAt?: number;
}

const userKey = (partnerId: number, id: string) => `${partnerId}/${id.toLowerCase()}`;

/** Same user id as Kaltura compares them (case-insensitively). */
export const sameUserId = (a: string | undefined, b: string | undefined): boolean => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

export class SandboxStore {
  readonly partners = new Map<number, PartnerRecord>();
  readonly entries = new Map<string, EntryRecord>();
  readonly tokens = new Map<string, UploadTokenRecord>();
  /** Keyed `${partnerId}/${lower-cased userId}`: Kaltura's puser_id column compares case-insensitively. */
  readonly users = new Map<string, UserRecord>();
  readonly groupUsers: GroupUserRecord[] = [];
  readonly categories = new Map<number, CategoryRecord>();
  readonly categoryEntries: CategoryEntryRecord[] = [];
  readonly assets = new Map<string, AssetRecord>();
  readonly callCounts = new Map<string, number>();
  /** HTTP requests (a multirequest is one), keyed by `service.action`, `multirequest` or `uploadtoken.upload (resumed)`. */
  readonly httpCounts = new Map<string, number>();
  private seq = 0;
  private nextCategoryId = 1;

  nextSeq(): number {
    return ++this.seq;
  }

  newEntryId(): string {
    for (;;) {
      const bytes = randomBytes(8);
      const id = '0_' + [...bytes].map((b) => BASE36[b % 36]).join('');
      if (!this.entries.has(id) && !this.assets.has(id)) return id;
    }
  }

  newTokenId(): string {
    return '0_' + randomBytes(16).toString('hex');
  }

  newCategoryId(): number {
    while (this.categories.has(this.nextCategoryId)) this.nextCategoryId++;
    return this.nextCategoryId++;
  }

  /** `ALICE` finds `alice`: the record keeps the case it was created with. */
  user(partnerId: number, id: string): UserRecord | undefined {
    return this.users.get(userKey(partnerId, id));
  }

  putUser(u: UserRecord): void {
    this.users.set(userKey(u.partnerId, u.id), u);
  }

  /** A live (not deleted) entry of this partner. */
  liveEntry(partnerId: number, id: string): EntryRecord | undefined {
    const e = this.entries.get(id);
    return e && e.partnerId === partnerId && e.status !== 3 ? e : undefined;
  }

  countCall(key: string): void {
    this.callCounts.set(key, (this.callCounts.get(key) ?? 0) + 1);
  }

  countHttp(key: string): void {
    this.httpCounts.set(key, (this.httpCounts.get(key) ?? 0) + 1);
  }
}
