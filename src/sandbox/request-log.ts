/**
 * Every request an emulator received, in arrival order, with what it answered: lets tests
 * prove how a client behaved on the wire (a 429's Retry-After waited out, a resumed download's
 * Range, a token refreshed), not only the end state. Bounded: the oldest records are dropped.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface SandboxRequestRecord {
  /** Arrival order, from 1. */
  seq: number;
  /** Sandbox clock (epoch ms) when the request arrived. */
  at: number;
  method: string;
  /** Path and query as sent. */
  url: string;
  /** The Range header, when sent. */
  range?: string;
  /** Whether an Authorization header came with it. */
  authorization: boolean;
  /** A short hash of the Authorization header (tells two tokens apart without holding either). */
  authFingerprint?: string;
  /** HTTP status answered; 'reset' when the connection was dropped before the answer ended; undefined while in flight. */
  status?: number | 'reset';
  /** Retry-After header of the answer (Zoom sends an absolute date), when sent. */
  retryAfter?: string;
  /** Content-Range header of the answer (a ranged download: "bytes start-end/size"), when sent. */
  contentRange?: string;
}

const MAX_RECORDS = 20_000;

export class RequestLog {
  private records: SandboxRequestRecord[] = [];
  private seq = 0;

  /** Records the request and fills in its answer when the response ends or the connection drops. */
  track(req: IncomingMessage, res: ServerResponse, now: number): void {
    const record: SandboxRequestRecord = {
      seq: ++this.seq,
      at: now,
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      authorization: req.headers.authorization !== undefined,
      ...(req.headers.authorization ? { authFingerprint: createHash('sha256').update(req.headers.authorization).digest('hex').slice(0, 12) } : {}),
      ...(req.headers.range ? { range: req.headers.range } : {}),
    };
    this.records.push(record);
    if (this.records.length > MAX_RECORDS) this.records.splice(0, this.records.length - MAX_RECORDS);
    // Headers given to writeHead() are not readable through getHeader(); note them as they pass.
    const passed: Record<string, unknown> = {};
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
    res.writeHead = ((...args: unknown[]) => {
      const given = args.find((a, i) => i > 0 && typeof a === 'object' && a !== null && !Array.isArray(a));
      for (const [k, v] of Object.entries((given ?? {}) as Record<string, unknown>)) passed[k.toLowerCase()] = v;
      return writeHead(...args);
    }) as ServerResponse['writeHead'];
    const header = (name: string): string | undefined => {
      const v = res.getHeader(name) ?? passed[name];
      return v === undefined ? undefined : String(v);
    };
    const headers = () => {
      const retryAfter = header('retry-after');
      if (retryAfter !== undefined) record.retryAfter = retryAfter;
      const contentRange = header('content-range');
      if (contentRange !== undefined) record.contentRange = contentRange;
    };
    res.on('finish', () => {
      record.status = res.statusCode;
      headers();
    });
    res.on('close', () => {
      if (record.status !== undefined) return;
      record.status = 'reset';
      headers();
    });
  }

  list(): SandboxRequestRecord[] {
    return this.records.map((r) => ({ ...r }));
  }

  reset(): void {
    this.records = [];
  }
}
