/**
 * Captions (TRANSCRIPT, CC) and chat go onto the segment's parent entry as
 * assets. Each is added only when the parent has no usable asset with that
 * label or filename, so a crash after "added" and before "recorded" never
 * duplicates it, and one after "added" but before "content set" never counts
 * an empty asset as held.
 */
import { PermanentError, RetryableError } from '../errors.js';
import type { EngineAccount, EngineContext } from './context.js';
import type { FileRow } from './store-port/files.js';
import type { RecordingRow } from './store-port/recordings.js';
import { toZoomFile } from './to-zoom-file.js';
import { assetKindOf, assetNameOf, checkAssetIn, checkAssetState, type AssetCheck } from './asset-check.js';
import type { KalturaAssetState } from './ports.js';
import { lookupSeeingInFlight, markCreateInFlight } from './create-guard.js';

/** Captions and chat are small; anything larger is not what Zoom produces (default of global.maxTextAssetMb). */
export const MAX_TEXT_BYTES = 20 * 1024 * 1024;

export async function downloadText(ctx: EngineContext, acct: EngineAccount, file: FileRow, rec: RecordingRow, signal?: AbortSignal): Promise<{ text: string; bytes: number }> {
  const limit = ctx.settings.maxCaptionBytes;
  if (file.fileSize > limit) throw new PermanentError(`text file of ${file.fileSize} bytes exceeds the ${limit}-byte limit`, { code: 'TEXT_TOO_LARGE', source: 'zk' });
  // Zoom's file_size of a text file is not exact, and it may come without Content-Length:
  // take whatever length it serves, bounded by the cap (global.maxTextAssetMb).
  const download = await acct.source.openDownload(toZoomFile(file, rec), 0, signal, { anyLength: true });
  const parts: Buffer[] = [];
  let bytes = 0;
  try {
    for await (const piece of download.stream) {
      const buf = Buffer.isBuffer(piece) ? piece : Buffer.from(piece as Uint8Array);
      bytes += buf.length;
      if (bytes > limit) throw new PermanentError(`text file exceeds the ${limit}-byte limit`, { code: 'TEXT_TOO_LARGE', source: 'zk' });
      parts.push(buf);
    }
  } catch (err) {
    if (err instanceof PermanentError) throw err;
    throw new RetryableError(`text download broke: ${(err as Error).message}`, { code: 'DOWNLOAD_BROKEN', source: 'zoom', cause: err });
  } finally {
    download.stream.destroy();
  }
  if (download.contentLength >= 0 && bytes !== download.contentLength) {
    // Fewer bytes than the answer announced: the body broke off.
    throw new RetryableError(`text download has ${bytes} bytes, the answer announced ${download.contentLength}`, { code: 'DOWNLOAD_BROKEN', source: 'zoom' });
  }
  if (bytes === 0) throw new RetryableError('text download was empty', { code: 'DOWNLOAD_EMPTY', source: 'zoom' });
  return { text: Buffer.concat(parts, bytes).toString('utf8'), bytes };
}

export interface AssetResult {
  assetId: string;
  bytes: number;
  /** What was verified (recorded as the HANDLED reason). */
  verified: string;
}

/**
 * Adds the caption or chat to the parent entry exactly once, and returns only
 * when Kaltura reports it READY with the bytes zk sent. An asset of the same
 * name that is empty, errored or of the wrong size (a crash between add and
 * setContent, a failed import) is deleted and the asset created again; a second
 * good copy (a duplicate from before) is deleted too.
 */
export async function ensureAsset(ctx: EngineContext, acct: EngineAccount, file: FileRow, rec: RecordingRow, parentEntryId: string, signal?: AbortSignal): Promise<AssetResult> {
  const kind = assetKindOf(file);
  const name = assetNameOf(file, rec);
  // The bytes zk sends are the UTF-8 of the text (what Kaltura stores): the yardstick for any asset found or added.
  const { text } = await downloadText(ctx, acct, file, rec, signal);
  const bytes = Buffer.byteLength(text, 'utf8');
  const list = async () => (await acct.sink.listAssets(kind, parentEntryId)).filter((a) => a.name === name);
  const nonEmpty = async () => {
    const l = await list();
    return l.length > 0 ? l : null;
  };
  const found = (await lookupSeeingInFlight(ctx, file.id, `${kind} "${name}"`, nonEmpty, signal)) ?? [];
  let kept: AssetResult | undefined;
  for (const a of found) {
    const check = checkAssetState(a, bytes);
    if (check.ok && !kept) {
      kept = { assetId: a.id, bytes, verified: check.detail };
      continue;
    }
    ctx.log.warn(check.ok ? 'duplicate asset removed' : 'unusable asset removed before adding it again', { account: acct.config.name, fileId: file.id, entryId: parentEntryId, assetId: a.id, detail: check.detail });
    await acct.sink.deleteAsset(kind, a.id);
    ctx.crash('after-asset-delete', { fileId: file.id });
  }
  if (kept) return kept;

  markCreateInFlight(ctx, file);
  let added: KalturaAssetState;
  if (kind === 'caption') {
    added = await acct.sink.addCaption(parentEntryId, { label: name, language: acct.config.transcripts.language, format: 'WEBVTT', content: text });
    ctx.crash('after-caption-add', { fileId: file.id });
  } else {
    added = await acct.sink.addTextAttachment(parentEntryId, { filename: name, title: `Zoom chat (${rec.recordingStart})`, content: text });
    ctx.crash('after-attachment-add', { fileId: file.id });
  }
  // HANDLED only on Kaltura's word (its setContent answer) that the asset is READY with these bytes; if not,
  // the retry finds the asset by name and completes or replaces it.
  const check = checkAssetState(added, bytes);
  if (!check.ok) throw new RetryableError(`${kind} asset not held after adding it: ${check.detail}`, { code: 'ASSET_NOT_READY', source: 'kaltura' });
  return { assetId: added.id, bytes, verified: check.detail };
}

/** Whether the file's asset is on the parent entry right now, READY with Zoom's bytes (checked before deleting from Zoom). */
export async function checkAsset(acct: EngineAccount, file: FileRow, rec: RecordingRow, parentEntryId: string): Promise<AssetCheck> {
  const kind = assetKindOf(file);
  const expected = file.ingestedSize ?? file.fileSize;
  return checkAssetIn(await acct.sink.listAssets(kind, parentEntryId), assetNameOf(file, rec), file.kalturaAssetId, expected, parentEntryId);
}
