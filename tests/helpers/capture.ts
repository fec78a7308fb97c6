/** Captured output of an in-process CLI run. */
import { Writable } from 'node:stream';

/** A writable that keeps what was written. */
export function capture(): { stream: Writable; text(): string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      cb();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}
