/**
 * Issue 22: a crash during adoption is recovered like any other step. The
 * compiled daemon is SIGKILLed at the adoption crash points (after the
 * lookups, before the segment decision or the file's HANDLED write), restarted
 * until settled: every file is in Kaltura exactly once and trashed from Zoom.
 */
import { afterEach, expect, test } from '@jest/globals';
import { contentKindForExtension, contentSha256, contentText } from '../../src/sandbox/content.js';
import { fileRows, runBinary, statesOf, world, type World } from './harness.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const ACTIVE = ['PENDING', 'TRANSFERRING', 'IMPORTING', 'RETRY_WAIT', 'PURGE_PENDING'];

test.each(['before-segment-adoption-write', 'before-adoption-write', 'before-adoption-write:4'])('SIGKILL at %s, restart: every file once, adopted ones not uploaded', async (point) => {
  w = await world({ zoomIntegration: true, deleteEnabled: true, deleteDelay: '0s' });
  w.sandbox.zoom.state.completeProcessing();
  const configFile = w.writeConfig();
  const crashed = await runBinary(configFile, { ZK_CRASH_AT: point });
  expect(crashed.signal).toBe('SIGKILL');
  for (let i = 0; i < 15; i++) {
    const r = await runBinary(configFile);
    expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
    if (!fileRows(w).some((f) => ACTIVE.includes(f.state))) break;
    await new Promise((r2) => setTimeout(r2, 100));
  }
  expect(statesOf(w).FAILED ?? 0).toBe(0);
  const db = w.db();
  const adopted = (db.prepare("SELECT COUNT(*) AS n FROM file_adoptions WHERE outcome = 'adopted'").get() as { n: number }).n;
  db.close();
  expect(adopted).toBe(7);
  const ready = w.sandbox.kaltura.state.entries().filter((e) => e.status === 2);
  for (const r of fileRows(w)) {
    if (!['parent', 'child', 'caption', 'attachment'].includes(r.role ?? '')) continue;
    expect({ id: r.zoom_file_id, state: r.state }).toEqual({ id: r.zoom_file_id, state: 'PURGED' });
    let copies: number;
    if (r.role === 'caption' || r.role === 'attachment') {
      const text = contentText(r.zoom_file_id, r.file_size, r.role === 'caption' ? 'vtt' : 'txt');
      copies = ready.flatMap((e) => (r.role === 'caption' ? e.captions : e.attachments)).filter((a) => a.content === text).length;
    } else {
      const sha = await contentSha256(r.zoom_file_id, r.file_size, contentKindForExtension(r.file_extension));
      copies = ready.filter((e) => e.content?.sha256 === sha).length;
    }
    expect({ id: r.zoom_file_id, copies }).toEqual({ id: r.zoom_file_id, copies: 1 });
  }
  const uploads = w.sandbox.kaltura.state.snapshot().uploadTokens.map((t) => t.fileName ?? '');
  for (const id of ['f-lab-ssv', 'f-lab-sv', 'f-oh-1-sv', 'f-web-as', 'f-phone-audio']) expect(uploads.filter((n) => n.includes(id))).toEqual([]);
});
