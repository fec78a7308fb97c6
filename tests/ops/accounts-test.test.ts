import { describe, expect, test, afterEach } from '@jest/globals';
import { registerAccountsCommand } from '../../src/cli/commands/accounts.js';
import { EXIT, FatalError, RetryableError } from '../../src/errors.js';
import type { CheckResult } from '../../src/ops/accounts-test.js';
import type { AccountListing } from '../../src/ops/accounts-list.js';
import { meeting, type FakeZoom, type FakeZoomOptions } from '../fakes/fake-zoom.js';
import { opsKaltura, opsZoom } from './ops-world.js';
import { NOW, insertAccount, makeConfig, makeStore, runCli, type Fixture } from './fixtures.js';

const fixtures: Fixture[] = [];
afterEach(() => fixtures.splice(0).forEach((f) => f.cleanup()));

const ALL_SCOPES = [
  'cloud_recording:read:list_account_recordings:admin',
  'cloud_recording:read:recording:admin',
  'cloud_recording:delete:recording_file:admin',
  'user:read:list_users:admin',
  'user:read:user:admin',
  'meeting:read:meeting:admin',
  'report:read:list_meeting_participants:admin',
  'dashboard:read:list_meeting_participants:admin',
];

const kaltura = () =>
  opsKaltura({
    users: [{ id: 'fallback', status: 1 }],
    categories: [{ id: 11, fullName: 'MediaSpace>site>channels>Lectures' }, { id: 12, fullName: 'Zoom' }],
  });

async function accountsTest(zoom: FakeZoomOptions | ((account: string) => FakeZoomOptions), opts: { args?: string[]; accounts?: Array<Record<string, unknown>>; sink?: () => ReturnType<typeof kaltura> } = {}) {
  const f = makeStore();
  fixtures.push(f);
  const sources: FakeZoom[] = [];
  const config = makeConfig(f.dbPath, opts.accounts ?? [{ name: 'main', meetings: { categories: ['MediaSpace>site>channels>Lectures', 'Zoom'] } }]);
  const run = await runCli([registerAccountsCommand], ['accounts', 'test', '--json', ...(opts.args ?? [])], {
    config,
    zoomSource: (account) => {
      const s = opsZoom({ account: account.name, ...(typeof zoom === 'function' ? zoom(account.name) : zoom) });
      sources.push(s);
      return s;
    },
    kalturaSink: opts.sink ?? kaltura,
  });
  const parsed = run.stdout ? (JSON.parse(run.stdout) as { ok: boolean; checks: CheckResult[] }) : { ok: false, checks: [] };
  return { run, ...parsed, sources, f, config };
}

const find = (checks: CheckResult[], target: string, check: string) => checks.find((c) => c.target === target && c.check === check);

// A meeting yesterday (2024-06-09) with a big MP4 and a small chat file.
const recent = [meeting(111, '2024-06-09T10:00:00Z', [{ fileSize: 5_000_000 }, { fileType: 'CHAT', fileExtension: 'TXT', fileSize: 300 }])];

