/**
 * The crash test's world: the sandbox plus 40+ generated meetings with every
 * file kind zk handles (multi-view segments, audio_only, interpretation tracks,
 * an M4A of a type zk does not know, transcripts, chat, CC listed without an
 * id), on a Kaltura that answers slowly, moderates new entries and whose index
 * lags media.add. Also: the invariants the crash test asserts at the end.
 */
import { contentKindForExtension, contentText } from '../../src/sandbox/content.js';
import { ZOOM_DEMO_USERS } from '../../src/sandbox/seed/zoom-demo.js';
import type { ZoomSeedFile, ZoomSeedMeeting } from '../../src/sandbox/zoom/seed-types.js';
import { assertExactlyOnce, world, type FileRowLite, type World } from './harness.js';
import type { KalturaDeployment } from '../../src/sandbox/kaltura/deployment.js';

const KIB = 1024;

function isoAt(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Deterministic meetings (no randomness: the seed varies the kill moments, not the data). */
export function crashMeetings(count: number, now: number, first = 0): ZoomSeedMeeting[] {
  const hosts = [ZOOM_DEMO_USERS.alice, ZOOM_DEMO_USERS.bob, ZOOM_DEMO_USERS.carol];
  const out: ZoomSeedMeeting[] = [];
  for (let i = first; i < first + count; i++) {
    const start = Math.floor(now / 60_000) * 60_000 - (2 * 3_600_000 + i * 45 * 60_000) % (40 * 3_600_000);
    const end = start + 30 * 60_000;
    const f = (k: string, fileType: string, ext: string, recordingType: string, size: number, extra: Partial<ZoomSeedFile> = {}): ZoomSeedFile => ({
      id: `cr${i}-${k}`,
      fileType,
      fileExtension: ext,
      recordingType,
      fileSize: size,
      recordingStart: isoAt(start),
      recordingEnd: isoAt(end),
      ...extra,
    });
    // Every 4th main view spans several upload chunks (1 MiB), so kills land between chunks.
    const files: ZoomSeedFile[] = [f('ssv', 'MP4', 'MP4', 'shared_screen_with_speaker_view', i % 4 === 0 ? 2 * 1024 * KIB + 333 + i : 40 * KIB + 17 * i)];
    if (i % 3 === 0) {
      files.push(f('gv', 'MP4', 'MP4', 'gallery_view', 24 * KIB + i));
      files.push(f('sv', 'MP4', 'MP4', 'speaker_view', 20 * KIB + i));
      files.push(f('audio', 'M4A', 'M4A', 'audio_only', 8 * KIB + i));
    }
    if (i % 5 === 1) {
      files.push(f('int1', 'M4A', 'M4A', 'audio_interpretation', 9 * KIB + i));
      files.push(f('int2', 'M4A', 'M4A', 'audio_interpretation', 9 * KIB + 7 + i));
    }
    if (i % 11 === 4) files.push(f('odd', 'M4A', 'M4A', 'audio_mystery_track', 7 * KIB + i));
    if (i % 4 !== 3) files.push(f('vtt', 'TRANSCRIPT', 'VTT', 'audio_transcript', 2 * KIB + 31 * i));
    if (i % 2 === 0) files.push(f('chat', 'CHAT', 'TXT', 'chat_file', 700 + 13 * i));
    // As the 2023 spec shows CC: no id, no status, no size → zk keys it synthetically and must never delete by it.
    // CC listed without an id: zk keys it synthetically ("CC:<start>") and must never send a DELETE with that.
    if (i % 7 === 2) files.push({ ...f('cc', 'CC', 'VTT', 'closed_caption', 3 * KIB + i, { omitId: true }), id: undefined });
    const host = hosts[i % hosts.length];
    out.push({
      uuid: `crashUuid${i}==`,
      id: 83_000_000_000 + i,
      hostId: host.id!,
      hostEmail: host.email,
      topic: `Crash test meeting ${i}`,
      type: 2,
      startTime: isoAt(start),
      durationMin: 30,
      files,
    });
  }
  return out;
}

export interface CrashWorldOptions {
  transferMode: 'upload' | 'url';
  meetings: number;
  slowMs: number;
  /** A Kaltura deployment mode on top of the slow, moderating, lagging Kaltura (ZK_CRASH_KALTURA). */
  kalturaDeployment?: KalturaDeployment;
}

/** The deployment modes `ZK_CRASH_KALTURA=<name>` picks for the crash test (the same as `zk sandbox`'s flags). */
export const CRASH_DEPLOYMENTS: Record<string, KalturaDeployment> = {
  'no-esearch': { noESearch: 'missing' },
  'esearch-forbidden': { noESearch: 'forbidden' },
  'drop-source-flavor': { dropSourceFlavor: true },
  'virus-scan': { virusScan: { infected: '^EICAR' } },
  'ready-at-add': { readyAtAdd: true },
};

export async function crashWorld(opts: CrashWorldOptions): Promise<World> {
  const w = await world({
    transferMode: opts.transferMode,
    kalturaDeployment: opts.kalturaDeployment,
    deleteEnabled: true,
    deleteDelay: '0s',
    mutate: (raw) => {
      // Longer than the sandbox's index lag below: a lookup after a killed create waits it out.
      raw.kaltura.indexLag = '400ms';
      // Many files in flight at once, so kills interrupt several transfers and asset creations together.
      raw.global.concurrency = { transfers: 8, perAccount: 8 };
    },
  });
  for (const m of crashMeetings(opts.meetings, w.clock.now())) w.sandbox.zoom.state.addMeeting(m);
  w.sandbox.kaltura.setFaults({ slowMs: opts.slowMs, entryModeration: true, indexLagMs: 250 });
  return w;
}

/** Every column of the row; the crash verdict reads more of them than the shared harness type holds. */
interface Row extends FileRowLite {
  recording_type: string;
  recording_id: number;
  kaltura_asset_id: string | null;
  last_error: string | null;
  zoom_status: string;
}

function rows(w: World): Row[] {
  const db = w.db();
  try {
    return db.prepare('SELECT * FROM files ORDER BY id').all() as Row[];
  } finally {
    db.close();
  }
}

export interface CrashVerdict {
  files: number;
  purged: number;
  zoomDeletes: number;
  interpretationChildren: number;
}

/**
 * After the last run: nothing duplicated, everything in Kaltura READY with its
 * bytes, nothing empty, and no Zoom delete before its Kaltura copy was READY.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function assertCrashSafe(w: World, expect: (v: unknown) => any): Promise<CrashVerdict> {
  await assertExactlyOnce(w, expect);
  const all = rows(w);
  const entries = w.sandbox.kaltura.state.entries();
  const entryById = new Map(entries.map((e) => [e.id, e]));
  const live = entries.filter((e) => e.status !== 3);

  // Nothing failed or stuck (the demo set's still-processing files wait); a file without a Zoom id stays in Zoom as HANDLED, never deleted.
  const stuck = all.filter(
    (r) => !['PURGED', 'IGNORED'].includes(r.state) && !(r.state === 'HANDLED' && r.zoom_file_id.includes(':')) && !(r.state === 'DETECTED' && r.zoom_status === 'processing'),
  );
  expect(stuck.map((r) => ({ id: r.id, file: r.zoom_file_id, state: r.state, error: r.last_error }))).toEqual([]);

  // No entry or asset left empty.
  for (const e of live.filter((x) => x.referenceId?.startsWith('zk:'))) {
    expect({ entry: e.id, status: e.status, hasContent: !!e.content }).toEqual({ entry: e.id, status: 2, hasContent: true });
  }
  for (const e of live) {
    for (const a of [...e.captions, ...e.attachments]) {
      expect({ entry: e.id, asset: a.id, status: a.status, empty: !a.content }).toEqual({ entry: e.id, asset: a.id, status: 2, empty: false });
    }
  }

  const meetings = w.sandbox.zoom.state.snapshot().meetings;
  const zoomFile = (r: Row) => {
    const files = meetings.find((m) => m.uuid === r.meeting_uuid)?.files ?? [];
    // A file listed without an id is found by its type (one CC per meeting here).
    return r.zoom_file_id.includes(':') ? files.find((f) => f.fileType === 'CC') : files.find((f) => f.id === r.zoom_file_id);
  };
  const zoomState = (r: Row) => zoomFile(r)?.state;
  // Every caption and chat is on its parent entry, READY, holding exactly Zoom's text.
  for (const r of all.filter((x) => x.role === 'caption' || x.role === 'attachment')) {
    const entry = entryById.get(r.kaltura_entry_id ?? '');
    const asset = [...(entry?.captions ?? []), ...(entry?.attachments ?? [])].find((a) => a.id === r.kaltura_asset_id);
    const kind = contentKindForExtension(r.file_extension);
    const want = kind === 'binary' ? '' : contentText(zoomFile(r)?.id ?? r.zoom_file_id, r.file_size, kind);
    expect({ file: r.zoom_file_id, status: asset?.status, same: asset?.content === want }).toEqual({ file: r.zoom_file_id, status: 2, same: true });
  }

  // Interpretation tracks are child audio entries of the segment's parent; unknown audio stays in Zoom.
  const byRecording = new Map<number, Row[]>();
  for (const r of all) byRecording.set(r.recording_id, [...(byRecording.get(r.recording_id) ?? []), r]);
  let interpretationChildren = 0;
  for (const r of all.filter((x) => x.recording_type === 'audio_interpretation')) {
    const parent = byRecording.get(r.recording_id)!.find((s) => s.role === 'parent');
    const e = entryById.get(r.kaltura_entry_id ?? '');
    expect({ file: r.zoom_file_id, role: r.role, parentEntryId: e?.parentEntryId, mediaType: e?.mediaType }).toEqual({
      file: r.zoom_file_id, role: 'child', parentEntryId: parent?.kaltura_entry_id, mediaType: 5,
    });
    interpretationChildren++;
  }
  const keptInZoom = all.filter((x) => x.recording_type === 'audio_mystery_track' || x.zoom_file_id.includes(':'));
  for (const r of keptInZoom) expect({ file: r.zoom_file_id, zoom: zoomState(r) }).toEqual({ file: r.zoom_file_id, zoom: 'live' });

  // Ordering: every Zoom DELETE came after Kaltura reported the file's copy READY; none used a made-up id.
  const deletes = w.sandbox.zoom.state.fileDeleteRequests();
  const rowByFile = new Map(all.map((r) => [r.zoom_file_id, r]));
  for (const d of deletes) {
    const r = rowByFile.get(d.fileId);
    expect({ delete: d.fileId, known: !!r, synthetic: d.fileId.includes(':') }).toEqual({ delete: d.fileId, known: true, synthetic: false });
    if (!r) continue;
    let readyAt: number | undefined;
    if (r.role === 'parent' || r.role === 'child') readyAt = entryById.get(r.kaltura_entry_id ?? '')?.readyAt;
    else if (r.role === 'caption' || r.role === 'attachment') {
      const e = entryById.get(r.kaltura_entry_id ?? '');
      readyAt = [...(e?.captions ?? []), ...(e?.attachments ?? [])].find((a) => a.id === r.kaltura_asset_id)?.readyAt;
    } else if (r.role === 'covered') {
      const parent = byRecording.get(r.recording_id)!.find((s) => s.role === 'parent');
      readyAt = entryById.get(parent?.kaltura_entry_id ?? '')?.readyAt;
    }
    expect({ delete: d.fileId, role: r.role, readyBeforeDelete: readyAt !== undefined && readyAt <= d.at }).toEqual({ delete: d.fileId, role: r.role, readyBeforeDelete: true });
  }
  return { files: all.length, purged: all.filter((r) => r.state === 'PURGED').length, zoomDeletes: deletes.length, interpretationChildren };
}
