/**
 * Deterministic file bytes for the sandboxes: any (fileId, size) always gives
 * the same bytes, generated on the fly from any offset, so multi-GB files cost
 * no memory and tests can compare sha256 without storing anything.
 *
 * Binary bytes come from one precomputed block of prime length, read with a
 * per-file phase: byte i of a file is BLOCK[(phase + i) mod P]. A prime length
 * means no power-of-two chunking lines up with the block, so chunks delivered
 * out of order (or twice) change the hash.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

/** Largest prime below 64 KiB. */
const BLOCK_LEN = 65_521;
/** Bytes pushed per read() call; Readable's highWaterMark gives the backpressure. */
const CHUNK = 64 * 1024;

export type ContentKind = 'binary' | 'vtt' | 'txt' | 'json';

/** The block is a pure function of a constant, computed once per call site that needs it. */
function makeBlock(): Buffer {
  const block = Buffer.alloc(BLOCK_LEN);
  let filled = 0;
  let counter = 0;
  while (filled < BLOCK_LEN) {
    const digest = createHash('sha256').update(`zk-sandbox-block:${counter++}`).digest();
    filled += digest.copy(block, filled, 0, Math.min(digest.length, BLOCK_LEN - filled));
  }
  return block;
}

// A frozen constant (not mutable state): every caller sees identical bytes.
const BLOCK: Buffer = makeBlock();

function phaseOf(fileId: string, size: number): number {
  return createHash('sha256').update(`${fileId}:${size}`).digest().readUInt32BE(0) % BLOCK_LEN;
}

/** Fills `out` with the binary bytes of the file starting at `offset`. */
function fillBinary(out: Buffer, phase: number, offset: number): void {
  let pos = (phase + (offset % BLOCK_LEN)) % BLOCK_LEN;
  let written = 0;
  while (written < out.length) {
    const n = Math.min(out.length - written, BLOCK_LEN - pos);
    BLOCK.copy(out, written, pos, pos + n);
    written += n;
    pos = 0;
  }
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

function stamp(totalSec: number, ms = 0): string {
  return `${two(Math.floor(totalSec / 3600))}:${two(Math.floor(totalSec / 60) % 60)}:${two(totalSec % 60)}.${String(ms).padStart(3, '0')}`;
}

const SPEAKERS = ['Alice Adams', 'Bob Brown', 'Erin Evans', 'Frank Fisher'];
const LINES = [
  'Good morning everyone, let us get started.',
  'Can you all see my screen?',
  'The results from last week look promising.',
  'I will share the slides after the meeting.',
  'Any questions before we move on?',
  'Let us pick this up again next week.',
];

/** Builds text parts until the next one would exceed `size`, then pads with `pad` to exactly `size` bytes. */
function sized(head: string, part: (i: number) => string, tail: string, pad: string, size: number): Buffer {
  let text = head;
  for (let i = 0; ; i++) {
    const next = part(i);
    if (text.length + next.length + tail.length > size || i > 1_000_000) break;
    text += next;
  }
  text += tail;
  if (text.length > size) return Buffer.from(text.slice(0, size), 'ascii');
  return Buffer.from(text + pad.repeat(size - text.length), 'ascii');
}

function textBytes(kind: Exclude<ContentKind, 'binary'>, fileId: string, size: number): Buffer {
  const seed = phaseOf(fileId, size);
  const speaker = (i: number) => SPEAKERS[(seed + i) % SPEAKERS.length];
  const line = (i: number) => LINES[(seed + i * 7) % LINES.length];
  switch (kind) {
    case 'vtt':
      // Valid WEBVTT: header, numbered cues; trailing blank lines are allowed.
      return sized('WEBVTT\n\n', (i) => `${i + 1}\n${stamp(i * 4)} --> ${stamp(i * 4 + 3, 500)}\n${speaker(i)}: ${line(i)}\n\n`, '', '\n', size);
    case 'txt':
      return sized('', (i) => `${stamp(i * 9).slice(0, 8)} From ${speaker(i)} to Everyone:\n\t${line(i)}\n`, '', '\n', size);
    case 'json': {
      // Whitespace after the closing brace keeps it valid JSON at any padding.
      return sized(`{"file":"${fileId.replace(/[^A-Za-z0-9_-]/g, '')}","items":[`, (i) => `${i ? ',' : ''}{"ts":"${stamp(i * 30)}","text":"${line(i)}"}`, ']}', ' ', size);
    }
  }
}

function clampRange(size: number, start: number, end: number | undefined): [number, number] {
  const s = Math.max(0, Math.min(start, size));
  const e = end === undefined ? size - 1 : Math.min(end, size - 1);
  return [s, e];
}

/**
 * Streams bytes [start, end] (inclusive, like HTTP Range) of the file.
 * Binary files never hold more than one chunk; text files are small by design.
 */
export function contentStream(fileId: string, size: number, start = 0, end?: number, kind: ContentKind = 'binary'): Readable {
  const [s, e] = clampRange(size, start, end);
  if (kind !== 'binary') {
    return Readable.from(e >= s ? [textBytes(kind, fileId, size).subarray(s, e + 1)] : [], { objectMode: false });
  }
  const phase = phaseOf(fileId, size);
  let pos = s;
  return new Readable({
    highWaterMark: CHUNK,
    read() {
      if (pos > e) {
        this.push(null);
        return;
      }
      const n = Math.min(CHUNK, e - pos + 1);
      const buf = Buffer.allocUnsafe(n);
      fillBinary(buf, phase, pos);
      pos += n;
      this.push(buf);
    },
  });
}

/** Exact bytes of a whole text file (sandbox helpers and tests). */
export function contentText(fileId: string, size: number, kind: Exclude<ContentKind, 'binary'>): string {
  return textBytes(kind, fileId, size).toString('ascii');
}

export async function contentSha256(fileId: string, size: number, kind: ContentKind = 'binary'): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of contentStream(fileId, size, 0, undefined, kind)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Which generator a Zoom file extension uses. */
export function contentKindForExtension(ext: string): ContentKind {
  switch (ext.toUpperCase()) {
    case 'VTT':
      return 'vtt';
    case 'TXT':
      return 'txt';
    case 'JSON':
      return 'json';
    default:
      return 'binary';
  }
}
