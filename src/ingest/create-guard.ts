/**
 * A create whose answer was lost (crash, timeout) may still have happened, and
 * Kaltura's lists come from a search index that lags the create by seconds. So
 * zk records "create in flight" (files.create_started_at) before each create,
 * and a lookup that finds nothing while such a record exists is repeated once
 * the index-lag window (kaltura.indexLag) since that create has passed.
 */
import type { EngineContext } from './context.js';
import type { FilePatch, FileRow } from './store-port/files.js';

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
