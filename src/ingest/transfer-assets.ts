/**
 * Captions (TRANSCRIPT, CC) and chat go onto the segment's parent entry as
 * assets. Each is added only when the parent has no asset with that label or
 * filename, so a crash after "added" and before "recorded" never duplicates it.
 */
import { PermanentError, RetryableError } from '../errors.js';
import type { EngineAccount, EngineContext } from './context.js';
import type { FileRow } from '../store/files-repo.js';
import type { RecordingRow } from '../store/recordings-repo.js';
import { captionLabel, chatFilename } from './entry-fields.js';
import { toZoomFile } from './segment-policy.js';

/** Captions and chat are small; anything larger is not what Zoom produces. */
export const MAX_TEXT_BYTES = 20 * 1024 * 1024;

export async function downloadText(ctx: EngineContext, acct: EngineAccount, file: FileRow, rec: RecordingRow, signal?: AbortSignal): Promise<{ text: string; bytes: number }> {
  const limit = ctx.settings.maxCaptionBytes;
  if (file.fileSize > limit) throw new PermanentError(`text file of ${file.fileSize} bytes exceeds the ${limit}-byte limit`, { code: 'TEXT_TOO_LARGE', source: 'zk' });
  const download = await acct.source.openDownload(toZoomFile(file, rec), 0, signal);
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
  if (file.fileSize > 0 && bytes !== file.fileSize) {
    throw new RetryableError(`text download has ${bytes} bytes, Zoom reported ${file.fileSize}`, { code: 'DOWNLOAD_SIZE_MISMATCH', source: 'zoom' });
  }
  return { text: Buffer.concat(parts, bytes).toString('utf8'), bytes };
}

export interface AssetResult {
  assetId: string;
  bytes: number | null;
}

export async function ensureCaption(ctx: EngineContext, acct: EngineAccount, file: FileRow, rec: RecordingRow, parentEntryId: string, signal?: AbortSignal): Promise<AssetResult> {
  const label = captionLabel(file.fileType);
  const existing = (await acct.sink.listCaptionLabels(parentEntryId)).find((c) => c.label === label);
  if (existing) return { assetId: existing.id, bytes: null };
  const { text, bytes } = await downloadText(ctx, acct, file, rec, signal);
  const assetId = await acct.sink.addCaption(parentEntryId, {
    label,
    language: acct.config.transcripts.language,
    format: 'WEBVTT',
    content: text,
  });
  ctx.crash('after-caption-add', { fileId: file.id });
  return { assetId, bytes };
}

export async function ensureChat(ctx: EngineContext, acct: EngineAccount, file: FileRow, rec: RecordingRow, parentEntryId: string, signal?: AbortSignal): Promise<AssetResult> {
  const filename = chatFilename(rec.meetingId);
  const existing = (await acct.sink.listAttachmentFilenames(parentEntryId)).find((a) => a.filename === filename);
  if (existing) return { assetId: existing.id, bytes: null };
  const { text, bytes } = await downloadText(ctx, acct, file, rec, signal);
  const assetId = await acct.sink.addTextAttachment(parentEntryId, { filename, title: `Zoom chat (${rec.recordingStart})`, content: text });
  ctx.crash('after-attachment-add', { fileId: file.id });
  return { assetId, bytes };
}

/** Whether the file's asset is present on the parent entry right now (checked before deleting from Zoom). */
export async function assetPresent(acct: EngineAccount, file: FileRow, rec: RecordingRow, parentEntryId: string): Promise<boolean> {
  if (file.role === 'caption') {
    const label = captionLabel(file.fileType);
    return (await acct.sink.listCaptionLabels(parentEntryId)).some((c) => c.label === label && (!file.kalturaAssetId || c.id === file.kalturaAssetId));
  }
  const filename = chatFilename(rec.meetingId);
  return (await acct.sink.listAttachmentFilenames(parentEntryId)).some((a) => a.filename === filename && (!file.kalturaAssetId || a.id === file.kalturaAssetId));
}