describe('zk accounts test', () => {
  test('all checks pass: every capability probed once, nothing deleted, the smallest file downloaded and closed', async () => {
    const { run, ok, checks, sources } = await accountsTest({ meetings: recent, grantedScopes: ALL_SCOPES, users: [{ email: 'p@example.edu', type: 1, status: 'pending' }] });
    expect(run.code).toBe(EXIT.OK);
    expect(ok).toBe(true);
    const zoom = checks.filter((c) => c.target === 'zoom:main');
    expect(zoom.map((c) => [c.check, c.status])).toEqual([
      ['credentials', 'PASS'],
      ['list recordings', 'PASS'],
      ['download', 'PASS'],
      ['delete', 'PASS'],
      ['list users', 'PASS'],
      ['get user', 'PASS'],
      ['meeting details', 'PASS'],
      ['participants report', 'PASS'],
      ['co-hosts (dashboard)', 'PASS'],
    ]);
    expect(find(checks, 'zoom:main', 'download')!.detail).toContain('CHAT');
    expect(sources[0].downloads).toHaveLength(1);
    expect(sources[0].downloads[0].stream.destroyed).toBe(true);
    expect(checks.filter((c) => c.target === 'kaltura').map((c) => [c.check, c.status])).toEqual([
      ['session', 'PASS'],
      ['default user (main)', 'PASS'],
      ['category MediaSpace>site>channels>Lectures (main)', 'PASS'],
      ['category Zoom (main)', 'PASS'],
    ]);
  });

  test('a withheld scope: FAIL naming the scope and the fix, exit 3', async () => {
    const scope = 'report:read:list_meeting_participants:admin';
    const { run, checks } = await accountsTest({ meetings: recent, withheldScopes: [scope] }, {
      accounts: [{ name: 'main', permissions: { participants: 'coViewer' } }],
    });
    expect(run.code).toBe(EXIT.PARTIAL);
    const c = find(checks, 'zoom:main', 'participants report')!;
    expect(c.status).toBe('FAIL');
    // Participants are optional: the detail says the daemon degrades the feature instead of halting.
    expect(c.detail).toBe(`missing scope ${scope}; degraded: the daemon ingests without permissions.participants for this account`);
    expect(c.fix).toContain(`add scope ${scope} to the Server-to-Server OAuth app in the Zoom Marketplace`);
    // Without token introspection the delete scope cannot be probed: unknown, not pass.
    expect(find(checks, 'zoom:main', 'delete')).toMatchObject({ status: 'SKIP' });
    expect(find(checks, 'zoom:main', 'delete')!.detail).toMatch(/^unknown/);
  });

  test('the human output lists the fix for each failure', async () => {
    const f = makeStore();
    fixtures.push(f);
    const scope = 'cloud_recording:read:list_account_recordings:admin';
    const run = await runCli([registerAccountsCommand], ['accounts', 'test'], {
      config: makeConfig(f.dbPath, [{ name: 'main' }]),
      zoomSource: (a) => opsZoom({ account: a.name, withheldScopes: [scope] }),
      kalturaSink: kaltura,
    });
    expect(run.code).toBe(EXIT.PARTIAL);
    expect(run.stdout).toMatch(/zoom:main\s+list recordings\s+FAIL\s+missing scope cloud_recording:read:list_account_recordings:admin/);
    expect(run.stdout).toContain(`fixes:\n  zoom:main list recordings: add scope ${scope}`);
    expect(run.stdout).toContain('1 check failed');
  });

  test('a scope not needed by the config is reported as SKIP with the failure, not FAIL', async () => {
    const { run, checks } = await accountsTest({ meetings: recent, withheldScopes: ['dashboard:read:list_meeting_participants:admin'] });
    const c = find(checks, 'zoom:main', 'co-hosts (dashboard)')!;
    expect(c.status).toBe('SKIP');
    expect(c.detail).toContain('permissions.coHosts is "ignore"');
    expect(c.detail).toContain('dashboard:read:list_meeting_participants:admin');
    expect(run.code).toBe(EXIT.OK);
  });

  test('rejected credentials: credentials FAIL with the fix, the other Zoom checks are not attempted', async () => {
    const { run, checks, sources } = await accountsTest({ failAll: new FatalError('Invalid client_id or client_secret', { code: 'ZOOM_AUTH', status: 401, source: 'zoom' }) });
    expect(run.code).toBe(EXIT.PARTIAL);
    const zoom = checks.filter((c) => c.target === 'zoom:main');
    expect(zoom).toHaveLength(1);
    expect(zoom[0]).toMatchObject({ check: 'credentials', status: 'FAIL' });
    expect(zoom[0].fix).toContain('accounts[main].credentials');
    expect(sources[0].calls.map((c) => c.method)).toEqual(['listRecordings']);
  });

  test('delete scope checked from the token when the adapter exposes grantedScopes', async () => {
    const without = ALL_SCOPES.filter((s) => !s.includes(':delete:'));
    const enabled = await accountsTest({ meetings: recent, grantedScopes: without }, { accounts: [{ name: 'main', delete: { enabled: true } }] });
    expect(find(enabled.checks, 'zoom:main', 'delete')).toMatchObject({ status: 'FAIL', detail: 'missing scope cloud_recording:delete:recording_file:admin' });
    const disabled = await accountsTest({ meetings: recent, grantedScopes: without });
    expect(find(disabled.checks, 'zoom:main', 'delete')!.status).toBe('SKIP');
  });

  test('no recent recording: download and meeting probes are skipped, searching up to 30 days', async () => {
    const { run, checks, sources } = await accountsTest({ meetings: [] });
    expect(run.code).toBe(EXIT.OK);
    expect(find(checks, 'zoom:main', 'download')).toMatchObject({ status: 'SKIP', detail: 'skipped: no recording to try in the last 30 days' });
    expect(find(checks, 'zoom:main', 'meeting details')!.status).toBe('SKIP');
    expect(sources[0].count('listRecordings')).toBe(3);
  });

  test('a recording from 20 days ago is found by widening the window', async () => {
    const { checks } = await accountsTest({ meetings: [meeting(222, '2024-05-21T10:00:00Z')] });
    expect(find(checks, 'zoom:main', 'download')!.status).toBe('PASS');
    expect(find(checks, 'zoom:main', 'meeting details')!.status).toBe('PASS');
  });

  test('temporary failures say to try again', async () => {
    const { checks } = await accountsTest({ failAll: new RetryableError('socket hang up', { code: 'ECONNRESET', source: 'zoom' }) });
    const c = find(checks, 'zoom:main', 'list recordings')!;
    expect(c.status).toBe('FAIL');
    expect(c.fix).toContain('try again');
  });

  test('Kaltura: missing default user and category FAIL with fixes; createMissing turns a missing category into SKIP', async () => {
    const sink = () => opsKaltura({ users: [], categories: [] });
    const { checks, run } = await accountsTest(
      { meetings: recent },
      {
        accounts: [
          { name: 'main', meetings: { categories: ['Lectures>2024'] } },
          { name: 'med', webinars: { categories: ['Grand rounds'] }, categories: { createMissing: true } },
        ],
        sink,
      },
    );
    expect(run.code).toBe(EXIT.PARTIAL);
    expect(find(checks, 'kaltura', 'default user (main)')).toMatchObject({ status: 'FAIL', detail: 'Kaltura user "fallback" does not exist' });
    expect(find(checks, 'kaltura', 'default user (main)')!.fix).toContain('owner.defaultUserId');
    expect(find(checks, 'kaltura', 'category Lectures>2024 (main)')).toMatchObject({ status: 'FAIL' });
    expect(find(checks, 'kaltura', 'category Lectures>2024 (main)')!.fix).toContain('createMissing');
    expect(find(checks, 'kaltura', 'category Grand rounds (med)')!.status).toBe('SKIP');
  });

  test('Kaltura session failure stops the Kaltura checks', async () => {
    const sink = () => opsKaltura({ failSession: new FatalError('Invalid KS', { code: 'INVALID_KS', source: 'kaltura' }) });
    const { checks } = await accountsTest({ meetings: recent }, { sink });
    const k = checks.filter((c) => c.target === 'kaltura');
    expect(k).toHaveLength(1);
    expect(k[0]).toMatchObject({ check: 'session', status: 'FAIL', detail: 'Invalid KS [INVALID_KS]' });
    expect(k[0].fix).toContain('kaltura.adminSecret');
  });

  test('--account tests one account; an unknown one is a usage error', async () => {
    const two = [{ name: 'main' }, { name: 'med' }];
    const { checks } = await accountsTest({ meetings: recent }, { accounts: two, args: ['--account', 'med'] });
    expect(new Set(checks.map((c) => c.target))).toEqual(new Set(['zoom:med', 'kaltura']));
    const bad = await accountsTest({}, { accounts: two, args: ['--account', 'nope'] });
    expect(bad.run.code).toBe(EXIT.USAGE);
    expect(bad.run.stderr).toContain('unknown account "nope"');
  });
});

