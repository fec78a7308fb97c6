/**
 * Categories for the parent entry (as Kaltura's Zoom integration sets them,
 * kaltura/server plugins/vendor/zoom).
 *  - Meetings: accounts[].meetings.categories plus the meeting's tracking
 *    fields KalturaCategory (a name or a path) and KalturaCategoryPath (a path
 *    the name is appended to; a path without a name is ignored).
 *  - Webinars: accounts[].webinars.categories only (Kaltura reads no tracking
 *    fields for webinars).
 * A value containing '>' is a full path, anything else a name. Unlike Kaltura,
 * which skips an unknown category silently, a missing category fails the file
 * with a message saying which value, where it came from and how to fix it,
 * unless categories.createMissing is on.
 */
import type { AccountConfig } from '../../config/schema.js';
import { PermanentError, ZkError, isFatal, isRetryable } from '../../errors.js';
import type { KalturaCategory, MediaSink, ZoomMeetingDetails } from '../ports.js';
import type { Log } from '../../log/port.js';

export const TRACKING_FIELD_CATEGORY = 'KalturaCategory';
export const TRACKING_FIELD_CATEGORY_PATH = 'KalturaCategoryPath';

export interface CategoryRef {
  /** A full path `A>B>C` or a plain name. */
  value: string;
  /** Where the value came from, for error messages: a config key or a tracking field. */
  origin: string;
}

export interface CategoryResolver {
  /** Category ids for the refs, in order, without duplicates. Throws PermanentError CATEGORY_NOT_FOUND or CATEGORY_AMBIGUOUS. */
  resolve(refs: CategoryRef[], account: AccountConfig): Promise<number[]>;
}

/** The category values a recording asks for, with their origins. */
export function categoryRefs(
  account: AccountConfig,
  webinar: boolean,
  meetingId: number,
  details: ZoomMeetingDetails | null,
): CategoryRef[] {
  const kind = webinar ? 'webinars' : 'meetings';
  const refs: CategoryRef[] = account[kind].categories.map((value) => ({
    value: normalise(value),
    origin: `accounts[${account.name}].${kind}.categories`,
  }));
  if (webinar || !details) return refs;

  const name = trackingField(details, TRACKING_FIELD_CATEGORY);
  const path = trackingField(details, TRACKING_FIELD_CATEGORY_PATH);
  if (name) {
    const origin = path
      ? `tracking fields ${TRACKING_FIELD_CATEGORY_PATH} + ${TRACKING_FIELD_CATEGORY} of Zoom meeting ${meetingId}`
      : `tracking field ${TRACKING_FIELD_CATEGORY} of Zoom meeting ${meetingId}`;
    refs.push({ value: normalise(path ? `${path.replace(/>+$/, '')}>${name}` : name), origin });
  }
  return refs.filter((ref) => ref.value !== '');
}

/** Resolved ids are cached for the resolver's life; misses are not, so a category created later is found. */
export function createCategoryResolver(sink: MediaSink, logger: Log): CategoryResolver {
  const cache = new Map<string, Promise<number>>();

  function lookup(value: string): Promise<KalturaCategory | null> {
    return value.includes('>') ? sink.findCategoryByFullName(value) : sink.findCategoryByName(value);
  }

  async function find(ref: CategoryRef, account: AccountConfig): Promise<number> {
    let found: KalturaCategory | null;
    try {
      found = await lookup(ref.value);
    } catch (err) {
      // Never guessed, and never "created missing" (that would add yet another one of that name).
      if (err instanceof ZkError && err.code === 'CATEGORY_AMBIGUOUS') {
        throw new PermanentError(`${err.message}, from ${ref.origin}. Write the full path (levels joined by ">") there instead.`, {
          code: 'CATEGORY_AMBIGUOUS',
          source: 'policy',
          cause: err,
        });
      }
      throw err;
    }
    if (found) return found.id;
    if (!account.categories.createMissing) throw notFound(ref, account);
    return (await create(ref, account)).id;
  }

  async function create(ref: CategoryRef, account: AccountConfig): Promise<KalturaCategory> {
    const segments = ref.value.split('>');
    const name = segments.pop() as string;
    let parentId: number | null = null;
    if (segments.length > 0) {
      const parentPath = segments.join('>');
      const parent = await sink.findCategoryByFullName(parentPath);
      if (!parent) {
        throw new PermanentError(
          `category "${ref.value}" (from ${ref.origin}) does not exist in Kaltura and cannot be created: ` +
            `its parent "${parentPath}" does not exist. Create "${parentPath}" in Kaltura, or correct the value.`,
          { code: 'CATEGORY_NOT_FOUND', source: 'policy' },
        );
      }
      parentId = parent.id;
    }
    try {
      const created = await sink.addCategory(parentId, name);
      logger.info('categories: created missing category', { category: ref.value, categoryId: created.id, origin: ref.origin });
      return created;
    } catch (err) {
      // Created meanwhile by someone else (duplicate): read it back instead of failing.
      if (isRetryable(err) || isFatal(err)) throw err;
      const existing = await lookup(ref.value);
      if (existing) return existing;
      throw err;
    }
  }

  return {
    async resolve(refs, account) {
      const ids: number[] = [];
      for (const ref of refs) {
        // Per account: createMissing and the error message's config keys are per account.
        const key = `${account.name}|${ref.value.includes('>') ? 'path' : 'name'}:${ref.value.toLowerCase()}`;
        let pending = cache.get(key);
        if (!pending) {
          pending = find(ref, account);
          cache.set(key, pending);
          // Concurrent resolves share one lookup; a failure is forgotten so the next file retries it.
          pending.catch(() => cache.delete(key));
        }
        const id = await pending;
        if (!ids.includes(id)) ids.push(id);
      }
      return ids;
    },
  };
}

function notFound(ref: CategoryRef, account: AccountConfig): PermanentError {
  const kind = ref.value.includes('>') ? 'full path' : 'name';
  return new PermanentError(
    `category "${ref.value}" (${kind}, from ${ref.origin}) does not exist in Kaltura. ` +
      `Create it in Kaltura, correct ${ref.origin}, or set accounts[${account.name}].categories.createMissing: true.`,
    { code: 'CATEGORY_NOT_FOUND', source: 'policy' },
  );
}

/** Trims the value and each path segment ("A > B" means "A>B"). */
function normalise(value: string): string {
  return value
    .split('>')
    .map((segment) => segment.trim())
    .join('>');
}

/** Tracking-field value by name, tolerant of the name's case (it is typed by a Zoom admin). */
function trackingField(details: ZoomMeetingDetails, field: string): string {
  const lower = field.toLowerCase();
  const key = Object.keys(details.trackingFields).find((k) => k.toLowerCase() === lower);
  return key === undefined ? '' : (details.trackingFields[key] ?? '').trim();
}
