/**
 * Streaming multipart/form-data parser: file parts go straight to disk so a
 * multi-MB chunk is held in memory at most once (as it arrives), never whole.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { UploadedFile } from './params.js';

export interface MultipartResult {
  fields: Array<[string, string]>;
  files: Array<[string, UploadedFile]>;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_TEXT_PART = 64 * 1024 * 1024;

interface Part {
  name: string;
  filename?: string;
  text?: Buffer[];
  textSize: number;
  fh?: FileHandle;
  path?: string;
  size: number;
}

function parseDisposition(headerBlock: string): { name: string; filename?: string } {
  let name = '';
  let filename: string | undefined;
  for (const line of headerBlock.split('\r\n')) {
    if (!/^content-disposition:/i.test(line)) continue;
    const n = /\bname="([^"]*)"/i.exec(line) ?? /\bname=([^;\s]+)/i.exec(line);
    const f = /\bfilename="([^"]*)"/i.exec(line) ?? /\bfilename=([^;\s]+)/i.exec(line);
    if (n) name = n[1];
    if (f) filename = f[1];
  }
  return { name, filename };
}

export async function parseMultipart(body: Readable, boundary: string, tmpDir: string): Promise<MultipartResult> {
  const opening = Buffer.from(`--${boundary}`);
  const delim = Buffer.from(`\r\n--${boundary}`);
  const result: MultipartResult = { fields: [], files: [] };
  let state: 'preamble' | 'after' | 'headers' | 'body' | 'done' = 'preamble';
  let buf: Buffer = Buffer.alloc(0);
  let part: Part | undefined;

  const write = async (data: Buffer) => {
    if (!part || data.length === 0) return;
    part.size += data.length;
    if (part.fh) {
      await part.fh.write(data);
    } else {
      part.textSize += data.length;
      if (part.textSize > MAX_TEXT_PART) throw new Error('multipart text part too large');
      part.text!.push(data);
    }
  };
  const finish = async () => {
    if (!part) return;
    if (part.fh) {
      await part.fh.close();
      result.files.push([part.name, { path: part.path!, filename: part.filename ?? '', size: part.size }]);
    } else {
      result.fields.push([part.name, Buffer.concat(part.text!).toString('utf8')]);
    }
    part = undefined;
  };

  try {
    for await (const chunk of body) {
      buf = buf.length === 0 ? (chunk as Buffer) : Buffer.concat([buf, chunk as Buffer]);
      let progress = true;
      while (progress && state !== 'done') {
        progress = false;
        if (state === 'preamble') {
          const i = buf.indexOf(opening);
          if (i >= 0) {
            buf = buf.subarray(i + opening.length);
            state = 'after';
            progress = true;
          } else if (buf.length > opening.length) {
            buf = buf.subarray(buf.length - opening.length);
          }
        } else if (state === 'after') {
          if (buf.length < 2) break;
          if (buf[0] === 0x2d && buf[1] === 0x2d) {
            state = 'done';
          } else {
            const i = buf.indexOf(CRLF);
            if (i < 0) break;
            buf = buf.subarray(i + 2);
            state = 'headers';
            progress = true;
          }
        } else if (state === 'headers') {
          const i = buf.indexOf(HEADER_END);
          if (i < 0) break;
          const { name, filename } = parseDisposition(buf.subarray(0, i).toString('utf8'));
          buf = buf.subarray(i + HEADER_END.length);
          part = { name, filename, size: 0, textSize: 0 };
          if (filename !== undefined) {
            part.path = join(tmpDir, `part-${randomBytes(8).toString('hex')}`);
            part.fh = await open(part.path, 'w');
          } else {
            part.text = [];
          }
          state = 'body';
          progress = true;
        } else if (state === 'body') {
          const i = buf.indexOf(delim);
          if (i >= 0) {
            await write(buf.subarray(0, i));
            await finish();
            buf = buf.subarray(i + delim.length);
            state = 'after';
            progress = true;
          } else if (buf.length > delim.length) {
            const keep = delim.length - 1;
            await write(buf.subarray(0, buf.length - keep));
            buf = buf.subarray(buf.length - keep);
          }
        }
      }
    }
    // Some clients (kaltura-client) end with `--boundary--` and no CRLF; tolerate a missing epilogue.
    if (state === 'body') throw new Error('multipart body ended inside a part');
    return result;
  } catch (err) {
    if (part?.fh) await part.fh.close().catch(() => undefined);
    throw err;
  }
}
