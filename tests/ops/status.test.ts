import { describe, expect, test, afterEach } from '@jest/globals';
import { registerStatusCommand } from '../../src/cli/commands/status.js';
import { EXIT } from '../../src/errors.js';
import { LIVE_CHECK_HINT, type StatusReport } from '../../src/ops/status.js';
import { NOW, insertAccount, insertFile, insertRecording, makeConfig, makeStore, runCli, type Fixture } from './fixtures.js';

const fixtures: Fixture[] = [];
afterEach(() => fixtures.splice(0).forEach((f) => f.cleanup()));

function seeded(): Fixture {
  const f = makeStore();
  fixtures.push(f);
  const { db } = f;
  insertAccount(db, 'main', { lastPollOkAt: NOW - 5 * 60_000, cursor: '2024-06-09', lastError: 'Zoom 429 on listRecordings', lastErrorAt: NOW - 3_600_000 });
  insertAccount(db, 'legacy');
  const r = insertRecording(db, 'main', 'uuid-a==', '2024-06-09T10:00:00Z');
  insertFile(db, r, { state: 'PENDING', detectedAt: NOW - 2 * 3_600_000 });
  insertFile(db, r, { state: 'RETRY_WAIT', detectedAt: NOW - 26 * 3_600_000 });
  insertFile(db, r, { state: 'HANDLED' });
  insertFile(db, r, { state: 'FAILED', detectedAt: NOW - 100 * 3_600_000 });
  return f;
}

describe('zk status', () => {
  test('JSON: per account counts, oldest pending, cursor, last error; config accounts first, db-only accounts flagged', async () => {
    const f = seeded();
    const config = makeConfig(f.dbPath, [{ name: 'main' }, { name: 'med', enabled: false }]);
    const run = await runCli([registerStatusCommand], ['status', '--json'], { config });
    expect(run.code).toBe(EXIT.OK);
    const report = JSON.parse(run.stdout) as StatusReport;
    expect(report.accounts.map((a) => a.name)).toEqual(['main', 'med', 'legacy']);
    const [main, med, legacy] = report.accounts;
    expect(main).toMatchObject({
      enabled: true,
      inConfig: true,
      inDatabase: true,
      cursor: '2024-06-09',
      lastPollOkAt: '2024-06-10T11:55:00Z',
      totalFiles: 4,
      lastError: { message: 'Zoom 429 on listRecordings', at: '2024-06-10T11:00:00Z' },
      tokenHealth: LIVE_CHECK_HINT,
      rateLimitHealth: LIVE_CHECK_HINT,
    });
    expect(main.files).toMatchObject({ PENDING: 1, RETRY_WAIT: 1, HANDLED: 1, FAILED: 1, PURGED: 0 });
    // FAILED is older but is not waiting for a transfer: the oldest pending is the RETRY_WAIT one.
    expect(main.oldestPending).toMatchObject({ state: 'RETRY_WAIT', ageSeconds: 26 * 3600 });
    expect(med).toMatchObject({ enabled: false, inDatabase: false, lastPollOkAt: null, cursor: null, totalFiles: 0, oldestPending: null });
    expect(legacy).toMatchObject({ inConfig: false, inDatabase: true });
    expect(report.daemon.running).toBe(false);
  });

  test('table: aligned columns, the unknown health hint and the last error', async () => {
    const f = seeded();
    f.db.prepare('INSERT INTO leases (name, owner, acquired_at, expires_at) VALUES (?, ?, ?, ?)').run('daemon', 'host:42:abcd', NOW - 1000, NOW + 60_000);
    const run = await runCli([registerStatusCommand], ['status'], { config: makeConfig(f.dbPath, [{ name: 'main' }]) });
    expect(run.code).toBe(EXIT.OK);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('daemon: running (host:42:abcd)');
    const header = lines.find((l) => l.startsWith('ACCOUNT'))!;
    const mainRow = lines.find((l) => l.startsWith('main '))!;
    // Aligned: every column starts at the same offset in the header and the row.
    expect(mainRow.indexOf('yes')).toBe(header.indexOf('ENABLED'));
    expect(mainRow.indexOf('2024-06-09 ')).toBe(header.indexOf('CURSOR'));
    expect(mainRow).toContain('1d 2h');
    expect(mainRow).toContain('PENDING=1 HANDLED=1 RETRY_WAIT=1 FAILED=1');
    expect(run.stdout).toContain(LIVE_CHECK_HINT);
    expect(run.stdout).toContain('last error main at 2024-06-10T11:00:00Z: Zoom 429 on listRecordings');
  });

  test('--account narrows; an unknown account is a usage error naming it', async () => {
    const f = seeded();
    const config = makeConfig(f.dbPath, [{ name: 'main' }]);
    const one = await runCli([registerStatusCommand], ['status', '--json', '--account', 'main'], { config });
    expect((JSON.parse(one.stdout) as StatusReport).accounts.map((a) => a.name)).toEqual(['main']);
    const bad = await runCli([registerStatusCommand], ['status', '--account', 'nope'], { config });
    expect(bad.code).toBe(EXIT.USAGE);
    expect(bad.stderr).toContain('unknown account "nope"');
    expect(bad.stderr).toContain('main');
  });
});
