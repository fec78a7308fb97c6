/**
 * Co-editors, co-publishers and co-viewers (Kaltura's handleParticipants in
 * kaltura/server plugins/vendor/zoom). Differences from Kaltura, on purpose:
 *  - coViewer is honoured for alternative hosts and co-hosts (Kaltura ignores
 *    it for hosts), and every source may use every mode;
 *  - co-hosts and participants are read for the recorded instance (UUID), not
 *    the numeric id that returns the latest occurrence of a recurring meeting;
 *    webinar panelists belong to the webinar and are read by its numeric ID;
 *  - the participant report is read to the last page (the source does that).
 * Kept from Kaltura: with owner.matching "cmsUserId" the participant lookup is
 * disabled (participants are never fetched), because each participant would
 * cost one Zoom user lookup for its cms_user_id.
 *
 * A source whose mode is "ignore" costs no Zoom call. A source that fails
 * permanently (e.g. the dashboard metrics are not part of the Zoom plan) is
 * logged and skipped: missing co-viewers must not keep a recording out of
 * Kaltura. A missing scope for co-hosts or participants/panelists degrades
 * that feature for the account (feature-health.ts) instead of halting it.
 * Other retryable and fatal errors propagate.
 */
import type { AccountConfig, PermissionMode } from '../../config/schema.js';
import { isPermanent } from '../../errors.js';
import type { RecordingSource, ZoomMeeting, ZoomMeetingDetails } from '../ports.js';
import type { FeatureHealth, OptionalFeature } from '../feature-health.js';
import type { Log } from '../../log/port.js';
import type { UserMatcher } from './user-match.js';

export interface Entitlements {
  edit: string[];
  publish: string[];
  view: string[];
}

export interface EntitlementInput {
  meeting: ZoomMeeting;
  webinar: boolean;
  account: AccountConfig;
  ownerId?: string;
  source: RecordingSource;
  matcher: UserMatcher;
  /** The meeting's settings, fetched at most once per resolve and shared with categories. */
  details(): Promise<ZoomMeetingDetails | null>;
  logger: Log;
  /** Where a missing scope for an optional source is recorded; without it such an error propagates. */
  features?: FeatureHealth;
}

type PermissionSource = keyof AccountConfig['permissions'];

export async function resolveEntitlements(input: EntitlementInput): Promise<Entitlements> {
  const { account, meeting, webinar, source } = input;
  const modes = account.permissions;
  const participantsMode: PermissionMode = account.owner.matching === 'cmsUserId' ? 'ignore' : modes.participants;

  const fetchers: Array<[PermissionSource, PermissionMode, () => Promise<string[]>]> = [
    ['alternativeHosts', modes.alternativeHosts, async () => (await input.details())?.alternativeHosts ?? []],
    ['coHosts', modes.coHosts, () => source.listCohostEmails(meeting.uuid, webinar)],
    // A webinar's "participants" are its panelists, listed by the numeric webinar ID (a UUID is a 404 there).
    ['participants', participantsMode, () => source.listParticipantEmails(webinar ? String(meeting.id) : meeting.uuid, webinar)],
  ];

  const lists = { edit: new IdList(), publish: new IdList(), view: new IdList() };
  for (const [name, mode, fetch] of fetchers) {
    if (mode === 'ignore') continue;
    const emails = await fetchEmails(name, fetch, input, featureOf(name, webinar));
    for (const id of await entitledIds(emails, input)) {
      for (const list of targets(mode)) lists[list].add(id);
    }
  }
  return { edit: lists.edit.values(), publish: lists.publish.values(), view: lists.view.values() };
}

/** Which entitlement lists a mode writes. */
export function targets(mode: PermissionMode): Array<keyof Entitlements> {
  switch (mode) {
    case 'coViewer':
      return ['view'];
    case 'coPublisher':
      return ['publish'];
    case 'coEditor':
      return ['edit'];
    case 'coEditorCoPublisher':
      return ['edit', 'publish'];
    default:
      return [];
  }
}

/** The optional feature behind a permission source (alternative hosts come with the meeting details, which are not optional). */
function featureOf(name: PermissionSource, webinar: boolean): OptionalFeature | undefined {
  if (name === 'coHosts') return 'coHosts';
  if (name === 'participants') return webinar ? 'panelists' : 'participants';
  return undefined;
}

async function fetchEmails(name: PermissionSource, fetch: () => Promise<string[]>, input: EntitlementInput, feature?: OptionalFeature): Promise<string[]> {
  try {
    const emails = await fetch();
    if (feature) input.features?.ok(feature);
    return emails;
  } catch (err) {
    if (feature && input.features?.degrade(feature, err)) {
      input.logger.warn('permissions: source skipped, its scope is missing', { meetingUuid: input.meeting.uuid, source: name, feature });
      return [];
    }
    if (!isPermanent(err)) throw err;
    input.logger.warn('permissions: source unavailable, skipped', {
      meetingUuid: input.meeting.uuid,
      ...(input.webinar ? { webinarId: input.meeting.id } : {}),
      source: name,
      code: err.code,
      status: err.status,
    });
    return [];
  }
}

/** Emails → Kaltura ids: de-duplicated, matched like the owner; owner, blocked and (unless creating) unmatched users dropped. */
async function entitledIds(emails: string[], input: EntitlementInput): Promise<string[]> {
  const owner = input.ownerId?.toLowerCase();
  const keepUnmatched = input.account.owner.onNoMatch === 'create';
  const ids = new IdList();
  const seen = new Set<string>();
  for (const raw of emails) {
    const email = raw.trim();
    const key = email.toLowerCase();
    if (email === '' || seen.has(key)) continue;
    seen.add(key);
    const outcome = await input.matcher.match(email);
    if (outcome.kind === 'blocked') continue;
    if (outcome.kind === 'unmatched' && !keepUnmatched) continue;
    // Kaltura creates unknown entitled users itself when the entry is saved.
    if (outcome.id.toLowerCase() === owner) continue;
    ids.add(outcome.id);
  }
  return ids.values();
}

/** Insertion-ordered, case-insensitively unique list of ids. */
class IdList {
  private readonly byKey = new Map<string, string>();
  add(id: string): void {
    const key = id.toLowerCase();
    if (!this.byKey.has(key)) this.byKey.set(key, id);
  }
  values(): string[] {
    return [...this.byKey.values()];
  }
}
