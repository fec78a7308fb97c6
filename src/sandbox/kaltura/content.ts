/**
 * Entry content lifecycle: NO_CONTENT → IMPORT (URL or unfinished token) →
 * PRECONVERT → READY, or ERROR_IMPORTING / ERROR_CONVERTING, all on timers.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { join, extname } from 'node:path';
import { nowSec, type SandboxContext } from './context.js';
import type { EntryRecord, UploadTokenRecord } from './store.js';
import { fetchToFile } from './url-fetch.js';
import { scanVerdict } from './deployment.js';

export const STATUS = {
  ERROR_IMPORTING: -2,
  ERROR_CONVERTING: -1,
  IMPORT: 0,
  PRECONVERT: 1,
  READY: 2,
  DELETED: 3,
  NO_CONTENT: 7,
} as const;

export const TOKEN_STATUS = { PENDING: 0, PARTIAL_UPLOAD: 1, FULL_UPLOAD: 2, CLOSED: 3, TIMED_OUT: 4, DELETED: 5 } as const;

export async function sha256File(path: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}

function setStatus(ctx: SandboxContext, e: EntryRecord, status: number | string): void {
  // A deleted entry never comes back to life through a late timer.
  if (e.status === STATUS.DELETED) return;
  e.status = status;
  e.updatedAt = nowSec(ctx);
  if (status === STATUS.READY && e.readyAt === undefined) e.readyAt = ctx.now();
}

/** Content is on disk at `path` (owned by the entry now): hash it (unless the upload did), then "convert". */
function convert(ctx: SandboxContext, e: EntryRecord, path: string, fileExt: string, known?: { size: number; sha256: string }): void {
  setStatus(ctx, e, STATUS.PRECONVERT);
  ctx.track(
    (async () => {
      const { size, sha256 } = known ?? (await sha256File(path));
      e.content = { path, size, sha256 };
      e.flavor = { id: `${e.id}_src`, isOriginal: true, flavorParamsId: 0, status: 1, reportSizeInBytes: true, sizeBytes: size, fileExt, createdAt: nowSec(ctx) };
      const msDuration = await ctx.mediaDurationMs({ size, sha256 });
      ctx.schedule(() => {
        if (e.status !== STATUS.PRECONVERT) return;
        const scan = scanVerdict(ctx.deployment, e.name);
        if (scan) {
          // The scan runs before conversion: nothing is converted, nothing becomes READY.
          setStatus(ctx, e, scan);
        } else if (ctx.faults.conversionFails()) {
          setStatus(ctx, e, STATUS.ERROR_CONVERTING);
          if (e.flavor) {
            e.flavor.status = -1;
            e.flavor.description = 'sandbox transcoder: conversion failed (injected fault)';
          }
        } else {
          e.msDuration = msDuration;
          setStatus(ctx, e, STATUS.READY);
          if (e.flavor) e.flavor.status = 2;
          if (ctx.deployment.dropSourceFlavor) {
            // A web flavor of another size stays; the source is deleted, as "delete source after conversion" profiles do.
            e.converted = [{ id: `${e.id}_web`, isOriginal: false, flavorParamsId: 301, status: 2, reportSizeInBytes: true, sizeBytes: Math.floor(size * 0.6), fileExt: 'mp4', createdAt: nowSec(ctx) }];
            e.flavor = undefined;
          }
        }
      }, ctx.conversionDelayMs);
    })().catch(() => setStatus(ctx, e, STATUS.ERROR_CONVERTING)),
  );
}

function extOf(name: string | undefined): string {
  return extname(name ?? '').replace('.', '').toLowerCase() || 'mp4';
}

/** Token is FULL_UPLOAD: it becomes CLOSED and its file becomes the entry's source. */
export async function attachToken(ctx: SandboxContext, e: EntryRecord, t: UploadTokenRecord): Promise<void> {
  t.status = TOKEN_STATUS.CLOSED;
  t.updatedAt = nowSec(ctx);
  e.pendingTokenId = undefined;
  const dest = join(ctx.storageDir, 'entries', e.id);
  await rename(t.path, dest);
  const known = t.hash && t.hash.hashedBytes === t.size ? { size: t.size, sha256: t.hash.hasher.digest('hex') } : undefined;
  t.hash = undefined;
  convert(ctx, e, dest, extOf(t.fileName), known);
}

export function startUrlImport(ctx: SandboxContext, e: EntryRecord, url: string, headers: string[]): void {
  setStatus(ctx, e, STATUS.IMPORT);
  e.importUrl = url;
  e.sourceType = '5';
  const dest = join(ctx.storageDir, 'entries', e.id);
  ctx.track(
    (async () => {
      // Kaltura imports asynchronously; a short delay keeps IMPORT observable.
      await new Promise((r) => ctx.schedule(() => r(undefined), Math.min(ctx.conversionDelayMs, 20)));
      if (e.status !== STATUS.IMPORT) return;
      if (ctx.faults.importFails()) {
        setStatus(ctx, e, STATUS.ERROR_IMPORTING);
        return;
      }
      try {
        await fetchToFile(url, headers, dest);
      } catch {
        await unlink(dest).catch(() => undefined);
        setStatus(ctx, e, STATUS.ERROR_IMPORTING);
        return;
      }
      if (e.status !== STATUS.IMPORT) return;
      convert(ctx, e, dest, extOf(new URL(url).pathname));
    })(),
  );
}
