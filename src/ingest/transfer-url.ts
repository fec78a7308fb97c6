/**
 * URL mode: Kaltura fetches Zoom's download URL itself, with the Authorization
 * header from the source (tokens only in headers). Access is fetched fresh on
 * every attempt, so a retry after ERROR_IMPORTING uses a new token.
 */
import type { EngineAccount, EngineContext } from './context.js';
import type { FileRow } from './store-port/files.js';
import type { RecordingRow } from './store-port/recordings.js';
import { toZoomFile } from './to-zoom-file.js';

export async function submitUrl(ctx: EngineContext, acct: EngineAccount, file: FileRow, rec: RecordingRow, entryId: string): Promise<void> {
  const access = await acct.source.downloadAccess(toZoomFile(file, rec));
  ctx.crash('before-add-content', { fileId: file.id });
  await acct.sink.addContentFromUrl(entryId, access.url, access.headers);
  ctx.crash('after-add-content', { fileId: file.id });
}
