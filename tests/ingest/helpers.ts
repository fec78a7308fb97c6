import { join } from 'node:path';
import { account as accountSchema, config as configSchema, type AccountConfig } from '../../src/config/schema.js';
import { openStore } from '../../src/store/migrate.js';
import { createRepos } from '../../src/store/repos.js';
import type { Db } from '../../src/store/db.js';
import type { Clock } from '../../src/util/clock.js';
import { createEngine, type Engine, type EngineDeps } from '../../src/ingest/engine.js';
import { tempDir } from '../helpers/tmp.js';
import { FakeZoom } from '../fakes/fake-zoom.js';
import { FakeKaltura } from '../fakes/fake-kaltura.js';

export const DAY = 86_400_000;

export interface ManualClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
}

export function manualClock(start = Date.parse('2025-03-10T12:00:00Z')): ManualClock {
  let t = start;
  return {
    now: () => t,
    set: (ms) => void (t = ms),
    advance: (ms) => void (t += ms),
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      t += ms;
      await new Promise((r) => setImmediate(r));
    },
  };
}

export function makeAccount(name = 'main', overrides: Record<string, unknown> = {}): AccountConfig {
  return accountSchema.parse({
    name,
    credentials: { accountId: `zoom-${name}`, clientId: 'cid', clientSecret: 'secret' },
    owner: { onNoMatch: 'create' },
    ...overrides,
  });
}

export function makeGlobal(overrides: Record<string, unknown> = {}, kaltura: Record<string, unknown> = {}) {
  const cfg = configSchema.parse({
    global: { retry: { maxAttempts: 3, baseDelay: '1m', maxDelay: '1h' }, ...overrides },
    kaltura: { partnerId: 1, adminSecret: 'x', ...kaltura },
    accounts: [{ name: 'main', credentials: { accountId: 'a', clientId: 'b', clientSecret: 'c' }, owner: { onNoMatch: 'create' } }],
  });
  return { global: cfg.global, kaltura: cfg.kaltura };
}

export interface World {
  db: Db;
  dbPath: string;
  clock: ManualClock;
  zoom: FakeZoom;
  kaltura: FakeKaltura;
  account: AccountConfig;
  engine: Engine;
  /** A fresh engine over the same database and fakes (a "restart"). */
  restart(extra?: Partial<EngineDeps>): Engine;
  cleanup(): void;
}

export function makeWorld(opts: { account?: Record<string, unknown>; global?: Record<string, unknown>; kaltura?: Record<string, unknown>; deps?: Partial<EngineDeps> } = {}): World {
  const tmp = tempDir('zk-ingest-');
  const dbPath = join(tmp.dir, 'zk.db');
  const db = openStore(dbPath);
  const clock = manualClock();
  const zoom = new FakeZoom();
  const kaltura = new FakeKaltura();
  kaltura.fetchUrl = (url, headers) => zoom.fetchUrl(url, headers);
  const account = makeAccount('main', opts.account);
  const config = makeGlobal(opts.global, opts.kaltura);
  const build = (extra: Partial<EngineDeps> = {}) =>
    createEngine({
      repos: createRepos(db, clock),
      clock,
      config,
      accounts: [{ config: account, source: zoom, sink: kaltura }],
      random: () => 0.5,
      chunkSizeBytes: 64 * 1024,
      ...opts.deps,
      ...extra,
    });
  const world: World = {
    db,
    dbPath,
    clock,
    zoom,
    kaltura,
    account,
    engine: build(),
    restart: (extra) => (world.engine = build(extra)),
    cleanup() {
      db.close();
      tmp.cleanup();
    },
  };
  return world;
}

/** Runs work cycles (advancing the clock past any retry wait) until nothing changes. */
export async function drain(world: World, cycles = 20, step = 2 * 60 * 60_000): Promise<void> {
  for (let i = 0; i < cycles; i++) {
    const r = await world.engine.workOnce();
    if (r.processed === 0) {
      const waiting = world.engine.repos.files.list({ state: 'RETRY_WAIT' }).length;
      if (waiting === 0) return;
      world.clock.advance(step);
    }
  }
}

export function states(world: World): Record<string, string> {
  return Object.fromEntries(world.engine.repos.files.list().map((f) => [f.zoomFileId, f.state]));
}
