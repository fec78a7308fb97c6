/**
 * What every RecordingSource (src/ingest/ports.ts) must do, stated once through the port, in the
 * spirit of rclone's backend tests. A fixture supplies the implementation plus a small control
 * surface (the truth to compare with, and a way to inject a failure); the cases never reach past
 * the port into the implementation. Run by zoom-source.contract.test.ts on every Zoom sandbox mode.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { FatalError, PermanentError, RetryableError } from '../../src/errors.js';
import type { DateWindow, RecordingSource, ZoomRecordingFile } from '../../src/ingest/ports.js';
import { rejection } from '../helpers/async.js';

/** Which request a scripted failure hits. */
export type ZoomFaultTarget = 'listing' | 'download' | 'users' | 'token' | 'delete';

export interface ZoomSourceFixture {
  /** Built with a small page size (listings span several pages) and fast retries (at most `maxRetries`). */
  source: RecordingSource;
  maxRetries: number;
  /** A window holding several pages of meetings. */
  window: DateWindow;
  /** Truth: uuid → ids of the meeting's live files, for every meeting with recordings in `window`. */
  truth(): Map<string, string[]>;
  /** sha256 of the bytes the file holds. */
  sha256(file: ZoomRecordingFile): Promise<string>;
  /** 'live' | 'trashed' | 'deleted' as the remote now holds the file. */
  fileState(meetingUuid: string, fileId: string): string | undefined;
  /** The next `count` requests of `target` fail with this HTTP status (or a dropped connection). */
  failNext(target: ZoomFaultTarget, status: number | 'reset', count: number, extra?: { code?: number; rateLimitType?: string; retryAfterMs?: number }): void;
  /** Like failNext('listing', ...), armed only once the first listing page has been answered. */
  failListingAfterFirstPage(status: number, count: number): void;
  /** The app loses these granular scopes (Zoom answers 4711 to calls that need one of them). */
  withholdScopes(scopes: string[]): void;
  /** The account's outstanding access tokens become invalid. */
  revokeTokens(): void;
  /** A meeting of `window` with a completed MP4 file, and a user that exists. */
  known: { meetingUuid: string; videoFileId: string; textFileId: string; userEmail: string };
  close(): Promise<void>;
}

/** Answers that differ between deployments (sandbox modes) of the same port. */
export interface ZoomModeAnswers {
  /** false when the CDN sends no Content-Length for media files: an exact-length download cannot be proved and is refused. */
  mediaLengthKnown: boolean;
  /** false when text files come without Content-Length: an any-length download reports -1. */
  textLengthKnown: boolean;
}


async function drain(stream: NodeJS.ReadableStream, hash = createHash('sha256')): Promise<{ bytes: number; hash: ReturnType<typeof createHash> }> {
  let bytes = 0;
  for await (const c of stream) {
    hash.update(c as Buffer);
    bytes += (c as Buffer).length;
  }
  return { bytes, hash };
}

