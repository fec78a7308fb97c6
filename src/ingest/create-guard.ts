/**
 * A create whose answer was lost (crash, timeout) may still have happened, and
 * Kaltura's lists come from a search index that lags the create by seconds. So
 * zk records "create in flight" (files.create_started_at) before each create,
 * and a lookup that finds nothing while such a record exists is repeated once
 * the index-lag window (kaltura.indexLag) since that create has passed.
 */
import type { EngineContext } from './context.js';
import type { FilePatch, FileRow } from './store-port/files.js';
import type { KalturaEntry } from './ports.js';

/**
 * zk's referenceId lookup for a file, already made in the same round trip as another read (adoption's
 * media.list) during this step. It stands in for the first lookup only: a create still follows a real
 * Kaltura read made moments before, and an index-lag re-check reads again.
 */
export interface OwnLookup {
  referenceId: string;
  entry: KalturaEntry | null;
}

/** Where a step leaves an OwnLookup for the create that follows it (one per file step, never kept). */
export interface OwnLookupSlot {
  value?: OwnLookup;
}

/** A lookup that answers once from `slot` when it holds `referenceId`'s answer (and empties it), else asks `fresh`. */
export function firstFromSlot(slot: OwnLookupSlot | undefined, referenceId: string, fresh: () => Promise<KalturaEntry | null>): () => Promise<KalturaEntry | null> {
  return async () => {
    const held = slot?.value;
    if (slot) slot.value = undefined;
    return held && held.referenceId === referenceId ? held.entry : fresh();
  };
}

/** Records, before calling Kaltura, that a create for `file` is in flight. */
export function markCreateInFlight(ctx: EngineContext, file: Pick<FileRow, 'id' | 'state'>, also: FilePatch = {}): void {
  ctx.repos.files.update(file.id, file.state, { ...also, createStartedAt: ctx.clock.now() });
}

/**
 * Runs `lookup`; when it finds nothing and a create for this file was in flight
 * less than kaltura.indexLag ago, waits out the rest of that window and looks again.
 */
export async function lookupSeeingInFlight<T>(
  ctx: EngineContext,
  fileId: number,
  what: string,
  lookup: () => Promise<T | null | undefined>,
  signal?: AbortSignal,
): Promise<T | null> {
  const found = await lookup();
  if (found) return found;
  const startedAt = ctx.repos.files.get(fileId)?.createStartedAt ?? null;
  if (startedAt === null) return null;
  const wait = startedAt + ctx.settings.indexLagMs - ctx.clock.now();
  if (wait <= 0) return null;
  ctx.log.info('a create was in flight: waiting out the Kaltura index lag before looking again', { fileId, what, waitMs: wait });
  await ctx.clock.sleep(wait, signal);
  return (await lookup()) ?? null;
}
