/**
 * In-memory Zoom data, per account. Meetings are indexed by start date (the
 * date Zoom lists them under) so a 10,000-meeting account lists a month fast.
 */
import { createHash } from 'node:crypto';
import type { ZoomSandboxAccount, ZoomSeedFile, ZoomSeedMeeting, ZoomSeedUser } from './seed-types.js';

export type FileState = 'live' | 'trashed' | 'deleted';

export interface FileRecord extends ZoomSeedFile {
  /** Always set internally; `specShape` files just do not show it. */
  id: string;
  meetingUuid: string;
  state: FileState;
  deletedTime?: string;
  /** Opaque part of download_url. */
  downloadKey: string;
}

export interface FileDeleteRequest {
  /** Meeting id or uuid as the path gave it (decoded). */
  meeting: string;
  /** File id as the path gave it (decoded). */
  fileId: string;
  action: string;
  /** Sandbox clock, epoch ms. */
  at: number;
  /** HTTP status answered. */
  status: number;
}

export interface MeetingRecord extends Omit<ZoomSeedMeeting, 'files'> {
  accountId: string;
  files: FileRecord[];
}

export interface AccountData {
  account: ZoomSandboxAccount;
  users: ZoomSeedUser[];
  meetings: Map<string, MeetingRecord>;
  /** 'YYYY-MM-DD' → meetings starting that day (UTC). */
  byDate: Map<string, MeetingRecord[]>;
  byNumericId: Map<number, MeetingRecord[]>;
}

export function dayOf(iso: string): string {
  return iso.slice(0, 10);
}

export class ZoomStore {
  readonly accounts = new Map<string, AccountData>();
  readonly filesByKey = new Map<string, { file: FileRecord; meeting: MeetingRecord }>();
  /** Every DELETE of one recording file, answered or not, in arrival order (tests prove what was deleted when). */
  readonly fileDeletes: FileDeleteRequest[] = [];

  constructor(private readonly secret: string) {}

  addAccount(account: ZoomSandboxAccount): AccountData {
    const existing = this.accounts.get(account.accountId);
    if (existing) return existing;
    const data: AccountData = { account, users: [], meetings: new Map(), byDate: new Map(), byNumericId: new Map() };
    this.accounts.set(account.accountId, data);
    return data;
  }

  accountByClientId(clientId: string): AccountData | undefined {
    for (const a of this.accounts.values()) if (a.account.clientId === clientId) return a;
    return undefined;
  }

  mustAccount(accountId: string): AccountData {
    const a = this.accounts.get(accountId);
    if (!a) throw new Error(`zoom sandbox: unknown account ${accountId}`);
    return a;
  }

  addUser(accountId: string, user: ZoomSeedUser): void {
    this.mustAccount(accountId).users.push({ ...user });
  }

  addMeeting(accountId: string, m: ZoomSeedMeeting): MeetingRecord {
    const acct = this.mustAccount(accountId);
    if (acct.meetings.has(m.uuid)) throw new Error(`zoom sandbox: duplicate meeting uuid ${m.uuid}`);
    const files: FileRecord[] = m.files.map((f, i) => {
      const id = f.id ?? `nid-${createHash('sha256').update(`${m.uuid}:${i}:${f.fileType}`).digest('hex').slice(0, 20)}`;
      const downloadKey = createHash('sha256').update(`${this.secret}:${accountId}:${m.uuid}:${id}`).digest('base64url');
      return { ...f, id, meetingUuid: m.uuid, state: 'live' as const, downloadKey };
    });
    const rec: MeetingRecord = { ...m, accountId, files };
    acct.meetings.set(m.uuid, rec);
    const day = dayOf(m.startTime);
    const list = acct.byDate.get(day) ?? [];
    list.push(rec);
    list.sort((a, b) => (a.startTime < b.startTime ? -1 : a.startTime > b.startTime ? 1 : a.uuid < b.uuid ? -1 : 1));
    acct.byDate.set(day, list);
    const same = acct.byNumericId.get(m.id) ?? [];
    same.push(rec);
    same.sort((a, b) => (a.startTime < b.startTime ? -1 : 1));
    acct.byNumericId.set(m.id, same);
    for (const f of files) this.filesByKey.set(f.downloadKey, { file: f, meeting: rec });
    return rec;
  }

  findUser(accountId: string, idOrEmail: string): ZoomSeedUser | undefined {
    const lower = idOrEmail.toLowerCase();
    return this.mustAccount(accountId).users.find((u) => (u.id !== undefined && u.id === idOrEmail) || (u.email !== '' && u.email.toLowerCase() === lower));
  }

  /** Meetings started in [from, to] (inclusive days), in start order. */
  meetingsInRange(accountId: string, from: string, to: string): MeetingRecord[] {
    const acct = this.mustAccount(accountId);
    const out: MeetingRecord[] = [];
    for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) {
      const list = acct.byDate.get(d.toISOString().slice(0, 10));
      if (list) out.push(...list);
    }
    return out;
  }

  /** A numeric id means the latest instance that still has recordings; anything else is a UUID. */
  resolveMeeting(accountId: string, idOrUuid: string, filter: (m: MeetingRecord) => boolean): MeetingRecord | undefined {
    const acct = this.mustAccount(accountId);
    if (/^\d+$/.test(idOrUuid)) {
      const instances = (acct.byNumericId.get(Number(idOrUuid)) ?? []).filter(filter);
      return instances[instances.length - 1];
    }
    const m = acct.meetings.get(idOrUuid);
    return m && filter(m) ? m : undefined;
  }

  /** Latest instance regardless of recordings (meeting details, participants). */
  latestInstance(accountId: string, numericId: number): MeetingRecord | undefined {
    const list = this.mustAccount(accountId).byNumericId.get(numericId);
    return list?.[list.length - 1];
  }
}