export function describeZoomSourceContract(name: string, make: () => Promise<ZoomSourceFixture>, answers: ZoomModeAnswers): void {
  describe(`RecordingSource contract: ${name}`, () => {
    let fx: ZoomSourceFixture;
    beforeEach(async () => {
      fx = await make();
    });
    afterEach(async () => {
      await fx.close();
    });

    const fileOf = async (uuid: string, fileId: string): Promise<ZoomRecordingFile> => {
      const m = await fx.source.getMeetingRecordings(uuid);
      const f = m?.files.find((x) => x.id === fileId);
      if (!f) throw new Error(`fixture: no file ${fileId} in ${uuid}`);
      return f;
    };

    describe('listRecordings', () => {
      it('returns every meeting of the window across pages, each once, with every live file', async () => {
        const meetings = await fx.source.listRecordings(fx.window);
        const got = new Map(meetings.map((m) => [m.uuid, m.files.map((f) => f.id).sort()]));
        expect(got.size).toBe(meetings.length);
        const truth = new Map([...fx.truth()].map(([uuid, ids]) => [uuid, [...ids].sort()]));
        expect(got).toEqual(truth);
      });

      it('a listing that keeps failing is an error, never "no recordings"', async () => {
        fx.failNext('listing', 500, fx.maxRetries + 1);
        const err = await rejection(fx.source.listRecordings(fx.window));
        expect(err).toBeInstanceOf(RetryableError);
      });

      it('a failure after the first page is an error, never a partial list', async () => {
        fx.failListingAfterFirstPage(503, fx.maxRetries + 1);
        const err = await rejection(fx.source.listRecordings(fx.window));
        expect(err).toBeInstanceOf(RetryableError);
      });

      it('a transient failure is retried and the answer is complete', async () => {
        fx.failNext('listing', 502, 1);
        const meetings = await fx.source.listRecordings(fx.window);
        expect(meetings.length).toBe(fx.truth().size);
      });

      it('a daily limit is retryable, carries its wait, and pauses the account', async () => {
        fx.failNext('listing', 429, fx.maxRetries + 1, { rateLimitType: 'Daily-limit', retryAfterMs: 6 * 3600_000 });
        const err = (await rejection(fx.source.listRecordings(fx.window))) as RetryableError;
        expect(err).toBeInstanceOf(RetryableError);
        expect(err.retryAfterMs).toBeGreaterThan(60_000);
        expect(err.pausesAccount).toBe(true);
      });

      it('a withheld listing scope is fatal (the operator must fix the app), never empty', async () => {
        fx.withholdScopes(['cloud_recording:read:list_account_recordings:admin', 'cloud_recording:read:list_account_recordings:master']);
        const err = await rejection(fx.source.listRecordings(fx.window));
        expect(err).toBeInstanceOf(FatalError);
      });

      it('refuses a window Zoom would silently clamp (longer than a month)', async () => {
        const err = await rejection(fx.source.listRecordings({ from: '2024-01-01', to: '2024-11-30' }));
        expect(err).toBeInstanceOf(PermanentError);
      });

      it('a refused (revoked) token is refreshed once and the call succeeds', async () => {
        await fx.source.listRecordings(fx.window);
        fx.revokeTokens();
        expect((await fx.source.listRecordings(fx.window)).length).toBe(fx.truth().size);
      });
    });

    describe('getMeetingRecordings', () => {
      it('returns the instance with its files, and null for an instance Zoom does not know', async () => {
        const m = await fx.source.getMeetingRecordings(fx.known.meetingUuid);
        expect(m?.uuid).toBe(fx.known.meetingUuid);
        expect(m?.files.map((f) => f.id)).toContain(fx.known.videoFileId);
        expect(await fx.source.getMeetingRecordings('nOsUcHmEeTiNg000000000==')).toBeNull();
      });
    });

    describe('openDownload', () => {
      if (answers.mediaLengthKnown) {
        it('streams the exact bytes of the file, from 0 and from an offset', async () => {
          const file = await fileOf(fx.known.meetingUuid, fx.known.videoFileId);
          const whole = await fx.source.openDownload(file, 0);
          expect(whole).toMatchObject({ offset: 0, contentLength: file.fileSize });
          const all = await drain(whole.stream);
          expect(all.bytes).toBe(file.fileSize);
          expect(all.hash.digest('hex')).toBe(await fx.sha256(file));

          // First part then the rest from an offset: together the same bytes.
          const cut = Math.floor(file.fileSize / 3);
          const hash = createHash('sha256');
          const head = await fx.source.openDownload(file, 0);
          let taken = 0;
          for await (const c of head.stream) {
            const buf = c as Buffer;
            const part = buf.subarray(0, Math.min(buf.length, cut - taken));
            hash.update(part);
            taken += part.length;
            if (taken >= cut) break;
          }
          const rest = await fx.source.openDownload(file, cut);
          expect(rest).toMatchObject({ offset: cut, contentLength: file.fileSize - cut });
          const tail = await drain(rest.stream, hash);
          expect(cut + tail.bytes).toBe(file.fileSize);
          expect(tail.hash.digest('hex')).toBe(await fx.sha256(file));
        });

        it('a connection dropped mid-body errors the stream as retryable, never ends it short', async () => {
          const file = await fileOf(fx.known.meetingUuid, fx.known.videoFileId);
          fx.failNext('download', 'reset', 1);
          const dl = await fx.source.openDownload(file, 0);
          const err = await rejection(drain(dl.stream));
          expect(err).toBeInstanceOf(RetryableError);
        });
      } else {
        it('refuses a download whose length it cannot check (retryable), never streams an unproven file', async () => {
          const file = await fileOf(fx.known.meetingUuid, fx.known.videoFileId);
          const err = await rejection(fx.source.openDownload(file, 0));
          expect(err).toBeInstanceOf(RetryableError);
          expect((err as RetryableError).code).toBe('ZOOM_SIZE_MISMATCH');
        });
      }

      it(`an any-length download of a text file reports ${answers.textLengthKnown ? 'its length' : 'an unknown length (-1)'} and streams every byte`, async () => {
        const file = await fileOf(fx.known.meetingUuid, fx.known.textFileId);
        const dl = await fx.source.openDownload(file, 0, undefined, { anyLength: true });
        const got = await drain(dl.stream);
        if (answers.textLengthKnown) expect(dl.contentLength).toBe(got.bytes);
        else expect(dl.contentLength).toBe(-1);
        expect(got.bytes).toBeGreaterThan(0);
      });

      it('a file that is no longer there is refused (retryable), never streamed as an HTML page', async () => {
        const file = await fileOf(fx.known.meetingUuid, fx.known.videoFileId);
        expect(await fx.source.deleteRecordingFile(fx.known.meetingUuid, file.id, 'trash')).toBe('removed');
        const err = await rejection(fx.source.openDownload(file, 0));
        expect(err).toBeInstanceOf(RetryableError);
      });

      it('a length that does not match the listed size is refused (retryable)', async () => {
        const file = await fileOf(fx.known.meetingUuid, fx.known.videoFileId);
        const err = await rejection(fx.source.openDownload({ ...file, fileSize: file.fileSize + 1 }, 0));
        expect(err).toBeInstanceOf(RetryableError);
      });
    });

    describe('downloadAccess', () => {
      it('gives the download URL with the token in a header, never in the URL', async () => {
        const file = await fileOf(fx.known.meetingUuid, fx.known.videoFileId);
        const access = await fx.source.downloadAccess(file);
        expect(access.url).toBe(file.downloadUrl);
        expect(new URL(access.url).search).not.toMatch(/token/i);
        expect(access.headers).toEqual([expect.stringMatching(/^Authorization: Bearer \S+$/)]);
      });
    });

    describe('deleteRecordingFile', () => {
      it("answers 'removed' for a live file (which is then trashed), 'absent' once it is gone", async () => {
        const { meetingUuid, videoFileId } = fx.known;
        expect(fx.fileState(meetingUuid, videoFileId)).toBe('live');
        expect(await fx.source.deleteRecordingFile(meetingUuid, videoFileId, 'trash')).toBe('removed');
        expect(fx.fileState(meetingUuid, videoFileId)).toBe('trashed');
        expect(await fx.source.deleteRecordingFile(meetingUuid, videoFileId, 'trash')).toBe('absent');
        expect(await fx.source.deleteRecordingFile(meetingUuid, 'no-such-file', 'trash')).toBe('absent');
      });

      it('a server error is an error (retryable), never read as removed or absent', async () => {
        fx.failNext('delete', 500, fx.maxRetries + 1);
        const err = await rejection(fx.source.deleteRecordingFile(fx.known.meetingUuid, fx.known.videoFileId, 'trash'));
        expect(err).toBeInstanceOf(RetryableError);
        expect(fx.fileState(fx.known.meetingUuid, fx.known.videoFileId)).toBe('live');
      });
    });

    describe('users and errors', () => {
      it('finds a user by email; an unknown user is null, not an error', async () => {
        expect((await fx.source.getUser(fx.known.userEmail))?.email).toBe(fx.known.userEmail);
        expect(await fx.source.getUser('nobody-here@example.edu')).toBeNull();
      });

      it('every failure arrives as a classified ZkError: retryable, permanent or fatal', async () => {
        fx.failNext('users', 503, fx.maxRetries + 1);
        const retry = await rejection(fx.source.getUser(fx.known.userEmail));
        expect(retry).toBeInstanceOf(RetryableError);

        fx.failNext('users', 'reset', fx.maxRetries + 1);
        const reset = await rejection(fx.source.getUser(fx.known.userEmail));
        expect(reset).toBeInstanceOf(RetryableError);

        fx.failNext('token', 400, 1, { code: 4702 });
        fx.revokeTokens();
        const fatal = await rejection(fx.source.getUser(fx.known.userEmail));
        expect(fatal).toBeInstanceOf(FatalError);

        fx.withholdScopes(['user:read:user:admin']);
        const scope = await rejection(fx.source.getUser(fx.known.userEmail));
        expect(scope).toBeInstanceOf(FatalError);
      });
    });
  });
}
