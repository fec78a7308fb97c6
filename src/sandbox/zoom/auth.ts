/**
 * Server-to-Server OAuth for the sandbox: account_credentials tokens, scoped
 * to one account, expiring on the sandbox clock; Bearer header only.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Granular S2S scopes (each operation's `x-granular-scopes` in Zoom's current OpenAPI documents). */
export const ZOOM_SCOPES = {
  listAccountRecordings: 'cloud_recording:read:list_account_recordings:admin',
  listAccountRecordingsMaster: 'cloud_recording:read:list_account_recordings:master',
  listUserRecordings: 'cloud_recording:read:list_user_recordings:admin',
  listRecordingFiles: 'cloud_recording:read:list_recording_files:admin',
  downloadRecording: 'cloud_recording:read:recording:admin',
  deleteMeetingRecording: 'cloud_recording:delete:meeting_recording:admin',
  deleteRecordingFile: 'cloud_recording:delete:recording_file:admin',
  recoverMeeting: 'cloud_recording:update:recover_meeting_recordings:admin',
  recoverFile: 'cloud_recording:update:recover_single_recording:admin',
  listUsers: 'user:read:list_users:admin',
  usersSummary: 'user:read:summary:admin',
  getUser: 'user:read:user:admin',
  getMeeting: 'meeting:read:meeting:admin',
  getWebinar: 'webinar:read:webinar:admin',
  reportParticipants: 'report:read:list_meeting_participants:admin',
  metricsMeetingParticipants: 'dashboard:read:list_meeting_participants:admin',
  metricsWebinarParticipants: 'dashboard:read:list_webinar_participants:admin',
  listPanelists: 'webinar:read:list_panelists:admin',
} as const;

export const ALL_SCOPES: readonly string[] = Object.values(ZOOM_SCOPES);

export interface TokenRecord {
  accountId: string;
  expiresAt: number;
}

export interface DownloadTokenRecord extends TokenRecord {
  meetingUuid: string;
}

export class TokenRegistry {
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly downloadTokens = new Map<string, DownloadTokenRecord>();

  issue(accountId: string, now: number, ttlSec: number): string {
    // Drop expired tokens so a long soak does not grow the map without bound.
    for (const [t, rec] of this.tokens) if (rec.expiresAt <= now) this.tokens.delete(t);
    const token = `sbx.${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, { accountId, expiresAt: now + ttlSec * 1000 });
    return token;
  }

  verify(token: string, now: number): TokenRecord | undefined {
    const rec = this.tokens.get(token);
    if (!rec || rec.expiresAt <= now) return undefined;
    return rec;
  }

  /**
   * A meeting's download_access_token (include_fields=download_access_token&ttl=…): it opens that
   * meeting's download URLs only, for `ttlSec`, and no API route.
   */
  issueDownload(accountId: string, meetingUuid: string, now: number, ttlSec: number): string {
    for (const [t, rec] of this.downloadTokens) if (rec.expiresAt <= now) this.downloadTokens.delete(t);
    const token = `sbxdl.${randomBytes(24).toString('base64url')}`;
    this.downloadTokens.set(token, { accountId, meetingUuid, expiresAt: now + ttlSec * 1000 });
    return token;
  }

  verifyDownload(token: string, now: number): DownloadTokenRecord | undefined {
    const rec = this.downloadTokens.get(token);
    if (!rec || rec.expiresAt <= now) return undefined;
    return rec;
  }

  /** Sandbox control: make every token of the account invalid now. */
  revokeAll(accountId: string): void {
    for (const [t, rec] of this.tokens) if (rec.accountId === accountId) this.tokens.delete(t);
    for (const [t, rec] of this.downloadTokens) if (rec.accountId === accountId) this.downloadTokens.delete(t);
  }
}

export function bearerOf(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m ? m[1] : undefined;
}

/**
 * A download_url takes the token in the header or, unlike API calls, as
 * `?access_token=` (Zoom documents both: [spec23]'s `download_url` shows the
 * query form; Kaltura's own integration uses it).
 */
export function downloadTokenOf(req: IncomingMessage, query: URLSearchParams): string | undefined {
  return bearerOf(req) ?? (query.get('access_token') || undefined);
}

export function basicOf(req: IncomingMessage): { user: string; pass: string } | undefined {
  const h = req.headers.authorization;
  const m = h ? /^Basic\s+(\S+)$/i.exec(h) : null;
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  return { user: decoded.slice(0, i), pass: decoded.slice(i + 1) };
}