describe('zk accounts list', () => {
  test('config and database accounts, no secrets', async () => {
    const f = makeStore();
    fixtures.push(f);
    insertAccount(f.db, 'main', { lastPollOkAt: NOW - 60_000 });
    insertAccount(f.db, 'old');
    const config = makeConfig(f.dbPath, [{ name: 'main', delete: { enabled: true, delay: '2d' } }, { name: 'med', enabled: false }]);
    const json = await runCli([registerAccountsCommand], ['accounts', 'list', '--json'], { config });
    expect(json.code).toBe(EXIT.OK);
    const listed = (JSON.parse(json.stdout) as { accounts: AccountListing[] }).accounts;
    expect(listed.map((a) => [a.name, a.enabled, a.inConfig])).toEqual([
      ['main', true, true],
      ['med', false, true],
      ['old', true, false],
    ]);
    expect(listed[0]).toMatchObject({ zoomAccountId: 'acc-main', lastPollOkAt: '2024-06-10T11:59:00Z', delete: { enabled: true, action: 'trash', delayMs: 172_800_000 } });
    const table = await runCli([registerAccountsCommand], ['accounts', 'list'], { config });
    expect(table.stdout).toMatch(/main\s+yes\s+acc-main\s+trash after 2d/);
    for (const out of [json.stdout, table.stdout]) {
      expect(out).not.toContain('zoom-secret');
      expect(out).not.toContain('secret-not-printed');
    }
  });
});
