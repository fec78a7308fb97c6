/**
 * Zoom email → Kaltura user, shared by the owner and entitlement policies
 * (Kaltura's processZoomUserName + getKalturaUser in ZoomBatchUtils).
 *
 * One matcher lives for one resolve: it memoises every Zoom and Kaltura
 * lookup, so an email that is both host and participant costs one lookup.
 * Across recordings the Kaltura sink reuses answers for kaltura.lookupCacheTtl,
 * so a user blocked or created meanwhile is seen within that time.
 */
import type { AccountConfig } from '../../config/schema.js';
import type { KalturaUser, MediaSink, RecordingSource, ZoomUser } from '../ports.js';

export type OwnerRules = AccountConfig['owner'];

/** Kaltura user status values (KalturaUserStatus). */
export const USER_STATUS = { BLOCKED: 0, ACTIVE: 1, DELETED: 2 } as const;

export type MatchOutcome =
  /** An active Kaltura user: use `id` (Kaltura's spelling of it). */
  | { kind: 'active'; id: string }
  /** A blocked Kaltura user: never owner, never entitled. */
  | { kind: 'blocked'; id: string }
  /** No Kaltura user: `id` is what zk would create (processed name). */
  | { kind: 'unmatched'; id: string };

export interface UserMatcher {
  /** Matches one email under the account's rules. Case-insensitive memo. */
  match(email: string): Promise<MatchOutcome>;
  /** Zoom user by id or email, memoised (null when Zoom does not know it). */
  zoomUser(idOrEmail: string): Promise<ZoomUser | null>;
}

/** The postfix rule: none, add unless already there, remove when there (case-insensitive). */
export function applyPostfix(name: string, mode: OwnerRules['postfixMode'], postfix: string): string {
  if (mode === 'none' || postfix === '') return name;
  const endsWith = name.toLowerCase().endsWith(postfix.toLowerCase());
  if (mode === 'add') return endsWith ? name : name + postfix;
  return endsWith ? name.slice(0, name.length - postfix.length) : name;
}

export function createUserMatcher(source: RecordingSource, sink: MediaSink, rules: OwnerRules): UserMatcher {
  const zoomUsers = new Map<string, Promise<ZoomUser | null>>();
  const outcomes = new Map<string, Promise<MatchOutcome>>();

  function zoomUser(idOrEmail: string): Promise<ZoomUser | null> {
    const key = idOrEmail.toLowerCase();
    let pending = zoomUsers.get(key);
    if (!pending) {
      pending = source.getUser(idOrEmail).then((user) => {
        // The host is fetched by id; remember it by email too so cms matching reuses it.
        if (user?.email) zoomUsers.set(user.email.toLowerCase(), Promise.resolve(user));
        return user;
      });
      zoomUsers.set(key, pending);
    }
    return pending;
  }

  async function processedName(email: string): Promise<string> {
    if (rules.matching === 'cmsUserId') {
      // Kaltura's CMS_MATCHING is its own mode: the postfix rule does not apply.
      const cms = (await zoomUser(email))?.cmsUserId?.trim();
      return cms ? cms : email;
    }
    return applyPostfix(email, rules.postfixMode, rules.postfix);
  }

  async function lookup(email: string): Promise<MatchOutcome> {
    const processed = await processedName(email);
    if (sink.getUserOrSearch) {
      const found = await sink.getUserOrSearch(processed, rules.searchBy === 'email' ? { email } : { externalId: processed });
      const user = live(found.byId) ?? live(found.bySearch);
      if (!user) return { kind: 'unmatched', id: processed };
      return user.status === USER_STATUS.BLOCKED ? { kind: 'blocked', id: user.id } : { kind: 'active', id: user.id };
    }
    let user = live(await sink.getUser(processed));
    if (!user) {
      user = live(
        rules.searchBy === 'email' ? await sink.findUserByEmail(email) : await sink.findUserByExternalId(processed),
      );
    }
    if (!user) return { kind: 'unmatched', id: processed };
    return user.status === USER_STATUS.BLOCKED ? { kind: 'blocked', id: user.id } : { kind: 'active', id: user.id };
  }

  return {
    zoomUser,
    match(email: string): Promise<MatchOutcome> {
      const key = email.toLowerCase();
      let pending = outcomes.get(key);
      if (!pending) {
        pending = lookup(email);
        outcomes.set(key, pending);
      }
      return pending;
    },
  };
}

/** A deleted Kaltura user counts as absent (Kaltura's eSearch only sees ACTIVE and BLOCKED). */
function live(user: KalturaUser | null): KalturaUser | null {
  return user && user.status !== USER_STATUS.DELETED ? user : null;
}
