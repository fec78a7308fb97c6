/**
 * `zk accounts test`: the "Test connection" users know from Kaltura's Zoom
 * integration, but checking every capability zk uses with one cheap real call
 * each, so a withheld scope shows up here rather than as a failed file later.
 */
import type { AccountConfig, Config } from '../config/schema.js';
import type { DateWindow, MediaSink, RecordingSource, ZoomMeeting, ZoomRecordingFile } from '../ingest/ports.js';
import { PermanentError, RetryableError, ZkError, FatalError } from '../errors.js';
import { formatTable } from './format.js';
import { isWebinar } from '../ingest/policy/is-webinar.js';

export type CheckStatus = 'PASS' | 'FAIL' | 'SKIP';

export interface CheckResult {
  /** `zoom:<account>` or `kaltura`. */
  target: string;
  check: string;
  status: CheckStatus;
  detail: string;
  /** What the operator should do; set on every FAIL (and on SKIPs that hide a failure). */
  fix?: string;
}

/**
 * Optional capability of a Zoom adapter: the scopes in the current access
 * token. Without it the delete scope cannot be checked without deleting.
 */
export interface ScopeIntrospection {
  grantedScopes(): Promise<string[]>;
}

function hasScopeIntrospection(source: RecordingSource): source is RecordingSource & ScopeIntrospection {
  return typeof (source as Partial<ScopeIntrospection>).grantedScopes === 'function';
}

/** Scopes (classic or granular: an operation's x-macro-scopes / x-granular-scopes in Zoom's OpenAPI) that satisfy each capability; the first is named in fixes. */
export const ZOOM_SCOPES = {
  listRecordings: ['cloud_recording:read:list_account_recordings:admin', 'cloud_recording:read:list_account_recordings:master', 'recording:read:admin', 'account:read:admin'],
  download: ['cloud_recording:read:recording:admin', 'recording:read:admin'],
  delete: ['cloud_recording:delete:recording_file:admin', 'cloud_recording:delete:recording_file:master', 'recording:write:admin'],
  listUsers: ['user:read:list_users:admin', 'user:read:admin'],
  getUser: ['user:read:user:admin', 'user:read:admin'],
  meetingDetails: ['meeting:read:meeting:admin', 'meeting:read:admin'],
  participants: ['report:read:list_meeting_participants:admin', 'report:read:admin'],
  cohosts: ['dashboard:read:list_meeting_participants:admin', 'dashboard_meetings:read:admin'],
} as const;

const ZOOM_APP = 'the Server-to-Server OAuth app in the Zoom Marketplace (Manage > your app > Scopes), then re-run `zk accounts test`';

/** Scope names as they appear in Zoom's 4711 message ("does not contain scopes:[a, b]"). */
function scopesIn(text: string): string[] {
  return [...new Set(text.match(/\b[a-z_]+(?::[a-z_]+){1,3}\b/g) ?? [])].filter((s) => !/^https?:/.test(s));
}

function isMissingScope(err: unknown): err is ZkError {
  return err instanceof ZkError && err.code === 'ZOOM_4711';
}

