/**
 * `zk users report` and `zk accounts test` end to end: the real Zoom and
 * Kaltura adapters over HTTP against the sandboxes with their demo seeds.
 */
import { describe, expect, test, beforeAll, afterAll, afterEach } from '@jest/globals';
import { startZoomSandbox, ALL_SCOPES, ZOOM_SCOPES, type ZoomSandbox } from '../../src/sandbox/zoom/server.js';
import { startKalturaSandbox, type KalturaSandbox } from '../../src/sandbox/kaltura/server.js';
import { ZOOM_DEMO_ACCOUNT, ZOOM_DEMO_USERS, zoomDemoSeed } from '../../src/sandbox/seed/zoom-demo.js';
import { KALTURA_DEMO_ADMIN_SECRET, KALTURA_DEMO_CATEGORIES, KALTURA_DEMO_DEFAULT_OWNER, KALTURA_DEMO_PARTNER_ID, kalturaDemoSeed } from '../../src/sandbox/seed/kaltura-demo.js';
import { createZoomSource } from '../../src/zoom/index.js';
import { createKalturaSink } from '../../src/kaltura/index.js';
import { registerUsersCommand } from '../../src/cli/commands/users.js';
import { registerAccountsCommand } from '../../src/cli/commands/accounts.js';
import { config as configSchema, type Config, type AccountConfig } from '../../src/config/schema.js';
import { EXIT } from '../../src/errors.js';
import { planTypeName, type UsersReport } from '../../src/ops/users-report.js';
import type { CheckResult } from '../../src/ops/accounts-test.js';
import { makeStore, runCli, type Fixture } from './fixtures.js';

const NOW = Date.now();
const WITHHELD = ZOOM_SCOPES.reportParticipants;
const LIMITED = { accountId: 'sbx-account-2', clientId: 'sbx-client-2', clientSecret: 'sbx-secret-2' };

let zoom: ZoomSandbox;
let kaltura: KalturaSandbox;
const fixtures: Fixture[] = [];

beforeAll(async () => {
  zoom = await startZoomSandbox({
    accounts: [{ ...ZOOM_DEMO_ACCOUNT }, { ...LIMITED, scopes: ALL_SCOPES.filter((s) => s !== WITHHELD) }],
    seed: [zoomDemoSeed(NOW), zoomDemoSeed(NOW, LIMITED.accountId)],
    now: () => NOW,
  });
  kaltura = await startKalturaSandbox({ partners: [{ partnerId: KALTURA_DEMO_PARTNER_ID, adminSecret: KALTURA_DEMO_ADMIN_SECRET }], seed: kalturaDemoSeed() });
});
afterAll(async () => {
  await zoom.close();
  await kaltura.close();
});
afterEach(() => fixtures.splice(0).forEach((f) => f.cleanup()));

function makeConfigFor(accounts: Array<Record<string, unknown>>): Config {
  const f = makeStore();
  fixtures.push(f);
  return configSchema.parse({
    global: { database: f.dbPath },
    kaltura: { serviceUrl: kaltura.url, partnerId: KALTURA_DEMO_PARTNER_ID, adminSecret: KALTURA_DEMO_ADMIN_SECRET },
    zoom: { apiUrl: zoom.apiUrl, oauthUrl: zoom.oauthUrl },
    accounts: accounts.map((a) => ({ owner: { defaultUserId: KALTURA_DEMO_DEFAULT_OWNER }, ...a })),
  });
}

function adapters(config: Config) {
  return {
    zoomSource: (account: AccountConfig) =>
      createZoomSource({
        account: account.name,
        apiUrl: config.zoom.apiUrl,
        oauthUrl: config.zoom.oauthUrl,
        credentials: account.credentials,
        maxRetries: 0,
      }),
    kalturaSink: () =>
      createKalturaSink({
        serviceUrl: config.kaltura.serviceUrl,
        partnerId: config.kaltura.partnerId,
        adminSecret: config.kaltura.adminSecret,
        userId: config.kaltura.userId,
        privileges: config.kaltura.privileges,
        sessionExpiryMs: config.kaltura.sessionExpiry,
        maxRetries: 0,
      }),
    now: NOW,
  };
}

function expectedTotals(includeInactive: boolean): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const u of Object.values(ZOOM_DEMO_USERS)) {
    if (u.status === 'inactive' && !includeInactive) continue;
    if (u.email === '') continue; // GET /users never lists a user without an email (src/sandbox/zoom/DIVERGENCES.md)
    totals[planTypeName(u.type)] = (totals[planTypeName(u.type)] ?? 0) + 1;
  }
  return totals;
}

