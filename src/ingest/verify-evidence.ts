/**
 * What proves that a Kaltura entry holds a Zoom file, on every deployment. Pure: the caller reads the
 * entry and its flavors and says what zk itself recorded; this decides. Exported for every path that
 * must trust an entry (verification, the purge re-check, adopting entries made by others).
 *
 * Evidence, strongest first:
 * 1. The source flavor is READY: its size must match Zoom's file_size (exact with `sizeInBytes`,
 *    within 1 KiB with `size`, which is KB). A mismatch is never "try again": an operator reviews it.
 * 2. The source flavor is absent or not READY (profiles that drop the source after conversion, or
 *    never ready it), but at least one flavor is READY:
 *    - upload mode: zk's own record that the upload token held every byte and addContent took it;
 *    - url mode: the entry's measured duration against the Zoom recording's, within a tolerance.
 * Nothing else counts; in particular the entry status alone never proves content.
 */
import { entryStatusInfo } from './entry-status.js';
import { kalturaSizeAgrees } from './kaltura-size.js';
import type { FlavorInfo, KalturaEntry } from './ports.js';

const FLAVOR_READY = 2;

export type EvidenceKind = 'source-size' | 'upload-token' | 'duration';

export interface ContentRecord {
  /** Zoom's file_size in bytes. */
  fileSize: number;
  /** zk recorded that its upload token held every byte and Kaltura's addContent took that token. */
  uploadComplete: boolean;
  /** Zoom's recording_end - recording_start for the file, when known. */
  zoomDurationMs?: number;
}

export interface EvidenceOptions {
  /** How far Kaltura's measured duration may be from Zoom's (kaltura.verification.durationTolerance). */
  durationToleranceMs: number;
}

export type EntryVerdict =
  | { ok: true; size: number; by: EvidenceKind; detail: string }
  | {
      ok: false;
      /**
       * missing: no live entry; no-content: nothing READY to check yet; in-progress: importing or converting;
       * moderation: held for moderation; import-error / conversion-error: Kaltura failed the content;
       * infected: the virus scan found malware; review: an operator must look (a size mismatch, no
       * evidence, a blocked entry, a failed scan or an unknown status).
       */
      kind: 'missing' | 'no-content' | 'in-progress' | 'moderation' | 'import-error' | 'conversion-error' | 'infected' | 'review';
      detail: string;
      /** Set for review verdicts: SIZE_MISMATCH, NO_EVIDENCE or ENTRY_<status name>. */
      code?: string;
      /** Kaltura's own message for a conversion error (from the errored flavor), when it gave one. */
      kalturaMessage?: string;
    };

function sizeMatches(f: FlavorInfo, expected: number): { known: boolean; ok: boolean; bytes: number; text: string } {
  if (f.sizeInBytes !== undefined) return { known: true, ok: kalturaSizeAgrees(f.sizeInBytes, true, expected), bytes: f.sizeInBytes, text: `${f.sizeInBytes} bytes` };
  if (f.sizeKb !== undefined) {
    const bytes = f.sizeKb * 1024;
    return { known: true, ok: kalturaSizeAgrees(bytes, false, expected), bytes, text: `${f.sizeKb} KB` };
  }
  return { known: false, ok: false, bytes: 0, text: 'no size' };
}

export function judgeEntry(entryId: string, entry: KalturaEntry | null, flavors: readonly FlavorInfo[], record: ContentRecord, opts: EvidenceOptions): EntryVerdict {
  if (!entry) return { ok: false, kind: 'missing', detail: `entry ${entryId} does not exist` };
  const status = entryStatusInfo(entry.status);
  const where = `entry ${entryId} (status ${String(entry.status)}, ${status.name})`;
  switch (status.decision) {
    case 'deleted':
      return { ok: false, kind: 'missing', detail: `entry ${entryId} does not exist (status ${String(entry.status)}, deleted)` };
    case 'import-error':
      return { ok: false, kind: 'import-error', detail: `entry ${entryId} failed to import in Kaltura (${status.name}, status ${String(entry.status)})` };
    case 'conversion-error': {
      const message = flavors.find((f) => f.status === -1 && f.description)?.description;
      // Named as a conversion failure, never as a bare "status -1".
      return { ok: false, kind: 'conversion-error', detail: `entry ${entryId} failed to convert in Kaltura (${status.name}, status ${String(entry.status)})${message ? `: ${message}` : ''}`, kalturaMessage: message };
    }
    case 'infected':
      return { ok: false, kind: 'infected', detail: `${where}: Kaltura's virus scan found the content infected` };
    case 'review':
      return { ok: false, kind: 'review', code: `ENTRY_${status.name.replace(/\W+/g, '_').toUpperCase()}`, detail: `${where} needs an operator` };
    case 'in-progress':
      return { ok: false, kind: 'in-progress', detail: `${where} is still being processed` };
    case 'moderation':
      return { ok: false, kind: 'moderation', detail: `${where} is held for moderation` };
    case 'no-content':
      return { ok: false, kind: 'no-content', detail: `${where} holds no content` };
    case 'ready':
      break;
  }
  const source = flavors.find((f) => f.isOriginal);
  if (source && source.status === FLAVOR_READY) {
    const size = sizeMatches(source, record.fileSize);
    if (size.known) {
      if (size.ok) return { ok: true, size: size.bytes, by: 'source-size', detail: `${where}: source flavor holds ${size.text} (Zoom: ${record.fileSize} bytes)` };
      return { ok: false, kind: 'review', code: 'SIZE_MISMATCH', detail: `${where}: source flavor holds ${size.text}, Zoom reported ${record.fileSize} bytes` };
    }
  }
  const ready = flavors.filter((f) => f.status === FLAVOR_READY);
  // A READY entry without a READY flavor (a draft, or one whose flavors are still converting) proves nothing yet.
  if (ready.length === 0) return { ok: false, kind: 'no-content', detail: `${where} has no READY flavor` };
  const why = source ? `source flavor ${source.id} is not READY (status ${source.status})` : 'the source flavor is absent';
  if (record.uploadComplete) {
    return { ok: true, size: record.fileSize, by: 'upload-token', detail: `${where}: ${why}; zk's upload token held all ${record.fileSize} bytes and Kaltura took it; ${ready.length} READY flavor(s)` };
  }
  if (entry.msDuration !== undefined && record.zoomDurationMs !== undefined) {
    const diff = Math.abs(entry.msDuration - record.zoomDurationMs);
    const text = `Kaltura measured ${entry.msDuration} ms, Zoom recorded ${record.zoomDurationMs} ms (tolerance ${opts.durationToleranceMs} ms)`;
    if (diff <= opts.durationToleranceMs) return { ok: true, size: record.fileSize, by: 'duration', detail: `${where}: ${why}; ${text}` };
    return { ok: false, kind: 'review', code: 'DURATION_MISMATCH', detail: `${where}: ${why}; ${text}` };
  }
  return { ok: false, kind: 'review', code: 'NO_EVIDENCE', detail: `${where}: ${why}, and zk holds no other evidence (no completed upload, no duration to compare)` };
}
