/**
 * Zoom REST API sandbox: a local emulator of the subset zk uses (S2S OAuth,
 * cloud recordings, users, meeting details, participants, downloads through a
 * signed CDN), faithful to the gotchas real Zoom shows (DIVERGENCES.md).
 * Deliberate divergences are listed in DIVERGENCES.md. Not for production use.
 */
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ALL_SCOPES, TokenRegistry, basicOf, bearerOf, downloadTokenOf } from './auth.js';
import { type ApiRequest, type ZoomContext, ZoomApiError } from './context.js';
import { redirectToCdn, serveCdn } from './download.js';
import { createFaultState, type ZoomFailRule, type ZoomFaults } from './faults.js';
import { CallLog, snapshot, type ZoomSandboxSnapshot } from './inspect.js';
import { PageTokens } from './paging.js';
import { RequestLog, type SandboxRequestRecord } from '../request-log.js';
import { CATEGORY_LIMITS, matchRoute, notFound, type RateCategory } from './routes.js';
import type { ZoomSandboxAccount, ZoomSeed, ZoomSeedMeeting, ZoomSeedUser } from './seed-types.js';
import { ZoomStore, type FileDeleteRequest, type MeetingRecord } from './store.js';
import { meetingView } from './views.js';

export type { ZoomFailRule, ZoomFaults } from './faults.js';
export type { ZoomSandboxSnapshot, ZoomMeetingSnapshot, ZoomFileSnapshot } from './inspect.js';
export type { SandboxRequestRecord } from '../request-log.js';
export type { ZoomSandboxAccount, ZoomSeed, ZoomSeedFile, ZoomSeedMeeting, ZoomSeedParticipant, ZoomSeedUser } from './seed-types.js';
export { ZOOM_SCOPES, ALL_SCOPES } from './auth.js';

export interface ZoomSandboxOptions {
  accounts: ZoomSandboxAccount[];
  seed?: ZoomSeed | ZoomSeed[];
  /** Epoch ms; token, page-token, CDN-signature and processing expiry use it. Default Date.now. */
  now?: () => number;
  faults?: ZoomFaults;
  /** Port on 127.0.0.1; default 0 (random). */
  port?: number;
}

export interface ZoomSandboxState {
  /** Adds a meeting (default: first account). */
  addMeeting(meeting: ZoomSeedMeeting, accountId?: string): void;
  addUser(user: ZoomSeedUser, accountId?: string): void;
  /** Completes processing files now (all, or one meeting's / one file's). Returns how many. */
  completeProcessing(filter?: { accountId?: string; meetingUuid?: string; fileId?: string }): number;
  /** The meeting as GET /meetings/{uuid}/recordings would show it, but including trashed state. */
  meeting(uuid: string, accountId?: string): ZoomSandboxSnapshot['meetings'][number] | undefined;
  /** Calls per "METHOD /route/{template}". */
  callCounts(): Record<string, number>;
  callCountsByAccount(): Record<string, Record<string, number>>;
  resetCallLog(): void;
  /** Every outstanding access token of the account becomes invalid (→ 401/124). */
  revokeTokens(accountId?: string): void;
  /** Every outstanding next_page_token becomes invalid (→ 400/300). */
  expirePageTokens(): void;
  snapshot(): ZoomSandboxSnapshot;
  /** Every DELETE of a single recording file, in arrival order, with what it answered. */
  fileDeleteRequests(): FileDeleteRequest[];
  /** Every API, token, download and CDN request, in arrival order, with its answer (also GET /_sandbox/requests). resetCallLog clears it. */
  requests(): SandboxRequestRecord[];
}

