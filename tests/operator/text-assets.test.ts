/**
 * Issue 17 item 6, end to end: transcripts, captions and chats are ingested at
 * whatever length Zoom serves, when its listed file_size is off and when the
 * answer has no Content-Length; what zk records is the bytes it downloaded.
 */
import { afterEach, expect, test } from '@jest/globals';
import type { ZoomFaults } from '../../src/sandbox/zoom/server.js';
import { world, type World } from './world.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

interface TextRow {
  type: string;
  state: string;
  fileSize: number;
  ingested: number | null;
  error: string | null;
}

function textRows(w: World): TextRow[] {
  const db = w.db();
  try {
    return db
      .prepare("SELECT file_type AS type, state, file_size AS fileSize, ingested_size AS ingested, last_error AS error FROM files WHERE file_type IN ('TRANSCRIPT', 'CC', 'CHAT')")
      .all() as TextRow[];
  } finally {
    db.close();
  }
}

test.each<[string, ZoomFaults]>([
  ['listed larger than served', { textSizeSkew: 37 }],
  ['listed smaller than served', { textSizeSkew: -11 }],
  ['served without Content-Length', { omitContentLength: 'text' }],
  ['listed smaller and served without Content-Length', { textSizeSkew: -11, omitContentLength: 'text' }],
])('text files %s are ingested once, with the bytes zk downloaded', async (_label, faults) => {
  w = await world();
  w.sandbox.zoom.setFaults(faults);
  await w.runDaemon();
  const rows = textRows(w);
  expect(rows.length).toBeGreaterThan(2);
  for (const r of rows.filter((x) => x.state !== 'IGNORED')) {
    expect(r).toMatchObject({ state: 'HANDLED', error: null });
    expect(r.ingested).toBeGreaterThan(0);
    if (faults.textSizeSkew) expect(r.ingested).toBe(r.fileSize - faults.textSizeSkew);
  }
  // The caption assets in Kaltura hold exactly the bytes zk downloaded.
  const db = w.db();
  const handled = db.prepare("SELECT kalturaAssetId, ingested FROM (SELECT kaltura_asset_id AS kalturaAssetId, ingested_size AS ingested FROM files WHERE file_type IN ('TRANSCRIPT', 'CC') AND state = 'HANDLED')").all() as Array<{ kalturaAssetId: string; ingested: number }>;
  db.close();
  const captions = new Map(w.sandbox.kaltura.state.entries().flatMap((e) => e.captions).map((c) => [c.id, c]));
  expect(handled.length).toBeGreaterThan(0);
  for (const h of handled) expect(Buffer.byteLength(captions.get(h.kalturaAssetId)?.content ?? '')).toBe(h.ingested);
});
