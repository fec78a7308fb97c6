/**
 * Generated Zoom recordings for load and soak runs: deterministic from a seed,
 * spread evenly over a time range, mostly one MP4 + transcript per meeting,
 * some multi-view. UUIDs are standard base64, so some start with '/' or hold
 * '//' like real ones.
 */
import { createHash } from 'node:crypto';
import type { ZoomSeed, ZoomSeedFile, ZoomSeedMeeting, ZoomSeedUser } from '../zoom/seed-types.js';

export interface GenerateRecordingsOptions {
  count: number;
  /** Range start/end: epoch ms or ISO date-time. */
  from: number | string;
  to: number | string;
  seed?: number;
  /** Size of each MP4 in bytes (M4A is a quarter, transcripts a few KiB). Default 1 MiB. */
  fileSize?: number;
  /** Hosts to spread meetings over; default generatedHosts(20). */
  hosts?: Array<{ id: string; email: string }>;
}

export function generatedHosts(n = 20): Array<ZoomSeedUser & { id: string }> {
  return Array.from({ length: n }, (_, i) => ({
    id: `u-gen-${i}`,
    email: `host${i}@gen.example.edu`,
    firstName: `Host${i}`,
    lastName: 'Generated',
    type: i % 5 === 0 ? 1 : 2,
    status: 'active' as const,
  }));
}

function toMs(v: number | string): number {
  return typeof v === 'number' ? v : Date.parse(v);
}

function isoAt(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function generateRecordings(opts: GenerateRecordingsOptions): ZoomSeedMeeting[] {
  const from = toMs(opts.from);
  const to = toMs(opts.to);
  if (!(to > from)) throw new Error('generateRecordings: `to` must be after `from`');
  const seed = opts.seed ?? 1;
  const size = opts.fileSize ?? 1024 * 1024;
  const hosts = opts.hosts ?? generatedHosts();
  const step = (to - from) / Math.max(1, opts.count);
  const out: ZoomSeedMeeting[] = [];
  for (let i = 0; i < opts.count; i++) {
    const h = createHash('sha256').update(`${seed}:${i}`).digest();
    const uuid = h.subarray(0, 16).toString('base64');
    const start = Math.floor(from + i * step + (h.readUInt16BE(16) / 65536) * step * 0.5);
    const minutes = 10 + (h[18] % 80);
    const host = hosts[h[19] % hosts.length];
    const multiView = h[20] % 7 === 0;
    const fid = (k: string) => `g${seed}-${i}-${k}`;
    const f = (id: string, fileType: string, ext: string, recordingType: string, bytes: number): ZoomSeedFile => ({
      id,
      fileType,
      fileExtension: ext,
      recordingType,
      fileSize: bytes,
      recordingStart: isoAt(start),
      recordingEnd: isoAt(start + minutes * 60_000),
    });
    const files: ZoomSeedFile[] = [f(fid('ssv'), 'MP4', 'MP4', 'shared_screen_with_speaker_view', size)];
    if (multiView) {
      files.push(f(fid('gv'), 'MP4', 'MP4', 'gallery_view', size));
      files.push(f(fid('audio'), 'M4A', 'M4A', 'audio_only', Math.max(1, Math.floor(size / 4))));
    }
    files.push(f(fid('vtt'), 'TRANSCRIPT', 'VTT', 'audio_transcript', 2048 + (h[21] % 64) * 64));
    out.push({
      uuid,
      id: 82_000_000_000 + seed * 1_000_000 + i,
      hostId: host.id,
      hostEmail: host.email,
      topic: `Generated meeting ${i}`,
      type: multiView ? 8 : 2,
      startTime: isoAt(start),
      durationMin: minutes,
      files,
    });
  }
  return out;
}

/** A whole seed: generated hosts plus their recordings. */
export function zoomGeneratedSeed(accountId: string, opts: Omit<GenerateRecordingsOptions, 'hosts'> & { hostCount?: number }): ZoomSeed {
  const users = generatedHosts(opts.hostCount ?? 20);
  return { accountId, users, meetings: generateRecordings({ ...opts, hosts: users.map((u) => ({ id: u.id!, email: u.email })) }) };
}
