/**
 * Upload mode: stream Zoom's bytes into a Kaltura upload token in fixed-size
 * chunks with bounded memory (the stream is paused while a chunk is sent, so at
 * most about two chunks are buffered). Progress is durable: the token id is
 * saved before any byte is sent and uploaded_bytes after every chunk. A broken
 * download reopens with Range from the server's contiguous uploadedFileSize; a
 * restart resumes from the token the same way.
 */
import { isRetryable, RetryableError } from '../errors.js';
import type { EngineAccount, EngineContext } from './context.js';
import type { FileRow } from './store-port/files.js';
import type { RecordingRow } from './store-port/recordings.js';
import type { ContentOutcome, UploadTokenState } from './ports.js';
import { uploadFileName } from './entry-fields.js';
import { toZoomFile } from './to-zoom-file.js';

/**
 * addContent (and the parent's category links) to send in one round trip with the final chunk, when the
 * sink can; `outcome` is set when that happened (absent: the caller submits the content itself).
 */
export interface ContentWithFinalChunk {
  entryId: string;
  categoryIds: number[];
  outcome?: ContentOutcome;
}

export const TOKEN_STATUS = { PENDING: 0, PARTIAL_UPLOAD: 1, FULL_UPLOAD: 2, CLOSED: 3, TIMED_OUT: 4, DELETED: 5 } as const;
/** Download reopenings within one attempt before the attempt counts as failed. */
const MAX_REOPENS = 3;

/** Marks errors raised while reading Zoom's stream, which a Range reopen can repair. */
class DownloadBroken extends Error {
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original));
    this.name = 'DownloadBroken';
  }
}

async function usableToken(ctx: EngineContext, acct: EngineAccount, file: FileRow, fresh?: UploadTokenState): Promise<UploadTokenState> {
  // A token zk created (with the entry) in this very step needs no second look.
  if (fresh && fresh.id === file.uploadTokenId && fresh.uploadedFileSize === file.uploadedBytes) return fresh;
  if (file.uploadTokenId) {
    const token = await acct.sink.getUploadToken(file.uploadTokenId);
    if (token && (token.status === TOKEN_STATUS.PENDING || token.status === TOKEN_STATUS.PARTIAL_UPLOAD || token.status === TOKEN_STATUS.FULL_UPLOAD)) {
      return token;
    }
    ctx.log.info('upload token unusable; starting a new one', { account: acct.config.name, fileId: file.id, status: token?.status ?? 'missing' });
  }
  const token = await acct.sink.createUploadToken(uploadFileName(file), file.fileSize);
  ctx.crash('after-token-create', { fileId: file.id });
  ctx.repos.files.update(file.id, 'TRANSFERRING', { uploadTokenId: token.id, uploadedBytes: token.uploadedFileSize });
  ctx.crash('after-token-save', { fileId: file.id });
  return token;
}

/**
 * Uploads the file's remaining bytes; returns the token id, whose uploadedFileSize equals file_size.
 * UPLOAD_TOKEN_CANNOT_RESUME (the token's partial file is unusable, e.g. on another node of a
 * multi-node Kaltura) is answered once per attempt with a new token and the transfer from byte 0.
 */
export async function uploadContent(
  ctx: EngineContext,
  acct: EngineAccount,
  file: FileRow,
  rec: RecordingRow,
  signal?: AbortSignal,
  fresh?: UploadTokenState,
  finish?: ContentWithFinalChunk,
): Promise<string> {
  try {
    return await uploadWithToken(ctx, acct, file, rec, signal, fresh, finish);
  } catch (err) {
    if (!(isRetryable(err) && err.code === 'UPLOAD_TOKEN_CANNOT_RESUME') || signal?.aborted) throw err;
    ctx.log.warn('upload token cannot resume; restarting the transfer with a new token', { account: acct.config.name, fileId: file.id, tokenId: file.uploadTokenId });
    ctx.repos.files.update(file.id, 'TRANSFERRING', { uploadTokenId: null, uploadedBytes: 0 });
    return uploadWithToken(ctx, acct, ctx.repos.files.get(file.id)!, rec, signal, undefined, finish);
  }
}

async function uploadWithToken(
  ctx: EngineContext,
  acct: EngineAccount,
  file: FileRow,
  rec: RecordingRow,
  signal?: AbortSignal,
  fresh?: UploadTokenState,
  finish?: ContentWithFinalChunk,
): Promise<string> {
  let token = await usableToken(ctx, acct, file, fresh);
  let offset = token.uploadedFileSize;
  // Kaltura's latest word on the token: the final chunk's answer carries its status, so no extra read.
  let last: UploadTokenState = token;
  if (offset > file.fileSize) {
    ctx.repos.files.update(file.id, 'TRANSFERRING', { uploadTokenId: null, uploadedBytes: 0 });
    throw new RetryableError(`upload token holds ${offset} bytes, more than the file's ${file.fileSize}`, { code: 'UPLOAD_SIZE_MISMATCH', source: 'zk' });
  }
  let reopens = 0;
  while (offset < file.fileSize) {
    try {
      last = await streamFrom(ctx, acct, file, rec, token.id, offset, signal, finish);
      offset = last.uploadedFileSize;
    } catch (err) {
      if (!(err instanceof DownloadBroken) || signal?.aborted) throw err instanceof DownloadBroken ? err.original : err;
      if (++reopens > MAX_REOPENS) throw err.original;
      const state = await acct.sink.getUploadToken(token.id);
      if (!state) throw new RetryableError('upload token vanished during upload', { code: 'UPLOAD_TOKEN_NOT_FOUND', source: 'kaltura' });
      token = state;
      last = state;
      offset = state.uploadedFileSize;
      ctx.log.info('download broke; resuming from the uploaded size', { account: acct.config.name, fileId: file.id, offset });
    }
  }
  const final = last;
  if (final.uploadedFileSize !== file.fileSize || final.status !== TOKEN_STATUS.FULL_UPLOAD) {
    throw new RetryableError(`upload token not complete (${final.uploadedFileSize} of ${file.fileSize} bytes)`, { code: 'UPLOAD_INCOMPLETE', source: 'kaltura' });
  }
  ctx.repos.files.update(file.id, 'TRANSFERRING', { uploadedBytes: final.uploadedFileSize });
  ctx.crash('after-upload-complete', { fileId: file.id });
  return token.id;
}