describe('against the sandboxes', () => {
  test('users report totals equal the seeded users, deactivated excluded by default', async () => {
    const config = makeConfigFor([{ name: 'main', credentials: { ...ZOOM_DEMO_ACCOUNT } }]);
    const run = await runCli([registerUsersCommand], ['users', 'report', '--format', 'json'], { config, ...adapters(config) });
    expect(run.code).toBe(EXIT.OK);
    const report = JSON.parse(run.stdout) as UsersReport;
    expect(report.totals).toEqual(expectedTotals(false));
    expect(report.total).toBe(Object.values(ZOOM_DEMO_USERS).filter((u) => u.status !== 'inactive' && u.email !== '').length);
    const dan = report.accounts[0].users.find((u) => u.email === ZOOM_DEMO_USERS.dan.email)!;
    expect(dan).toMatchObject({ id: null, status: 'pending' });
    expect(report.accounts[0].users.find((u) => u.email === ZOOM_DEMO_USERS.alice.email)).toMatchObject({
      name: 'Alice Adams',
      planTypeName: 'Licensed',
      lastLoginTime: ZOOM_DEMO_USERS.alice.lastLoginTime,
      lastClientVersion: ZOOM_DEMO_USERS.alice.lastClientVersion,
    });

    const all = await runCli([registerUsersCommand], ['users', 'report', '--json', '--include-inactive'], { config, ...adapters(config) });
    expect((JSON.parse(all.stdout) as UsersReport).totals).toEqual(expectedTotals(true));
  });

  test('accounts test passes every check on a fully scoped app and the seeded Kaltura partner', async () => {
    const config = makeConfigFor([
      { name: 'main', credentials: { ...ZOOM_DEMO_ACCOUNT }, meetings: { categories: [KALTURA_DEMO_CATEGORIES.zoom] }, permissions: { participants: 'coViewer', coHosts: 'coEditor' } },
    ]);
    const run = await runCli([registerAccountsCommand], ['accounts', 'test', '--json'], { config, ...adapters(config) });
    const { ok, checks } = JSON.parse(run.stdout) as { ok: boolean; checks: CheckResult[] };
    expect(checks.filter((c) => c.status === 'FAIL')).toEqual([]);
    expect(ok).toBe(true);
    expect(run.code).toBe(EXIT.OK);
    const byCheck = Object.fromEntries(checks.map((c) => [`${c.target} ${c.check}`, c.status]));
    expect(byCheck).toMatchObject({
      'zoom:main credentials': 'PASS',
      'zoom:main list recordings': 'PASS',
      'zoom:main download': 'PASS',
      'zoom:main list users': 'PASS',
      'zoom:main meeting details': 'PASS',
      'zoom:main participants report': 'PASS',
      'kaltura session': 'PASS',
      'kaltura default user (main)': 'PASS',
    });
    // No delete probe exists: nothing was deleted.
    expect(Object.keys(zoom.state.callCounts()).some((k) => k.startsWith('DELETE'))).toBe(false);
  });

  test('accounts test names the scope the sandbox withholds, with the fix, and exits 3', async () => {
    const config = makeConfigFor([{ name: 'limited', credentials: { ...LIMITED }, permissions: { participants: 'coViewer' } }]);
    const run = await runCli([registerAccountsCommand], ['accounts', 'test'], { config, ...adapters(config) });
    expect(run.code).toBe(EXIT.PARTIAL);
    expect(run.stdout).toMatch(new RegExp(`zoom:limited\\s+participants report\\s+FAIL\\s+missing scope ${WITHHELD}`));
    expect(run.stdout).toContain(`add scope ${WITHHELD} to the Server-to-Server OAuth app in the Zoom Marketplace`);
    expect(run.stdout).toContain('1 check failed');
  });

  test('wrong Zoom credentials fail the credentials check', async () => {
    const config = makeConfigFor([{ name: 'main', credentials: { ...ZOOM_DEMO_ACCOUNT, clientSecret: 'wrong' } }]);
    const run = await runCli([registerAccountsCommand], ['accounts', 'test', '--json'], { config, ...adapters(config) });
    expect(run.code).toBe(EXIT.PARTIAL);
    const { checks } = JSON.parse(run.stdout) as { checks: CheckResult[] };
    expect(checks.find((c) => c.target === 'zoom:main')).toMatchObject({ check: 'credentials', status: 'FAIL' });
    expect(checks.filter((c) => c.target === 'zoom:main')).toHaveLength(1);
  });
});
