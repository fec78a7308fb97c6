/**
 * Issue 6: every operator command through buildZkProgram with a real config
 * file, against the sandbox over HTTP and a database filled by a real daemon
 * run (not hand-inserted rows).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REDACTED } from '../../src/config/effective.js';
import { KALTURA_DEMO_ADMIN_SECRET } from '../../src/sandbox/seed/kaltura-demo.js';
import { ZOOM_DEMO_ACCOUNT, ZOOM_DEMO_USERS } from '../../src/sandbox/seed/zoom-demo.js';
import { planTypeName } from '../../src/ops/users-report.js';
import { FILE_STATES } from '../../src/ingest/states.js';
import { count, runZk, statesOf, world, type World } from './world.js';

let w: World;

beforeAll(async () => {
  w = await world();
  expect(await w.runDaemon()).toBe(0);
});
afterAll(() => w.close());

describe('zk config check', () => {
  test('a valid file prints the effective config with every secret redacted', async () => {
    const r = await w.zk(['config', 'check']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`# ${w.configFile}: valid`);
    expect(r.stdout).toContain(`serviceUrl: ${w.sandbox.kaltura.url}`);
    expect(r.stdout).toContain(REDACTED);
    expect(r.stdout).not.toContain(KALTURA_DEMO_ADMIN_SECRET);
    expect(r.stdout).not.toContain(ZOOM_DEMO_ACCOUNT.clientSecret);
    // Defaults are filled in and durations written back as text.
    const json = await w.zk(['config', 'check', '--json']);
    const effective = JSON.parse(json.stdout) as { global: { pollInterval: string }; kaltura: { adminSecret: string }; accounts: Array<{ credentials: { clientSecret: string } }> };
    expect(effective.global.pollInterval).toBe('1m');
    expect(effective.kaltura.adminSecret).toBe(REDACTED);
    expect(effective.accounts[0].credentials.clientSecret).toBe(REDACTED);
  });

  test('an invalid file exits 78 and lists every problem at once', async () => {
    const file = join(w.dir, 'broken.yaml');
    writeFileSync(
      file,
      [
        'global:',
        '  pollInterval: often',
        '  backfills:',
        '    - schedule: "every night"',
        '      window: 7d',
        'kaltura:',
        '  partnerId: abc',
        'accounts:',
        '  - name: demo',
        '    credentials: { accountId: a, clientId: b }',
        '',
      ].join('\n'),
    );
    const r = await runZk(['config', 'check', '--config', file]);
    expect(r.code).toBe(78);
    expect(r.stdout).toBe('');
    for (const path of ['global.pollInterval', 'global.backfills[0].schedule', 'kaltura.partnerId', 'kaltura.adminSecret', 'clientSecret']) {
      expect(r.stderr).toContain(path);
    }
    expect(r.stderr).not.toContain('unexpected error');
  });
});

describe('status, files and accounts read what the daemon did', () => {
  test('zk status --json: counts per state equal the database, cursor and last poll set', async () => {
    const r = await w.zk(['status', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      accounts: Array<{ name: string; enabled: boolean; cursor: string; lastPollOkAt: string | null; files: Record<string, number>; totalFiles: number; lastError: unknown }>;
    };
    expect(report.accounts.map((a) => a.name)).toEqual(['demo']);
    const demo = report.accounts[0];
    const states = statesOf(w);
    expect(Object.fromEntries(Object.entries(demo.files).filter(([, n]) => n > 0))).toEqual(states);
    expect(demo.totalFiles).toBe(Object.values(states).reduce((a, b) => a + b, 0));
    expect(states.HANDLED).toBeGreaterThanOrEqual(10);
    expect(demo.cursor).toBe(new Date(w.clock.now()).toISOString().slice(0, 10));
    expect(demo.lastPollOkAt).not.toBeNull();
    expect(demo.lastError).toBeNull();
    expect(Object.keys(demo.files).sort()).toEqual([...FILE_STATES].sort());
  });

  test('zk files list/show --json: every file, and a file with its transitions', async () => {
    const all = JSON.parse((await w.zk(['files', 'list', '--json', '--limit', '1000'])).stdout) as { files: Array<{ id: number; state: string; meetingUuid: string }> };
    expect(all.files.length).toBe(count(w, 'SELECT COUNT(*) AS n FROM files'));
    const handled = JSON.parse((await w.zk(['files', 'list', '--state', 'HANDLED', '--json'])).stdout) as { files: Array<{ id: number; state: string }> };
    expect(handled.files.length).toBe(statesOf(w).HANDLED);
    expect(new Set(handled.files.map((f) => f.state))).toEqual(new Set(['HANDLED']));

    const shown = await w.zk(['files', 'show', String(handled.files[0].id), '--json']);
    expect(shown.code).toBe(0);
    const detail = JSON.parse(shown.stdout) as { files: Array<{ id: number; events: Array<{ from: string | null; to: string; reason: string; actor: string }> }> };
    const path = detail.files[0].events.map((e) => e.to);
    expect(path[0]).toBe('DETECTED');
    expect(path.at(-1)).toBe('HANDLED');
    expect(detail.files[0].events.every((e) => e.reason.length > 0 && e.actor === 'daemon')).toBe(true);

    const missing = await w.zk(['files', 'show', '999999', '--json']);
    expect(missing.code).not.toBe(0);
  });

  test('zk accounts list --json: the configured account with its files, no secrets', async () => {
    const r = await w.zk(['accounts', 'list', '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(ZOOM_DEMO_ACCOUNT.clientSecret);
    const { accounts } = JSON.parse(r.stdout) as { accounts: Array<{ name: string; zoomAccountId: string; files: number; enabled: boolean }> };
    expect(accounts).toEqual([expect.objectContaining({ name: 'demo', zoomAccountId: ZOOM_DEMO_ACCOUNT.accountId, enabled: true, files: count(w, 'SELECT COUNT(*) AS n FROM files') })]);
  });
});

describe('zk users report', () => {
  test('totals per plan type equal the sandbox seed (deactivated users excluded, pending listed without id)', async () => {
    const r = await w.zk(['users', 'report', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { totals: Record<string, number>; total: number; accounts: Array<{ users: Array<{ email: string; id: string | null; status: string }> }> };
    // GET /users never lists a user without an email (src/sandbox/zoom/DIVERGENCES.md).
    const listed = Object.values(ZOOM_DEMO_USERS).filter((u) => u.email !== '');
    const seeded = listed.filter((u) => u.status !== 'inactive');
    const want: Record<string, number> = {};
    for (const u of seeded) want[planTypeName(u.type)] = (want[planTypeName(u.type)] ?? 0) + 1;
    expect(report.totals).toEqual(want);
    expect(report.total).toBe(seeded.length);
    const users = report.accounts[0].users;
    expect(users.find((u) => u.email === ZOOM_DEMO_USERS.dan.email)).toEqual(expect.objectContaining({ id: null, status: 'pending' }));
    expect(users.some((u) => u.email === ZOOM_DEMO_USERS.carol.email)).toBe(false);

    const all = JSON.parse((await w.zk(['users', 'report', '--json', '--include-inactive'])).stdout) as { total: number };
    expect(all.total).toBe(listed.length);
    const csv = await w.zk(['users', 'report', '--format', 'csv']);
    expect(csv.stdout.trim().split('\n').length).toBe(seeded.length + 1);
  });
});

describe('zk accounts test', () => {
  test('passes against the sandbox, then names the scope the sandbox withholds and how to fix it', async () => {
    const ok = await w.zk(['accounts', 'test', '--json']);
    const passed = JSON.parse(ok.stdout) as { ok: boolean; checks: Array<{ check: string; status: string }> };
    expect(passed.checks.filter((c) => c.status === 'FAIL')).toEqual([]);
    expect(ok.code).toBe(0);
    expect(passed.ok).toBe(true);

    const scope = 'meeting:read:meeting:admin';
    w.sandbox.zoom.setFaults({ withheldScopes: { [ZOOM_DEMO_ACCOUNT.accountId]: [scope] } });
    try {
      const r = await w.zk(['accounts', 'test', '--json']);
      expect(r.code).toBe(3);
      const { ok: allOk, checks } = JSON.parse(r.stdout) as { ok: boolean; checks: Array<{ target: string; check: string; status: string; detail: string; fix?: string }> };
      expect(allOk).toBe(false);
      const failed = checks.filter((c) => c.status === 'FAIL');
      expect(failed.length).toBe(1);
      expect(failed[0].target).toBe('zoom:demo');
      expect(failed[0].fix).toContain(scope);
      const text = await w.zk(['accounts', 'test']);
      expect(text.stdout).toContain(scope);
    } finally {
      w.sandbox.zoom.resetFaults();
    }
  });
});

describe('zk status shows the token and rate-limit health the daemon recorded', () => {
  test('ok after a clean run; FAILED with the reason after Zoom refused a token', async () => {
    const r = await w.zk(['status', '--json']);
    const demo = (JSON.parse(r.stdout) as { accounts: Array<{ tokenHealth: string; rateLimitHealth: string; zoomHealth: any }> }).accounts[0];
    expect(demo.zoomHealth.token).toEqual(expect.objectContaining({ ok: true, lastFailedAt: null }));
    expect(demo.tokenHealth).toMatch(/^ok \(issued \d+s ago\)$/);
    // The sandbox sends X-RateLimit-* headers; the last reading is kept.
    expect(demo.zoomHealth.rateLimit.remaining).toEqual(expect.any(Number));
    expect(['Light', 'Medium', 'Heavy']).toContain(demo.zoomHealth.rateLimit.category);
    expect(demo.rateLimitHealth).toMatch(/^\d+\/\d+ (Light|Medium|Heavy) left/);
    const text = await w.zk(['status']);
    expect(text.stdout).not.toContain('unknown*');

    // The next daemon run gets a 401 for its token: its poll fails, and status says why.
    w.sandbox.zoom.setFaults({ failNext: [{ pathPrefix: '/oauth/token', status: 401, count: 1 }] });
    await w.runDaemon();
    expect(w.sandbox.zoom.state.callCounts()['POST /oauth/token']).toBeGreaterThanOrEqual(1);
    const after = JSON.parse((await w.zk(['status', '--json'])).stdout) as { accounts: Array<{ tokenHealth: string; zoomHealth: any }> };
    expect(after.accounts[0].zoomHealth.token.ok).toBe(false);
    expect(after.accounts[0].tokenHealth).toMatch(/^FAILED \d+s ago: HTTP 401 \(code 124\)$/);
    expect((await w.zk(['status'])).stdout).toContain('FAILED');
  });
});
