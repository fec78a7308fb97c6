/** uploadtoken service with kUploadTokenMgr's chunk semantics (replace, append, park, assemble). */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { apiError } from '../api-error.js';
import { attachToken, TOKEN_STATUS } from '../content.js';
import { nowSec, type CallContext, type SandboxContext, type ServiceDef } from '../context.js';
import { type Params, type UploadedFile } from '../params.js';
import type { UploadTokenRecord } from '../store.js';
import { listWire, tokenWire } from '../wire.js';
import { pageOf } from './paging.js';

export function findToken(call: CallContext, id: string): UploadTokenRecord {
  const t = call.ctx.store.tokens.get(id);
  if (!t || t.partnerId !== call.partnerId || t.status === TOKEN_STATUS.DELETED) throw apiError('UPLOAD_TOKEN_NOT_FOUND');
  return t;
}

/** Copies src[srcStart..] to dest at destPos; an append at the hashed end also feeds the running hash. */
async function copyInto(t: UploadTokenRecord, src: string, srcStart: number, destPos: number): Promise<void> {
  const h = t.hash && t.hash.hashedBytes === destPos ? t.hash : undefined;
  if (!h) t.hash = undefined;
  await pipeline(
    createReadStream(src, { start: srcStart }),
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const c of chunks) {
        h?.hasher.update(c);
        if (h) h.hashedBytes += c.length;
        yield c;
      }
    },
    createWriteStream(t.path, { flags: 'r+', start: destPos }),
  );
}

async function hashWhole(path: string): Promise<{ hasher: Hash; hashedBytes: number }> {
  const hasher = createHash('sha256');
  let hashedBytes = 0;
  for await (const c of createReadStream(path)) {
    hasher.update(c as Buffer);
    hashedBytes += (c as Buffer).length;
  }
  return { hasher, hashedBytes };
}

/** Appends every parked chunk that now touches the contiguous end, until none does. */
async function appendAvailable(t: UploadTokenRecord): Promise<void> {
  for (let progressed = true; progressed; ) {
    progressed = false;
    for (const offset of [...t.parked.keys()].sort((a, b) => a - b)) {
      const chunk = t.parked.get(offset)!;
      if (offset > t.size) break;
      if (offset + chunk.size > t.size) {
        await copyInto(t, chunk.path, t.size - offset, t.size);
        t.size = offset + chunk.size;
      }
      t.parked.delete(offset);
      await unlink(chunk.path).catch(() => undefined);
      progressed = true;
    }
  }
}

