/**
 * Aborting a Zoom download: the GET runs over node:http (src/zoom/download.ts),
 * so the caller's AbortSignal must reach the request both before the response
 * and mid-body. A file large enough never to sit whole in socket buffers comes
 * from the bench's in-memory file server, over real HTTP.
 */
import { afterEach, expect, it } from '@jest/globals';
import { RetryableError } from '../../src/errors.js';
import type { ZoomRecordingFile } from '../../src/ingest/ports.js';
import { startLoopbackEndpoints, type LoopbackEndpoints } from '../../src/bench/loopback-endpoints.js';
import { createZoomSource } from '../../src/zoom/index.js';

const SIZE = 256 * 1024 * 1024;
let endpoints: LoopbackEndpoints | undefined;
afterEach(async () => {
  await endpoints?.close();
  endpoints = undefined;
});

async function setup(): Promise<{ file: ZoomRecordingFile; source: ReturnType<typeof createZoomSource> }> {
  endpoints = await startLoopbackEndpoints({ sliceBytes: 64 * 1024 });
  const source = createZoomSource({
    account: 'main',
    apiUrl: endpoints.fileUrl,
    oauthUrl: endpoints.oauthUrl,
    credentials: { accountId: 'a', clientId: 'c', clientSecret: 's' },
    backoff: { baseMs: 5, maxMs: 20 },
  });
  const file: ZoomRecordingFile = {
    id: 'f-big',
    meetingUuid: 'u==',
    recordingStart: '2024-11-30T10:00:00Z',
    recordingEnd: '2024-11-30T11:00:00Z',
    fileType: 'MP4',
    fileExtension: 'MP4',
    fileSize: SIZE,
    recordingType: 'shared_screen_with_speaker_view',
    status: 'completed',
    downloadUrl: `${endpoints.fileUrl}/${SIZE}`,
  };
  return { file, source };
}

it('an abort mid-body ends the stream with a classified error, well before the end of the file', async () => {
  const { file, source } = await setup();
  const ac = new AbortController();
  const dl = await source.openDownload(file, 0, ac.signal);
  let bytes = 0;
  let error: unknown;
  try {
    for await (const c of dl.stream) {
      bytes += (c as Buffer).length;
      if (!ac.signal.aborted) ac.abort(new Error('stop'));
    }
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(RetryableError);
  expect((error as RetryableError).code).toBe('ZOOM_DOWNLOAD_BROKEN');
  expect(bytes).toBeLessThan(SIZE / 4);
});

it('an abort before the response rejects the open with the signal reason', async () => {
  const { file, source } = await setup();
  const ac = new AbortController();
  const reason = new Error('shutting down');
  const opening = source.openDownload(file, 0, ac.signal);
  ac.abort(reason);
  await expect(opening).rejects.toBe(reason);
});