export interface ZoomSandbox {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  /** `${url}/v2` */
  apiUrl: string;
  /** `${url}/oauth/token` */
  oauthUrl: string;
  state: ZoomSandboxState;
  setFaults(partial: ZoomFaults): void;
  resetFaults(): void;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ZoomApiError(413, 300, 'Request body too large.'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | number> = {}): void {
  if (res.headersSent || res.destroyed) return;
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function parseJson(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ZoomApiError(400, 300, 'Request Body should be a valid JSON object.');
  }
}

export async function startZoomSandbox(opts: ZoomSandboxOptions): Promise<ZoomSandbox> {
  if (opts.accounts.length === 0) throw new Error('zoom sandbox: at least one account');
  const secret = randomBytes(32).toString('hex');
  const store = new ZoomStore(secret);
  for (const a of opts.accounts) store.addAccount({ ...a });
  const faults = createFaultState(opts.faults);
  const log = new CallLog();
  const requests = new RequestLog();
  const ctx: ZoomContext = {
    store,
    faults,
    tokens: new TokenRegistry(),
    pages: new PageTokens(),
    now: opts.now ?? (() => Date.now()),
    url: '',
    cdnUrl: '',
    secret,
  };
  const defaultAccount = opts.accounts[0].accountId;
  for (const seed of opts.seed === undefined ? [] : Array.isArray(opts.seed) ? opts.seed : [opts.seed]) {
    for (const u of seed.users ?? []) store.addUser(seed.accountId, u);
    for (const m of seed.meetings ?? []) store.addMeeting(seed.accountId, m);
  }
  // Per account+category, per real-time second: QPS is about request rate, not the sandbox clock.
  const windows = new Map<string, { second: number; used: number }>();

  function grantedScopes(accountId: string): string[] {
    const acct = store.mustAccount(accountId).account;
    const withheld = new Set(faults.current.withheldScopes?.[accountId] ?? []);
    return (acct.scopes ?? [...ALL_SCOPES]).filter((s) => !withheld.has(s));
  }

  /** Returns true when a deterministic or random fault already answered. */
  function applyRule(rule: ZoomFailRule | undefined, res: ServerResponse, isCdn: boolean): 'reset-mid' | boolean {
    if (!rule) return false;
    if (rule.status === 'reset') {
      if (isCdn) return 'reset-mid';
      res.socket?.destroy();
      return true;
    }
    sendFault(res, rule.status, rule.code, rule.message, rule);
    return true;
  }

  function sendFault(res: ServerResponse, status: number, code?: number, message?: string, rate: { rateLimitType?: string; retryAfterMs?: number } = {}): void {
    if (status === 429) {
      const daily = rate.rateLimitType?.toLowerCase() === 'daily-limit';
      sendJson(
        res,
        429,
        {
          code: code ?? 429,
          message:
            message ??
            (daily
              ? "You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request."
              : 'You have reached the maximum per-second rate limit for this API. Try again later.'),
        },
        {
          'Retry-After': new Date(ctx.now() + (rate.retryAfterMs ?? faults.current.retryAfterMs ?? 1000)).toISOString(),
          'X-RateLimit-Type': rate.rateLimitType ?? 'QPS',
          'X-RateLimit-Remaining': 0,
        },
      );
      return;
    }
    if (status === 401) {
      sendJson(res, 401, { code: code ?? 124, message: message ?? 'Invalid access token.' });
      return;
    }
    sendJson(res, status, { code: code ?? status, message: message ?? 'Internal server error.' });
  }

  async function handleOAuth(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    const text = await readBody(req);
    const form = new URLSearchParams(query);
    const ctype = req.headers['content-type'] ?? '';
    if (ctype.includes('application/x-www-form-urlencoded')) for (const [k, v] of new URLSearchParams(text)) form.set(k, v);
    else if (ctype.includes('application/json') && text.trim()) {
      // Zoom ignores JSON bodies here; keep only the query.
    }
    const basic = basicOf(req);
    const data = basic ? store.accountByClientId(basic.user) : undefined;
    log.record('POST /oauth/token', data?.account.accountId);
    if (applyRule(faults.takeRule(req.method ?? 'POST', '/oauth/token', data?.account.accountId), res, false)) return;
    const grant = form.get('grant_type');
    if (!basic || !grant) {
      sendJson(res, 400, { reason: 'client id, secret or grant type missing', error: 'invalid_request', code: 4706 });
      return;
    }
    if (!data) {
      sendJson(res, 400, { reason: 'Invalid client_id or client_secret', error: 'invalid_client', code: 4702 });
      return;
    }
    if (data.account.clientSecret !== basic.pass || faults.current.rejectedCredentials?.includes(data.account.accountId)) {
      sendJson(res, 400, { reason: 'Invalid client_id or client_secret', error: 'invalid_client', code: 4704 });
      return;
    }
    if (grant !== 'account_credentials') {
      sendJson(res, 400, { reason: 'unsupported grant type', error: 'unsupported_grant_type', code: 4705 });
      return;
    }
    if (form.get('account_id') !== data.account.accountId) {
      sendJson(res, 400, { reason: 'Invalid account_id', error: 'invalid_request', code: 4706 });
      return;
    }
    const ttl = faults.current.tokenTtlSec ?? 3600;
    sendJson(res, 200, {
      access_token: ctx.tokens.issue(data.account.accountId, ctx.now(), ttl),
      token_type: 'bearer',
      expires_in: ttl,
      scope: grantedScopes(data.account.accountId).join(' '),
      api_url: ctx.url,
    });
  }

  function rateHeaders(accountId: string, category: RateCategory): { headers: Record<string, string | number>; over: boolean } {
    const limit = faults.current.qpsLimit ?? CATEGORY_LIMITS[category];
    const key = `${accountId}:${category}`;
    const second = Math.floor(Date.now() / 1000);
    let w = windows.get(key);
    if (!w || w.second !== second) {
      w = { second, used: 0 };
      windows.set(key, w);
    }
    w.used += 1;
    const over = faults.current.qpsLimit !== undefined && w.used > limit;
    return {
      headers: { 'X-RateLimit-Category': category, 'X-RateLimit-Limit': limit, 'X-RateLimit-Remaining': Math.max(0, limit - w.used) },
      over,
    };
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const method = req.method ?? 'GET';
    const route = matchRoute(method, path.slice('/v2/'.length).split('/'));
    const token = bearerOf(req);
    const rec = token ? ctx.tokens.verify(token, ctx.now()) : undefined;
    log.record(route?.template ?? `${method} (unmatched)`, rec?.accountId);
    const rate = rec && route ? rateHeaders(rec.accountId, route.category) : undefined;
    const headers = rate?.headers ?? {};
    // Tokens in the query have been refused since Feb 2023, even when valid.
    if (query.has('access_token') || !rec) {
      sendJson(res, 401, { code: 124, message: 'Invalid access token.' }, headers);
      return;
    }
    if (!route) {
      const e = notFound();
      sendJson(res, e.status, { code: e.code, message: e.message }, headers);
      return;
    }
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    if (applyRule(faults.takeRule(method, path, rec.accountId), res, false)) return;
    const dailyUntil = faults.current.dailyLimitUntil?.[rec.accountId];
    if (dailyUntil !== undefined && ctx.now() < dailyUntil) {
      return sendFault(res, 429, undefined, undefined, { rateLimitType: 'Daily-limit', retryAfterMs: dailyUntil - ctx.now() });
    }
    if (faults.chance(faults.current.rate429)) return sendFault(res, 429);
    if (faults.chance(faults.current.rate5xx)) return sendFault(res, [500, 502, 503][Math.floor(faults.random() * 3)]);
    if (rate?.over) {
      const next = (Math.floor(Date.now() / 1000) + 1) * 1000;
      sendJson(
        res,
        429,
        { code: 429, message: 'You have reached the maximum per-second rate limit for this API. Try again later.' },
        { 'Retry-After': new Date(next).toISOString(), 'X-RateLimit-Type': 'QPS' },
      );
      return;
    }
    const granted = new Set(grantedScopes(rec.accountId));
    if (!route.scopes.some((s) => granted.has(s))) {
      sendJson(res, 400, { code: 4711, message: `Invalid access token, does not contain scopes:[${route.scopes[0]}].` });
      return;
    }
    let body: unknown;
    if (method === 'PUT' || method === 'POST' || method === 'PATCH') body = parseJson(await readBody(req));
    const apiReq: ApiRequest = { method, segments: path.split('/').slice(2), query, accountId: rec.accountId, body };
    const result = route.run(ctx, apiReq);
    sendJson(res, result.status, result.body);
  }

  async function handleDownload(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const token = downloadTokenOf(req, query);
    const key = path.slice('/rec/download/'.length);
    // A meeting's download_access_token opens that meeting's files only; its role permission replaces the scope.
    const meetingToken = token ? ctx.tokens.verifyDownload(token, ctx.now()) : undefined;
    const rec = meetingToken && store.filesByKey.get(key)?.meeting.uuid === meetingToken.meetingUuid ? meetingToken : token ? ctx.tokens.verify(token, ctx.now()) : undefined;
    log.record(`${req.method} /rec/download/{key}`, rec?.accountId);
    if (!rec) {
      sendJson(res, 401, { code: 124, message: 'Invalid access token.' });
      return;
    }
    if (applyRule(faults.takeRule(req.method ?? 'GET', path, rec.accountId), res, false)) return;
    if (!meetingToken && !grantedScopes(rec.accountId).includes('cloud_recording:read:recording:admin')) {
      sendJson(res, 400, { code: 4711, message: 'Invalid access token, does not contain scopes:[cloud_recording:read:recording:admin].' });
      return;
    }
    redirectToCdn(ctx, res, key, rec.accountId, req.method === 'HEAD');
  }

  async function handleCdn(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const key = path.split('/')[3] ?? '';
    const accountId = store.filesByKey.get(key)?.meeting.accountId;
    log.record(`${req.method} /cdn/replay/{key}/{name}`, accountId);
    // Lets tests prove a client never forwards its Zoom token to the CDN host.
    if (req.headers.authorization) log.record('CDN request carrying an Authorization header', accountId);
    const rule = applyRule(faults.takeRule(req.method ?? 'GET', path, accountId), res, true);
    if (rule === true) return;
    const resetMid = rule === 'reset-mid' || faults.chance(faults.current.resetMidDownloadRate);
    await serveCdn(ctx, res, path, query, req.headers.range, req.method === 'HEAD', resetMid);
  }

  function completeProcessing(filter: { accountId?: string; meetingUuid?: string; fileId?: string } = {}): number {
    let n = 0;
    const now = ctx.now();
    for (const acct of store.accounts.values()) {
      if (filter.accountId && acct.account.accountId !== filter.accountId) continue;
      for (const m of acct.meetings.values()) {
        if (filter.meetingUuid && m.uuid !== filter.meetingUuid) continue;
        for (const f of m.files) {
          if (filter.fileId && f.id !== filter.fileId) continue;
          if (f.completesAt !== undefined && now < f.completesAt) {
            f.completesAt = undefined;
            n++;
          }
        }
      }
    }
    return n;
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = req.method ?? 'GET';
    if (method === 'GET' && path === '/_sandbox/state') return sendJson(res, 200, snapshot(store, log, ctx.now()));
    if (method === 'GET' && path === '/_sandbox/faults') return sendJson(res, 200, faults.current);
    if (method === 'GET' && path === '/_sandbox/requests') return sendJson(res, 200, requests.list());
    const body = (parseJson(await readBody(req)) ?? {}) as Record<string, unknown>;
    if (method === 'POST' && path === '/_sandbox/faults') {
      faults.set(body as ZoomFaults);
      return sendJson(res, 204, undefined);
    }
    if (method === 'POST' && path === '/_sandbox/complete-processing') {
      return sendJson(res, 200, { completed: completeProcessing(body as { accountId?: string; meetingUuid?: string; fileId?: string }) });
    }
    if (method === 'POST' && path === '/_sandbox/meetings') {
      const accountId = typeof body.accountId === 'string' ? body.accountId : defaultAccount;
      const meeting = (body.meeting ?? body) as ZoomSeedMeeting;
      try {
        const m = store.addMeeting(accountId, meeting);
        return sendJson(res, 201, meetingView(ctx, m, m.files));
      } catch (err) {
        return sendJson(res, 400, { code: 300, message: (err as Error).message });
      }
    }
    sendJson(res, 404, { code: 404, message: 'Not Found.' });
  }

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const rawUrl = req.url ?? '/';
    const qi = rawUrl.indexOf('?');
    const path = qi < 0 ? rawUrl : rawUrl.slice(0, qi);
    const query = new URLSearchParams(qi < 0 ? '' : rawUrl.slice(qi + 1));
    const run = async () => {
      if (path.startsWith('/_sandbox/')) return handleControl(req, res, path);
      requests.track(req, res, ctx.now());
      const slow = faults.current.slowMs;
      if (slow && slow > 0) await new Promise((r) => setTimeout(r, slow));
      if (path === '/oauth/token' && req.method === 'POST') return handleOAuth(req, res, query);
      if (path.startsWith('/rec/download/') && (req.method === 'GET' || req.method === 'HEAD')) return handleDownload(req, res, path, query);
      if (path.startsWith('/cdn/replay/') && (req.method === 'GET' || req.method === 'HEAD')) return handleCdn(req, res, path, query);
      if (path.startsWith('/v2/')) return handleApi(req, res, path, query);
      sendJson(res, 404, { code: 404, message: 'Not Found.' });
    };
    run().catch((err: unknown) => {
      if (err instanceof ZoomApiError) sendJson(res, err.status, { code: err.code, message: err.message });
      else sendJson(res, 500, { code: 500, message: 'Internal server error.' });
    });
  };
  // The API and the CDN answer on two ports (two origins), as zoom.us and Zoom's CDN are two hosts.
  const listen = async (port: number): Promise<http.Server> => {
    const server = http.createServer(handler);
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return server;
  };
  const server = await listen(opts.port ?? 0);
  const cdnServer = await listen(0).catch(async (err: unknown) => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw err;
  });
  const port = (server.address() as AddressInfo).port;
  ctx.url = `http://127.0.0.1:${port}`;
  ctx.cdnUrl = `http://127.0.0.1:${(cdnServer.address() as AddressInfo).port}`;

  const findMeeting = (uuid: string, accountId?: string): MeetingRecord | undefined => {
    for (const a of store.accounts.values()) {
      if (accountId && a.account.accountId !== accountId) continue;
      const m = a.meetings.get(uuid);
      if (m) return m;
    }
    return undefined;
  };

  const state: ZoomSandboxState = {
    addMeeting: (meeting, accountId = defaultAccount) => void store.addMeeting(accountId, meeting),
    addUser: (user, accountId = defaultAccount) => store.addUser(accountId, user),
    completeProcessing,
    meeting: (uuid, accountId) => {
      const m = findMeeting(uuid, accountId);
      if (!m) return undefined;
      return snapshot(store, log, ctx.now()).meetings.find((x) => x.uuid === uuid && x.accountId === m.accountId);
    },
    callCounts: () => log.counts_(),
    callCountsByAccount: () => log.countsByAccount(),
    resetCallLog: () => {
      log.reset();
      requests.reset();
    },
    revokeTokens: (accountId = defaultAccount) => ctx.tokens.revokeAll(accountId),
    expirePageTokens: () => ctx.pages.expireAll(),
    snapshot: () => snapshot(store, log, ctx.now()),
    fileDeleteRequests: () => store.fileDeletes.map((d) => ({ ...d })),
    requests: () => requests.list(),
  };

  return {
    url: ctx.url,
    apiUrl: `${ctx.url}/v2`,
    oauthUrl: `${ctx.url}/oauth/token`,
    state,
    setFaults: (partial) => faults.set(partial),
    resetFaults: () => faults.reset(),
    close: () =>
      Promise.all(
        [server, cdnServer].map(
          (srv) =>
            new Promise<void>((resolve) => {
              srv.close(() => resolve());
              srv.closeAllConnections();
            }),
        ),
      ).then(() => undefined),
  };
}

