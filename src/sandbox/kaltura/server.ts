/**
 * Kaltura API v3 sandbox: a local emulator of the subset zk uses, faithful
 * to the real server's encodings, error bodies and gotchas (DIVERGENCES.md
 * names each one's source). Not for production use.
 */
import { mkdtemp, mkdir, rm, unlink } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiError, KalturaApiError } from './api-error.js';
import { nowSec, type CallContext, type SandboxContext } from './context.js';
import { createFaultState, type KalturaFaults } from './faults.js';
import type { KalturaDeployment } from './deployment.js';
import { entryViews, snapshot, type EntryView, type SandboxSnapshot } from './inspect.js';
import { parseKs } from './ks-verify.js';
import { isPlainObject, isUploadedFile, Params, type ParamTree } from './params.js';
import { parseRequest } from './request.js';
import type { KalturaSeed } from './seed-types.js';
import { createCategory } from './services/category.js';
import { SERVICES } from './services/index.js';
import { SandboxStore, type PartnerRecord } from './store.js';
import { xmlDocument } from './xml.js';
import { RequestLog, type SandboxRequestRecord } from '../request-log.js';
import { seedEntries } from './seed-entries.js';

export type { KalturaFaults } from './faults.js';
export type { KalturaDeployment } from './deployment.js';
export type { EntryView, SandboxSnapshot } from './inspect.js';
export type { SandboxRequestRecord } from '../request-log.js';
export type { KalturaSeed, KalturaSeedEntry, KalturaSeedGroup, KalturaSeedUser } from './seed-types.js';

export interface KalturaSandboxOptions {
  partners: Array<{ partnerId: number; adminSecret: string; userSecret?: string }>;
  /** Epoch milliseconds; KS expiry and timestamps use it. */
  now?: () => number;
  /** Where uploaded and imported bytes live; default: a fresh temp dir removed on close(). */
  storageDir?: string;
  /** Time an entry spends converting before READY/ERROR_CONVERTING. Default 50. */
  conversionDelayMs?: number;
  /** How long a final chunk waits for missing parked chunks before UPLOAD_TOKEN_CANNOT_MATCH_EXPECTED_SIZE. Default 200. */
  finalChunkWaitMs?: number;
  faults?: KalturaFaults;
  /** How the partner is deployed (no eSearch, source flavor dropped, virus scan, READY at add); default: like SaaS. */
  deployment?: KalturaDeployment;
  /** Measures a stored file's media duration (the bundled sandbox asks the Zoom emulator); default: unknown. */
  mediaDurationMs?: (content: { size: number; sha256: string }) => Promise<number | undefined>;
  seed?: KalturaSeed | KalturaSeed[];
  /** Port on 127.0.0.1; default 0 (random). */
  port?: number;
}

export interface KalturaSandboxState {
  entries(): EntryView[];
  entry(entryId: string): EntryView | undefined;
  /** Exact size and sha256 of the entry's stored source content (sandbox-only). */
  contentOf(entryId: string): { size: number; sha256: string } | null;
  /** API calls: every sub-request of a multirequest counts. */
  callCounts(): Record<string, number>;
  /**
   * HTTP requests: a multirequest counts once (key `multirequest`); an upload chunk sent with
   * resume=1 (a chunk after the first) is keyed `uploadtoken.upload (resumed)`.
   */
  httpRequestCounts(): Record<string, number>;
  /** Clears both logs. */
  resetCallLog(): void;
  snapshot(): SandboxSnapshot;
  /** Every API request (path and query as sent), in arrival order, with its HTTP status (also GET /_sandbox/requests). resetCallLog clears it. */
  requests(): SandboxRequestRecord[];
}

export interface KalturaSandbox {
  /** serviceUrl for clients (no trailing slash), e.g. http://127.0.0.1:40123 */
  url: string;
  state: KalturaSandboxState;
  setFaults(partial: KalturaFaults): void;
  resetFaults(): void;
  close(): Promise<void>;
}

