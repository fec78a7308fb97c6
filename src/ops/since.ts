/** `--since 7d` (relative to now) or `--since 2024-05-01[T10:00:00Z]` (absolute, UTC when no zone). */
import { parseDuration } from '../util/duration.js';
import { usageError } from './usage.js';

const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Milliseconds epoch of the start of the range; throws a usage error naming the value. */
export function parseSince(text: string, now: number): number {
  const ms = parseDuration(text);
  if (ms !== undefined) return now - ms;
  if (ISO.test(text)) {
    // A date or zone-less time is read as UTC, like every other time zk prints.
    const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(text) && text.length > 10;
    const parsed = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : hasZone ? text : `${text.replace(' ', 'T')}Z`);
    if (!Number.isNaN(parsed)) return parsed;
  }
  throw usageError(
    `invalid --since value "${text}": use a duration such as 30m, 12h, 7d or 2w, or a UTC date/time such as 2024-05-01 or 2024-05-01T10:00:00Z`,
  );
}