/** Streams from `offset` to the end (or until the download breaks); returns the token as the last chunk's answer left it. */
async function streamFrom(
  ctx: EngineContext,
  acct: EngineAccount,
  file: FileRow,
  rec: RecordingRow,
  tokenId: string,
  start: number,
  signal?: AbortSignal,
  finish?: ContentWithFinalChunk,
): Promise<UploadTokenState> {
  const chunkSize = ctx.settings.chunkSizeBytes;
  const size = file.fileSize;
  const fileName = uploadFileName(file);
  // Opening failures are ordinary step failures, already classified by the adapter.
  const download = await acct.source.openDownload(toZoomFile(file, rec), start, signal);
  if (download.offset !== start) {
    download.stream.destroy();
    throw new RetryableError(`download started at ${download.offset}, expected ${start}`, { code: 'DOWNLOAD_RANGE_MISMATCH', source: 'zoom' });
  }
  let pos = start;
  let received = start;
  // Two chunk buffers per transfer: while one chunk uploads, the next fills from the download, so neither
  // side idles (a serial read-then-upload loop left the download stalled for every upload round trip).
  // Buffers are reused, never allocated per chunk: garbage collection was a large share of the CPU.
  // Chunks still go one at a time and in order, so resumeAt is always Kaltura's uploaded size.
  const length = Math.min(chunkSize, size - start);
  const buffers = [Buffer.allocUnsafe(length), Buffer.allocUnsafe(length)];
  let current = 0;
  let filled = 0;
  let chunkIndex = 0;
  let inFlight: Promise<void> | undefined;
  let lastState: UploadTokenState | undefined;

  const send = async (chunk: Buffer) => {
    const finalChunk = pos + chunk.length === size;
    let state: UploadTokenState;
    if (finalChunk && finish && acct.sink.uploadFinalChunkWithContent) {
      ctx.crash('before-add-content', { fileId: file.id });
      const sent = await acct.sink.uploadFinalChunkWithContent(tokenId, chunk, { resume: pos > 0, resumeAt: pos, fileName }, finish.entryId, finish.categoryIds, signal);
      state = sent.token;
      finish.outcome = sent.content;
    } else {
      state = await acct.sink.uploadChunk(tokenId, chunk, { resume: pos > 0, resumeAt: pos, finalChunk, fileName }, signal);
    }
    if (state.uploadedFileSize !== pos + chunk.length) {
      throw new RetryableError(`Kaltura holds ${state.uploadedFileSize} bytes after a chunk ending at ${pos + chunk.length}`, { code: 'UPLOAD_SIZE_MISMATCH', source: 'kaltura' });
    }
    pos = state.uploadedFileSize;
    lastState = state;
    ctx.repos.files.update(file.id, 'TRANSFERRING', { uploadedBytes: pos });
    ctx.observer.bytesTransferred?.({ account: acct.config.name, bytes: chunk.length });
    ctx.repos.files.renewLease(file.id, ctx.owner, ctx.settings.leaseTtlMs);
    ctx.crash('mid-upload', { fileId: file.id, chunk: ++chunkIndex });
  };
  /** Waits for the chunk in flight; its error (if any) is thrown here. */
  const settle = async () => {
    const p = inFlight;
    inFlight = undefined;
    if (p) await p;
  };

  const iterator = download.stream[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await iterator.next();
      } catch (err) {
        throw new DownloadBroken(err);
      }
      if (next.done) break;
      const piece: Buffer = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
      received += piece.length;
      if (received > size) {
        throw new RetryableError(`download is longer than Zoom's file_size ${size}`, { code: 'DOWNLOAD_TOO_LONG', source: 'zoom' });
      }
      for (let at = 0; at < piece.length; ) {
        const buffer = buffers[current];
        const n = Math.min(piece.length - at, buffer.length - filled);
        piece.copy(buffer, filled, at, at + n);
        filled += n;
        at += n;
        if (filled === buffer.length) {
          // The other buffer is free once its chunk is acknowledged; only then may this one go.
          await settle();
          inFlight = send(buffer);
          inFlight.catch(() => undefined); // observed by settle(); avoids an unhandled rejection meanwhile
          current = 1 - current;
          filled = 0;
        }
      }
    }
    await settle();
    if (filled > 0) await send(buffers[current].subarray(0, filled));
  } catch (err) {
    // A chunk still in flight must settle before the caller resumes from Kaltura's uploaded size;
    // an upload error (or a simulated crash) there outranks the download's.
    await settle();
    throw err;
  } finally {
    download.stream.destroy();
  }
  if (pos !== size || !lastState) {
    throw new DownloadBroken(new RetryableError(`download ended at ${pos} of ${size} bytes`, { code: 'DOWNLOAD_SHORT', source: 'zoom' }));
  }
  return lastState;
}