/** What a failed call means for one capability. `needed` false turns a failure into an informative SKIP. */
function failure(target: string, check: string, err: unknown, scopes: readonly string[], needed: boolean, why?: string): CheckResult {
  let detail: string;
  let fix: string;
  if (isMissingScope(err)) {
    const named = scopesIn(err.message);
    const scope = named.length > 0 ? named.join(', ') : scopes[0];
    detail = `missing scope ${scope}`;
    fix = `add scope ${scope} to ${ZOOM_APP}`;
  } else if (err instanceof RetryableError) {
    detail = `temporary failure: ${err.message}${err.code ? ` [${err.code}]` : ''}`;
    fix = 'try again in a few minutes; if it persists, check network access to the API (proxy, firewall) and the status page';
  } else if (err instanceof ZkError) {
    detail = `${err.message}${err.code ? ` [${err.code}]` : ''}`;
    fix = `make sure ${scopes[0]} (or an equivalent) is granted to ${ZOOM_APP}`;
  } else {
    detail = `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
    fix = 'run again with log level debug and report the error';
  }
  if (!needed) return { target, check, status: 'SKIP', detail: `not needed (${why}); the call failed: ${detail}`, fix };
  return { target, check, status: 'FAIL', detail, fix };
}

/** A 404 on a probe means the call was authorized and the sample was gone: the capability works. */
function isNotFound(err: unknown): boolean {
  return err instanceof PermanentError && err.status === 404;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const DAY = 86_400_000;

function smallestDownloadable(meetings: ZoomMeeting[]): { meeting: ZoomMeeting; file: ZoomRecordingFile } | null {
  let best: { meeting: ZoomMeeting; file: ZoomRecordingFile } | null = null;
  for (const meeting of meetings) {
    for (const file of meeting.files) {
      if (file.status !== 'processing' && file.fileSize > 0 && file.downloadUrl && (!best || file.fileSize < best.file.fileSize)) {
        best = { meeting, file };
      }
    }
  }
  return best;
}

async function readOneByte(source: RecordingSource, file: ZoomRecordingFile): Promise<number> {
  const download = await source.openDownload(file, 0);
  try {
    const iterator = download.stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    return first.done ? 0 : (first.value as Buffer).length;
  } finally {
    download.stream.destroy();
  }
}

export interface ZoomTestOptions {
  now: number;
}

export async function testZoomAccount(source: RecordingSource, account: AccountConfig, opts: ZoomTestOptions): Promise<CheckResult[]> {
  const target = `zoom:${account.name}`;
  const results: CheckResult[] = [];
  const pass = (check: string, detail: string) => results.push({ target, check, status: 'PASS', detail });
  const skip = (check: string, detail: string) => results.push({ target, check, status: 'SKIP', detail });
  const credentialsFix =
    `check accounts[${account.name}].credentials (accountId, clientId, clientSecret) against ${ZOOM_APP}; the app must be activated`;

  let granted: string[] | null = null;
  if (hasScopeIntrospection(source)) {
    try {
      granted = await source.grantedScopes();
      pass('credentials', `token issued with ${granted.length} scopes`);
    } catch (err) {
      results.push({ target, check: 'credentials', status: 'FAIL', detail: err instanceof Error ? err.message : String(err), fix: credentialsFix });
      return results;
    }
  }

  // Recordings list: a two-day window is the cheapest listing; it also proves the token when nothing else can.
  const recent: DateWindow = { from: utcDay(opts.now - DAY), to: utcDay(opts.now) };
  let meetings: ZoomMeeting[] = [];
  try {
    meetings = await source.listRecordings(recent);
    if (!granted) pass('credentials', 'token issued (the recordings listing was answered)');
    pass('list recordings', `${meetings.length} meetings with recordings in ${recent.from}..${recent.to}`);
  } catch (err) {
    if (!granted && err instanceof FatalError && !isMissingScope(err)) {
      const fe = err as FatalError;
      results.push({ target, check: 'credentials', status: 'FAIL', detail: `${fe.message}${fe.code ? ` [${fe.code}]` : ''}`, fix: credentialsFix });
      return results;
    }
    if (!granted && isMissingScope(err)) pass('credentials', 'token issued (Zoom answered with a scope error)');
    results.push(failure(target, 'list recordings', err, ZOOM_SCOPES.listRecordings, true));
  }

  // A sample recording for the probes that need one: widen to 7 and 30 days only when needed.
  let sample = smallestDownloadable(meetings);
  for (const days of [7, 30]) {
    if (sample || results.some((r) => r.check === 'list recordings' && r.status === 'FAIL')) break;
    try {
      sample = smallestDownloadable(await source.listRecordings({ from: utcDay(opts.now - (days - 1) * DAY), to: utcDay(opts.now) }));
    } catch {
      break;
    }
  }
  const sampleMeeting = sample?.meeting ?? meetings[0];

  if (sample) {
    try {
      const got = await readOneByte(source, sample.file);
      if (got > 0) pass('download', `read the first bytes of ${sample.file.fileType} file ${sample.file.id}`);
      else results.push({ target, check: 'download', status: 'FAIL', detail: 'the download returned no bytes', fix: `make sure ${ZOOM_SCOPES.download[0]} is granted to ${ZOOM_APP}` });
    } catch (err) {
      results.push(failure(target, 'download', err, ZOOM_SCOPES.download, true));
    }
  } else {
    skip('download', 'skipped: no recording to try in the last 30 days');
  }

  const deleteNeeded = account.delete.enabled;
  if (granted) {
    const ok = ZOOM_SCOPES.delete.some((s) => granted!.includes(s));
    if (ok) pass('delete', 'delete scope granted (checked in the token; nothing was deleted)');
    else if (deleteNeeded) results.push({ target, check: 'delete', status: 'FAIL', detail: `missing scope ${ZOOM_SCOPES.delete[0]}`, fix: `add scope ${ZOOM_SCOPES.delete[0]} to ${ZOOM_APP}` });
    else skip('delete', `not needed (delete.enabled is false); scope ${ZOOM_SCOPES.delete[0]} is not granted`);
  } else {
    skip('delete', `unknown: no non-destructive probe; make sure ${ZOOM_SCOPES.delete[0]} is granted${deleteNeeded ? '' : ' before enabling delete'}`);
  }

  try {
    const pending = await source.listUsers('pending');
    pass('list users', `users listing answered (${plural(pending.length, 'pending user')})`);
  } catch (err) {
    results.push(failure(target, 'list users', err, ZOOM_SCOPES.listUsers, true));
  }

  if (sampleMeeting?.hostEmail || sampleMeeting?.hostId) {
    try {
      await source.getUser(sampleMeeting.hostId || sampleMeeting.hostEmail);
      pass('get user', `looked up the host of meeting ${sampleMeeting.id}`);
    } catch (err) {
      if (isNotFound(err)) pass('get user', 'authorized (the sample host no longer exists)');
      else results.push(failure(target, 'get user', err, ZOOM_SCOPES.getUser, true));
    }
  } else {
    skip('get user', 'skipped: no recent meeting whose host to look up');
  }

  if (!sampleMeeting) {
    for (const check of ['meeting details', 'participants report', 'co-hosts (dashboard)']) skip(check, 'skipped: no meeting with recordings in the last 30 days to try');
    return results;
  }
  const webinar = isWebinar(sampleMeeting);
  try {
    await source.getMeetingDetails(sampleMeeting.id, webinar);
    pass('meeting details', `read ${webinar ? 'webinar' : 'meeting'} ${sampleMeeting.id}`);
  } catch (err) {
    if (isNotFound(err)) pass('meeting details', 'authorized (the sample meeting no longer exists)');
    else results.push(failure(target, 'meeting details', err, ZOOM_SCOPES.meetingDetails, true));
  }
  const probes = [
    { check: 'participants report', call: () => source.listParticipantEmails(webinar ? String(sampleMeeting.id) : sampleMeeting.uuid, webinar), scopes: ZOOM_SCOPES.participants, setting: 'participants' as const },
    { check: 'co-hosts (dashboard)', call: () => source.listCohostEmails(sampleMeeting.uuid, webinar), scopes: ZOOM_SCOPES.cohosts, setting: 'coHosts' as const },
  ];
  for (const p of probes) {
    const needed = account.permissions[p.setting] !== 'ignore';
    try {
      const emails = await p.call();
      pass(p.check, `${plural(emails.length, 'email')} for meeting ${sampleMeeting.id}`);
    } catch (err) {
      if (isNotFound(err)) pass(p.check, 'authorized (no report for the sample meeting)');
      else {
        const r = failure(target, p.check, err, p.scopes, needed, `permissions.${p.setting} is "ignore"`);
        // An optional feature: the daemon degrades it for this account (ingest goes on without these users), it does not halt.
        if (r.status === 'FAIL' && isMissingScope(err)) r.detail = `${r.detail}; degraded: the daemon ingests without permissions.${p.setting} for this account`;
        results.push(r);
      }
    }
  }
  return results;
}

// ---------------------------------------------------------------- Kaltura

const KALTURA_SESSION_FIX =
  'check kaltura.partnerId, kaltura.adminSecret and kaltura.serviceUrl (KMC > Settings > Integration Settings shows the admin secret)';

function kalturaFailure(check: string, err: unknown, fix: string): CheckResult {
  const detail =
    err instanceof ZkError ? `${err.message}${err.code ? ` [${err.code}]` : ''}` : `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
  return { target: 'kaltura', check, status: 'FAIL', detail, fix: err instanceof RetryableError ? 'try again in a few minutes; check network access to kaltura.serviceUrl' : fix };
}

/** Kaltura session, the default user of each account and every configured category. */
export async function testKaltura(makeSink: () => MediaSink, config: Config, accounts: AccountConfig[]): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let sink: MediaSink;
  const probeUser = accounts.find((a) => a.owner.defaultUserId)?.owner.defaultUserId ?? config.kaltura.userId;
  try {
    sink = makeSink();
    await sink.getUser(probeUser);
    results.push({ target: 'kaltura', check: 'session', status: 'PASS', detail: `session works for partner ${config.kaltura.partnerId}` });
  } catch (err) {
    results.push(kalturaFailure('session', err, KALTURA_SESSION_FIX));
    return results;
  }
  if (sink.userLookupPath) {
    try {
      const path = await sink.userLookupPath();
      results.push({
        target: 'kaltura',
        check: 'user lookup',
        status: 'PASS',
        detail: path === 'esearch' ? 'eSearch (elasticsearch_esearch.searchUser)' : 'user.list with emailLike, user.get by id (this server has no eSearch)',
      });
    } catch (err) {
      results.push(kalturaFailure('user lookup', err, 'check that the KS may call elasticsearch_esearch.searchUser or user.list'));
    }
  }

  for (const account of accounts) {
    const userId = account.owner.defaultUserId;
    const check = `default user (${account.name})`;
    if (!userId) {
      results.push({ target: 'kaltura', check, status: 'SKIP', detail: 'no owner.defaultUserId configured' });
    } else {
      try {
        const user = await sink.getUser(userId);
        const fix = `create the user "${userId}" in KMC (Administration > Users), or change accounts[${account.name}].owner.defaultUserId`;
        if (!user) results.push({ target: 'kaltura', check, status: 'FAIL', detail: `Kaltura user "${userId}" does not exist`, fix });
        else if (user.status !== 1) results.push({ target: 'kaltura', check, status: 'FAIL', detail: `Kaltura user "${userId}" is ${user.status === 0 ? 'blocked' : 'deleted'}`, fix: `reactivate "${userId}" in KMC, or change accounts[${account.name}].owner.defaultUserId` });
        else results.push({ target: 'kaltura', check, status: 'PASS', detail: `user "${userId}" exists` });
      } catch (err) {
        results.push(kalturaFailure(check, err, `check that the KS user ${config.kaltura.userId} may read users (kaltura.privileges)`));
      }
    }

    const categories = [...new Set([...account.meetings.categories, ...account.webinars.categories])];
    for (const name of categories) {
      const checkName = `category ${name} (${account.name})`;
      try {
        // Full names use ">" between levels; a bare name is tried as a top-level full name first.
        const found = (await sink.findCategoryByFullName(name)) ?? (name.includes('>') ? null : await sink.findCategoryByName(name));
        if (found) results.push({ target: 'kaltura', check: checkName, status: 'PASS', detail: `category id ${found.id} (${found.fullName})` });
        else if (account.categories.createMissing) results.push({ target: 'kaltura', check: checkName, status: 'SKIP', detail: 'missing; zk creates it on first use (categories.createMissing is true)' });
        else
          results.push({
            target: 'kaltura',
            check: checkName,
            status: 'FAIL',
            detail: `category "${name}" not found or not accessible`,
            fix: `create the category in KMC (Categories), fix its name in accounts[${account.name}], or set accounts[${account.name}].categories.createMissing: true`,
          });
      } catch (err) {
        if (err instanceof ZkError && err.code === 'CATEGORY_AMBIGUOUS') {
          results.push({ target: 'kaltura', check: checkName, status: 'FAIL', detail: err.message, fix: `write the category's full path (levels joined by ">") in accounts[${account.name}] instead of its name` });
          continue;
        }
        results.push(kalturaFailure(checkName, err, 'check that the KS (kaltura.userId, kaltura.privileges) may list categories'));
      }
    }
  }
  return results;
}

export function renderChecks(results: CheckResult[]): string {
  const table = formatTable(
    ['TARGET', 'CHECK', 'RESULT', 'DETAIL'],
    results.map((r) => [r.target, r.check, r.status, r.detail]),
  );
  const fixes = results.filter((r) => r.status === 'FAIL' && r.fix).map((r) => `  ${r.target} ${r.check}: ${r.fix}`);
  const failed = results.filter((r) => r.status === 'FAIL').length;
  const summary = failed === 0 ? 'all checks passed' : `${failed} check${failed === 1 ? '' : 's'} failed`;
  return `${table}${fixes.length ? `\nfixes:\n${fixes.join('\n')}\n` : ''}\n${summary}\n`;
}