function applySeed(store: SandboxStore, seed: KalturaSeed, now: number): void {
  const pid = seed.partnerId;
  seedEntries(store, pid, seed.entries ?? [], now);
  for (const u of seed.users ?? []) {
    store.putUser({
      partnerId: pid,
      id: u.id,
      email: u.email,
      externalId: u.externalId,
      firstName: u.firstName,
      lastName: u.lastName,
      status: u.status ?? 1,
      type: 0,
      isAdmin: u.isAdmin ?? false,
      createdAt: now,
      updatedAt: now,
    });
  }
  for (const g of seed.groups ?? []) {
    if (!store.user(pid, g.id)) {
      store.putUser({ partnerId: pid, id: g.id, screenName: g.id, status: 1, type: 1, isAdmin: false, createdAt: now, updatedAt: now });
    }
    for (const m of g.members) {
      store.groupUsers.push({ partnerId: pid, userId: m, groupId: g.id, status: 0, creationMode: 1, createdAt: now, updatedAt: now });
    }
  }
  for (const c of seed.categories ?? []) {
    const names = c.fullName.split('>');
    let parent: ReturnType<typeof createCategory> | undefined;
    names.forEach((name, i) => {
      const fullName = names.slice(0, i + 1).join('>');
      const existing = [...store.categories.values()].find((x) => x.partnerId === pid && x.fullName === fullName);
      parent = existing ?? createCategory(store, pid, parent, name, now, i === names.length - 1 ? c.id : undefined);
    });
  }
}

/** Follows `a:b:c` into a result; `_all` on an array joins the rest of the path across its items with commas. */
function followPath(cur: unknown, segs: string[]): unknown {
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    if (Array.isArray(cur)) {
      if (seg === '_all') return cur.map((item) => followPath(item, segs.slice(i + 1))).filter((v) => v !== '' && typeof v !== 'object').join(',');
      cur = cur[Number(seg)];
    } else if (isPlainObject(cur)) cur = cur[seg];
    else return '';
  }
  return cur ?? '';
}

/** `{K:result:a:b}` → value from the K-th (1-based execution ordinal, whatever the key base) earlier result. */
function resolveRefs(value: unknown, results: unknown[]): unknown {
  if (typeof value === 'string') {
    const lookup = (k: string, path: string | undefined): unknown => followPath(results[Number(k) - 1], path ? path.split(':') : []);
    const whole = /^\{(\d+):result(?::([^}]*))?\}$/.exec(value);
    if (whole) {
      const v = lookup(whole[1], whole[2]);
      return typeof v === 'object' ? '' : v;
    }
    return value.replace(/\{(\d+):result(?::([^}]*))?\}/g, (_m, k: string, path: string | undefined) => {
      const v = lookup(k, path);
      return typeof v === 'object' ? '' : String(v);
    });
  }
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, results));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, results)]));
  return value;
}

function collectFiles(tree: unknown, out: string[]): string[] {
  if (isUploadedFile(tree)) out.push(tree.path);
  else if (isPlainObject(tree) || Array.isArray(tree)) for (const v of Object.values(tree)) collectFiles(v, out);
  return out;
}