async function dropParked(t: UploadTokenRecord): Promise<void> {
  for (const c of t.parked.values()) await unlink(c.path).catch(() => undefined);
  t.parked.clear();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function upload(ctx: SandboxContext, t: UploadTokenRecord, file: UploadedFile, p: Params): Promise<void> {
  const resume = p.bool('resume', false);
  const finalChunk = p.bool('finalChunk', true);
  const resumeAt = p.int('resumeAt') ?? -1;
  if (!t.fileName && file.filename) t.fileName = file.filename;

  if (!resume) {
    await ctx.withLock(t.id, async () => {
      await dropParked(t);
      await rename(file.path, t.path);
      t.size = file.size;
      t.hash = await hashWhole(t.path);
    });
  } else if (resumeAt < 0) {
    await ctx.withLock(t.id, async () => {
      await copyInto(t, file.path, 0, t.size);
      t.size += file.size;
      await unlink(file.path).catch(() => undefined);
    });
  } else {
    if (!finalChunk && file.size === 0 && resumeAt > 0) {
      await unlink(file.path).catch(() => undefined);
      return;
    }
    const verifyFinal = finalChunk && resumeAt > 0;
    const expected = resumeAt + file.size;
    await ctx.withLock(t.id, async () => {
      const parkedPath = `${t.path}.chunk.${resumeAt}`;
      await rename(file.path, parkedPath);
      t.parked.set(resumeAt, { path: parkedPath, size: file.size });
      await appendAvailable(t);
    });
    if (verifyFinal) {
      // Parallel chunks may still be arriving: wait a little, as the server does (briefly here).
      const deadline = Date.now() + ctx.finalChunkWaitMs;
      while (t.size !== expected && Date.now() < deadline) {
        await sleep(10);
        await ctx.withLock(t.id, () => appendAvailable(t));
      }
      if (t.size !== expected) throw apiError('UPLOAD_TOKEN_CANNOT_MATCH_EXPECTED_SIZE');
    }
  }
  t.status = finalChunk ? TOKEN_STATUS.FULL_UPLOAD : TOKEN_STATUS.PARTIAL_UPLOAD;
  if (t.autoFinalize && t.fileSize !== undefined && t.size >= t.fileSize) t.status = TOKEN_STATUS.FULL_UPLOAD;
  t.updatedAt = nowSec(ctx);
}

export const uploadTokenService: ServiceDef = {
  add: {
    name: 'add',
    handler: async (call, p) => {
      const { ctx } = call;
      const o = p.obj('uploadToken');
      const id = ctx.store.newTokenId();
      const path = join(ctx.storageDir, 'tokens', id);
      await writeFile(path, '');
      const t: UploadTokenRecord = {
        partnerId: call.partnerId,
        id,
        userId: call.ks?.userId ?? '',
        status: TOKEN_STATUS.PENDING,
        fileName: o?.str('fileName') || undefined,
        fileSize: o?.int('fileSize'),
        autoFinalize: o?.bool('autoFinalize', false) ?? false,
        path,
        size: 0,
        parked: new Map(),
        hash: { hasher: createHash('sha256'), hashedBytes: 0 },
        createdAt: nowSec(ctx),
        updatedAt: nowSec(ctx),
      };
      ctx.store.tokens.set(id, t);
      return tokenWire(t, ctx.baseUrl());
    },
  },
  get: {
    name: 'get',
    handler: (call, p) => tokenWire(findToken(call, p.reqStr('uploadTokenId')), call.ctx.baseUrl()),
  },
  list: {
    name: 'list',
    handler: (call, p) => {
      const f = p.obj('filter');
      const idIn = f?.str('idIn')?.split(',');
      const statusIn = f?.str('statusIn')?.split(',').map(Number);
      const all = [...call.ctx.store.tokens.values()].filter(
        (t) =>
          t.partnerId === call.partnerId &&
          t.status !== TOKEN_STATUS.DELETED &&
          (!f?.str('idEqual') || t.id === f.str('idEqual')) &&
          (!idIn || idIn.includes(t.id)) &&
          (f?.int('statusEqual') === undefined || t.status === f.int('statusEqual')) &&
          (!statusIn || statusIn.includes(t.status)) &&
          (!f?.str('fileNameEqual') || t.fileName === f.str('fileNameEqual')) &&
          (!f?.str('userIdEqual') || t.userId === f.str('userIdEqual')) &&
          (call.ks?.type !== 0 || t.userId === call.ks.userId),
      );
      const page = pageOf(all, p.obj('pager'));
      return listWire('KalturaUploadTokenListResponse', page.map((t) => tokenWire(t, call.ctx.baseUrl())), all.length);
    },
  },
  delete: {
    name: 'delete',
    handler: async (call, p) => {
      const t = findToken(call, p.reqStr('uploadTokenId'));
      t.status = TOKEN_STATUS.DELETED;
      await dropParked(t);
      await unlink(t.path).catch(() => undefined);
      return null;
    },
  },
  upload: {
    name: 'upload',
    handler: async (call, p) => {
      const { ctx } = call;
      const t = findToken(call, p.reqStr('uploadTokenId'));
      const file = p.file('fileData');
      if (!file) throw apiError('MISSING_MANDATORY_PARAMETER', 'fileData');
      if (t.status !== TOKEN_STATUS.PENDING && t.status !== TOKEN_STATUS.PARTIAL_UPLOAD) {
        await unlink(file.path).catch(() => undefined);
        throw apiError('UPLOAD_TOKEN_INVALID_STATUS_FOR_UPLOAD');
      }
      await upload(ctx, t, file, p);
      // `upload` mutates t.status; widen so TS does not keep the pre-call narrowing.
      if ((t.status as number) === TOKEN_STATUS.FULL_UPLOAD && t.attachedEntryId) {
        const e = ctx.store.liveEntry(t.partnerId, t.attachedEntryId);
        if (e && e.pendingTokenId === t.id) await attachToken(ctx, e, t);
      }
      return tokenWire(t, ctx.baseUrl());
    },
  },
};
