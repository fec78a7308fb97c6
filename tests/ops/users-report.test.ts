import { describe, expect, test, afterEach } from '@jest/globals';
import { registerUsersCommand } from '../../src/cli/commands/users.js';
import { EXIT } from '../../src/errors.js';
import type { ZoomUser } from '../../src/ingest/ports.js';
import { planTypeName, type UsersReport } from '../../src/ops/users-report.js';
import type { FakeZoom } from '../fakes/fake-zoom.js';
import { opsZoom } from './ops-world.js';
import { makeConfig, makeStore, runCli, type Fixture } from './fixtures.js';

const fixtures: Fixture[] = [];
afterEach(() => fixtures.splice(0).forEach((f) => f.cleanup()));

const USERS: ZoomUser[] = [
  { id: 'u1', email: 'ann@example.edu', firstName: 'Ann', lastName: 'Lee', type: 2, status: 'active', lastLoginTime: '2024-06-01T08:00:00Z', lastClientVersion: '5.17.0(mac)' },
  { id: 'u2', email: 'bob@example.edu', displayName: 'Bob "the builder", Jr.', type: 1, status: 'active' },
  { id: 'u3', email: 'cy@example.edu', type: 4, status: 'active' },
  { id: 'u4', email: 'dee@example.edu', type: 7, status: 'active' },
  { email: 'pending@example.edu', type: 1, status: 'pending' },
  { id: 'u6', email: 'gone@example.edu', type: 2, status: 'inactive' },
];

async function report(args: string[], accounts: Array<Record<string, unknown>> = [{ name: 'main' }]) {
  const f = makeStore();
  fixtures.push(f);
  const sources: FakeZoom[] = [];
  const run = await runCli([registerUsersCommand], ['users', 'report', ...args], {
    config: makeConfig(f.dbPath, accounts),
    zoomSource: (a) => {
      const s = opsZoom({ account: a.name, users: USERS });
      sources.push(s);
      return s;
    },
  });
  return { run, sources };
}

describe('zk users report', () => {
  test('plan type names, unknown codes by number', () => {
    expect([1, 2, 3, 4, 99, 7].map(planTypeName)).toEqual(['Basic', 'Licensed', 'On-prem', 'Unassigned without Meetings Basic', 'None', 'type 7']);
  });

  test('JSON: active and pending users, deactivated excluded by default, totals per plan type', async () => {
    const { run, sources } = await report(['--format', 'json']);
    expect(run.code).toBe(EXIT.OK);
    const r = JSON.parse(run.stdout) as UsersReport;
    expect(sources[0].argsOf('listUsers')).toEqual([['active'], ['pending']]);
    expect(r.total).toBe(5);
    expect(r.totals).toEqual({ Licensed: 1, Basic: 2, 'Unassigned without Meetings Basic': 1, 'type 7': 1 });
    const pending = r.accounts[0].users.find((u) => u.email === 'pending@example.edu')!;
    expect(pending).toMatchObject({ id: null, status: 'pending', planTypeName: 'Basic' });
    expect(r.accounts[0].users.find((u) => u.email === 'ann@example.edu')).toMatchObject({
      name: 'Ann Lee',
      planType: 2,
      lastLoginTime: '2024-06-01T08:00:00Z',
      lastClientVersion: '5.17.0(mac)',
    });
  });

  test('--include-inactive adds deactivated users; --json is --format json', async () => {
    const { run } = await report(['--json', '--include-inactive']);
    const r = JSON.parse(run.stdout) as UsersReport;
    expect(r.total).toBe(6);
    expect(r.totals.Licensed).toBe(2);
  });

  test('CSV per RFC 4180: header, CRLF, quoted fields with commas and doubled quotes', async () => {
    const { run } = await report(['--format', 'csv']);
    const lines = run.stdout.split('\r\n');
    expect(lines[0]).toBe('account,email,name,plan_type,plan_type_name,status,last_login_time,last_client_version,id');
    expect(lines).toContain('main,ann@example.edu,Ann Lee,2,Licensed,active,2024-06-01T08:00:00Z,5.17.0(mac),u1');
    expect(lines).toContain('main,bob@example.edu,"Bob ""the builder"", Jr.",1,Basic,active,,,u2');
    expect(lines).toContain('main,pending@example.edu,,1,Basic,pending,,,');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(1 + 5 + 1);
  });

  test('table: per user rows and totals; two accounts add an all-accounts total', async () => {
    const { run } = await report(['--format', 'table'], [{ name: 'main' }, { name: 'med' }, { name: 'off', enabled: false }]);
    expect(run.stdout).toContain('account main: 5 users (deactivated users excluded');
    expect(run.stdout).not.toContain('account off');
    expect(run.stdout).toMatch(/ann@example\.edu\s+Ann Lee\s+Licensed\s+active\s+2024-06-01T08:00:00Z\s+5\.17\.0\(mac\)/);
    expect(run.stdout).toMatch(/all accounts:\nPLAN TYPE\s+USERS\n(.*\n)*total\s+10\n/);
  });

  test('bad --format and unknown --account are usage errors', async () => {
    const badFormat = await report(['--format', 'xml']);
    expect(badFormat.run.code).toBe(EXIT.USAGE);
    expect(badFormat.run.stderr).toContain('unknown --format "xml"');
    const badAccount = await report(['--account', 'x']);
    expect(badAccount.run.code).toBe(EXIT.USAGE);
  });
});