export async function startKalturaSandbox(opts: KalturaSandboxOptions): Promise<KalturaSandbox> {
  const ownsStorage = !opts.storageDir;
  const storageDir = opts.storageDir ?? (await mkdtemp(join(tmpdir(), 'zk-kaltura-sbx-')));
  for (const sub of ['tmp', 'tokens', 'entries']) await mkdir(join(storageDir, sub), { recursive: true });

  const store = new SandboxStore();
  for (const p of opts.partners) store.partners.set(p.partnerId, { ...p } satisfies PartnerRecord);
  const faults = createFaultState(opts.faults);
  const now = opts.now ?? (() => Date.now());
  const requests = new RequestLog();
  const timers = new Set<NodeJS.Timeout>();
  const tasks = new Set<Promise<unknown>>();
  const locks = new Map<string, Promise<unknown>>();
  let closed = false;
  let baseUrl = '';

  const ctx: SandboxContext = {
    store,
    faults,
    now,
    storageDir,
    conversionDelayMs: opts.conversionDelayMs ?? 50,
    deployment: { ...(opts.deployment ?? {}) },
    mediaDurationMs: opts.mediaDurationMs ?? (async () => undefined),
    finalChunkWaitMs: opts.finalChunkWaitMs ?? 200,
    baseUrl: () => baseUrl,
    schedule(fn, ms) {
      if (closed) return;
      const t = setTimeout(() => {
        timers.delete(t);
        if (!closed) fn();
      }, ms);
      timers.add(t);
    },
    track(task) {
      const p = task.catch(() => undefined).finally(() => tasks.delete(p));
      tasks.add(p);
    },
    withLock(key, fn) {
      const prev = locks.get(key) ?? Promise.resolve();
      const run = prev.then(fn, fn);
      const tail = run.catch(() => undefined);
      locks.set(key, tail);
      void tail.then(() => {
        if (locks.get(key) === tail) locks.delete(key);
      });
      return run;
    },
  };

  const seeds = opts.seed === undefined ? [] : Array.isArray(opts.seed) ? opts.seed : [opts.seed];
  for (const s of seeds) applySeed(store, s, nowSec(ctx));

  const secretsOf = (pid: number) => {
    const p = store.partners.get(pid);
    return p ? [p.adminSecret] : [];
  };

  async function dispatch(serviceName: string, actionName: string, params: ParamTree): Promise<unknown> {
    const service = SERVICES[serviceName.toLowerCase()];
    if (!service) {
      store.countCall(`${serviceName}.${actionName}`);
      throw apiError('SERVICE_DOES_NOT_EXISTS', serviceName);
    }
    const def = service[actionName.toLowerCase()];
    if (!def) {
      store.countCall(`${serviceName.toLowerCase()}.${actionName}`);
      throw apiError('ACTION_DOES_NOT_EXISTS', actionName, serviceName);
    }
    const svc = serviceName.toLowerCase();
    store.countCall(`${svc}.${def.name}`);
    if (svc === 'elasticsearch_esearch' && ctx.deployment.noESearch === 'missing') throw apiError('SERVICE_DOES_NOT_EXISTS', serviceName);
    if (svc === 'elasticsearch_esearch' && ctx.deployment.noESearch === 'forbidden') throw apiError('SERVICE_FORBIDDEN', `${svc}->${def.name}`);
    if (faults.blockAction(svc, def.name)) throw apiError('ACTION_BLOCKED', def.name, svc);
    const scripted = faults.apiError(svc, def.name);
    if (scripted) throw apiError(scripted);
    const p = new Params(params);
    const call: CallContext = { ctx, service: svc, action: def.name, partnerId: p.int('partnerId') ?? -1 };
    if (!def.noKs) {
      const ksString = p.str('ks');
      if (!ksString) throw apiError('MISSING_KS');
      const parsed = parseKs(ksString, secretsOf);
      if (!parsed.ok) throw apiError('INVALID_KS', ksString, -1, 'INVALID_STR');
      const expiredBefore = faults.current.ksExpiredBefore;
      if (parsed.ks.validUntil <= nowSec(ctx) || (expiredBefore !== undefined && parsed.ks.validUntil <= expiredBefore)) {
        throw apiError('INVALID_KS', 'EXPIRED', -1, 'INVALID_STR');
      }
      if (def.adminOnly && parsed.ks.type < 1) throw apiError('SERVICE_FORBIDDEN', `${svc}->${def.name}`);
      call.ks = parsed.ks;
      call.partnerId = parsed.ks.partnerId;
    }
    return def.handler(call, p);
  }

  async function run(serviceName: string, actionName: string, params: ParamTree): Promise<unknown> {
    try {
      return await dispatch(serviceName, actionName, params);
    } catch (err) {
      if (err instanceof KalturaApiError) return err.toWire();
      // An unexpected failure is the emulator's bug; answer like PHP would, but keep the cause visible.
      process.stderr.write(`kaltura sandbox internal error in ${serviceName}.${actionName}: ${String((err as Error)?.stack ?? err)}\n`);
      return apiError('INTERNAL_SERVERL_ERROR').toWire();
    }
  }

  /** The `service.action` of each sub-request a multirequest will run (up to the first gap). */
  function subRequestKeys(params: ParamTree): string[] {
    const keys = Object.keys(params).filter((k) => /^\d+$/.test(k)).map(Number);
    const out: string[] = [];
    if (keys.length === 0) return out;
    for (let i = Math.min(1, Math.min(...keys)); i <= Math.max(...keys); i++) {
      const sub = params[String(i)];
      if (!isPlainObject(sub) || !sub.service || !sub.action) break;
      out.push(`${String(sub.service)}.${String(sub.action)}`.toLowerCase());
    }
    return out;
  }

  async function multirequest(params: ParamTree): Promise<unknown[]> {
    const keys = Object.keys(params).filter((k) => /^\d+$/.test(k)).map(Number);
    if (keys.length === 0) return [];
    const results: unknown[] = [];
    const shared = ['ks', 'partnerId', 'clientTag'];
    for (let i = Math.min(1, Math.min(...keys)); i <= Math.max(...keys); i++) {
      const sub = params[String(i)];
      if (!isPlainObject(sub) || !sub.service || !sub.action) break;
      const merged: ParamTree = { ...sub };
      for (const k of shared) if (merged[k] === undefined && params[k] !== undefined) merged[k] = params[k];
      const resolved = resolveRefs(merged, results) as ParamTree;
      results.push(await run(String(resolved.service), String(resolved.action), resolved));
    }
    return results;
  }

  async function handleSandbox(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === '/_sandbox/state' && req.method === 'GET') return send(200, snapshot(store));
    if (path === '/_sandbox/faults' && req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      faults.set(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as KalturaFaults);
      return send(200, faults.current);
    }
    if (path === '/_sandbox/faults' && req.method === 'GET') return send(200, faults.current);
    if (path === '/_sandbox/requests' && req.method === 'GET') return send(200, requests.list());
    return send(404, { error: 'unknown sandbox endpoint' });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://sandbox').pathname;
    if (path.startsWith('/_sandbox/')) return handleSandbox(req, res, path);
    requests.track(req, res, now());
    if (!path.startsWith('/api_v3')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    const started = performance.now();
    const parsed = await parseRequest(req, join(storageDir, 'tmp'));
    try {
      if (faults.current.slowMs) await new Promise((r) => setTimeout(r, faults.current.slowMs));
      if (faults.serverError()) {
        res.writeHead(503, { 'content-type': 'text/html' });
        res.end('<html><body>503 Service Temporarily Unavailable</body></html>');
        return;
      }
      // No format means XML (KalturaResponseType::RESPONSE_TYPE_XML), as on the real server.
      const format = String(parsed.params.format ?? '2');
      if (format !== '1' && format !== '2') {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(`kaltura sandbox supports format=1 (JSON) and format=2 (XML, the default); got format=${format}`);
        return;
      }
      const service = parsed.service ?? (parsed.params.service as string | undefined);
      const action = parsed.action ?? (parsed.params.action as string | undefined);
      const multi = service?.toLowerCase() === 'multirequest';
      const ran = multi ? subRequestKeys(parsed.params) : [`${service ?? ''}.${action ?? ''}`.toLowerCase()];
      const resumed = ran[0] === 'uploadtoken.upload' && ['1', 'true', true, 1].includes(parsed.params.resume as never);
      store.countHttp(multi ? 'multirequest' : resumed ? 'uploadtoken.upload (resumed)' : ran[0]);
      let body: unknown;
      if (multi) body = await multirequest(parsed.params);
      else if (!service) body = apiError('SERVICE_DOES_NOT_EXISTS', '').toWire();
      else body = await run(service, action ?? '', parsed.params);
      if (faults.dropResponse(ran)) {
        // The work is done; the answer is lost (a crash or a cut connection between Kaltura and zk).
        res.destroy();
        return;
      }
      if (format === '2') {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(xmlDocument(body, (performance.now() - started) / 1000));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body === undefined ? null : body));
    } finally {
      for (const f of collectFiles(parsed.params, [])) await unlink(f).catch(() => undefined);
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(`kaltura sandbox: bad request: ${(err as Error)?.message ?? String(err)}`);
      } else {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const state: KalturaSandboxState = {
    entries: () => entryViews(store),
    entry: (id) => entryViews(store).find((e) => e.id === id),
    contentOf: (id) => {
      const c = store.entries.get(id)?.content;
      return c ? { size: c.size, sha256: c.sha256 } : null;
    },
    callCounts: () => Object.fromEntries(store.callCounts),
    httpRequestCounts: () => Object.fromEntries(store.httpCounts),
    resetCallLog: () => {
      store.callCounts.clear();
      store.httpCounts.clear();
      requests.reset();
    },
    requests: () => requests.list(),
    snapshot: () => snapshot(store),
  };

  return {
    url: baseUrl,
    state,
    setFaults: (partial) => faults.set(partial),
    resetFaults: () => faults.reset(),
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // Background imports may be mid-download; give them a moment, never hang close().
      await Promise.race([Promise.allSettled([...tasks]), new Promise((r) => setTimeout(r, 500))]);
      if (ownsStorage) await rm(storageDir, { recursive: true, force: true });
    },
  };
}
