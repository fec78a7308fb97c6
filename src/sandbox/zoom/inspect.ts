/** Call log and the JSON snapshot served at GET /_sandbox/state. */
import type { ZoomStore } from './store.js';
import { isProcessing } from './views.js';

export class CallLog {
  private counts = new Map<string, number>();
  private byAccount = new Map<string, Map<string, number>>();

  record(key: string, accountId: string | undefined): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (accountId) {
      const per = this.byAccount.get(accountId) ?? new Map<string, number>();
      per.set(key, (per.get(key) ?? 0) + 1);
      this.byAccount.set(accountId, per);
    }
  }

  counts_(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  countsByAccount(): Record<string, Record<string, number>> {
    return Object.fromEntries([...this.byAccount].map(([a, m]) => [a, Object.fromEntries(m)]));
  }

  reset(): void {
    this.counts = new Map();
    this.byAccount = new Map();
  }
}

export interface ZoomFileSnapshot {
  id: string;
  fileType: string;
  recordingType: string;
  fileSize: number;
  recordingStart: string;
  recordingEnd: string;
  fileExtension: string;
  state: 'live' | 'trashed' | 'deleted';
  status: 'completed' | 'processing';
  deletedTime?: string;
}

export interface ZoomMeetingSnapshot {
  accountId: string;
  uuid: string;
  id: number;
  hostEmail: string;
  topic: string;
  type: number;
  startTime: string;
  files: ZoomFileSnapshot[];
}

export interface ZoomSandboxSnapshot {
  accounts: Array<{ accountId: string; clientId: string; users: number; meetings: number }>;
  meetings: ZoomMeetingSnapshot[];
  trashedFiles: Array<{ accountId: string; meetingUuid: string; fileId: string; deletedTime?: string }>;
  calls: Record<string, number>;
  callsByAccount: Record<string, Record<string, number>>;
}

export function snapshot(store: ZoomStore, log: CallLog, now: number, opts: { meetings?: boolean } = {}): ZoomSandboxSnapshot {
  const meetings: ZoomMeetingSnapshot[] = [];
  const trashedFiles: ZoomSandboxSnapshot['trashedFiles'] = [];
  for (const acct of store.accounts.values()) {
    for (const m of acct.meetings.values()) {
      if (opts.meetings !== false) {
        meetings.push({
          accountId: m.accountId,
          uuid: m.uuid,
          id: m.id,
          hostEmail: m.hostEmail,
          topic: m.topic,
          type: m.type,
          startTime: m.startTime,
          files: m.files.map((f) => ({
            id: f.id,
            fileType: f.fileType,
            recordingType: f.recordingType,
            fileSize: f.fileSize,
            recordingStart: f.recordingStart,
            recordingEnd: f.recordingEnd,
            fileExtension: f.fileExtension,
            state: f.state,
            status: isProcessing(f, now) ? 'processing' : 'completed',
            ...(f.deletedTime ? { deletedTime: f.deletedTime } : {}),
          })),
        });
      }
      for (const f of m.files) {
        if (f.state === 'trashed') trashedFiles.push({ accountId: m.accountId, meetingUuid: m.uuid, fileId: f.id, deletedTime: f.deletedTime });
      }
    }
  }
  return {
    accounts: [...store.accounts.values()].map((a) => ({
      accountId: a.account.accountId,
      clientId: a.account.clientId,
      users: a.users.length,
      meetings: a.meetings.size,
    })),
    meetings,
    trashedFiles,
    calls: log.counts_(),
    callsByAccount: log.countsByAccount(),
  };
}
