/**
 * The two binaries as a user runs them (compiled dist/, real processes): the
 * README quick start, usage and config exit codes, --help, and the single
 * daemon per database rule.
 */
import { describe, expect, test, afterAll } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../helpers/tmp.js';

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
const ZK = join(ROOT, 'bin', 'zk.js');
const DAEMON = join(ROOT, 'bin', 'zk-daemon.js');
const dirs: Array<{ cleanup(): void }> = [];
afterAll(() => dirs.forEach((d) => d.cleanup()));

function run(bin: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('quick start: zk-daemon start --sandbox', () => {
  test('ingests the demo set, then zk status and zk files read the same database', () => {
    const t = tempDir('zk-quick-');
    dirs.push(t);
    const sandboxDir = join(t.dir, 'sandbox');
    const r = run(DAEMON, ['start', '--sandbox', '--sandbox-dir', sandboxDir, '--exit-when-idle'], { env: { ZK_WORK_INTERVAL_MS: '100' } });
    expect(r.stderr).toContain('bundled sandbox running');
    expect(r.code).toBe(0);

    const db = new Database(join(sandboxDir, 'zk.db'), { readonly: true });
    const states = Object.fromEntries(
      (db.prepare('SELECT state, COUNT(*) AS n FROM files GROUP BY state').all() as Array<{ state: string; n: number }>).map((x) => [x.state, x.n]),
    );
    const stuck = db.prepare("SELECT COUNT(*) AS n FROM files WHERE state IN ('PENDING','TRANSFERRING','IMPORTING','RETRY_WAIT','FAILED')").get() as { n: number };
    db.close();
    // Everything complete in Zoom was verified (then scheduled for deletion after the 2m delay).
    expect((states.HANDLED ?? 0) + (states.PURGE_PENDING ?? 0)).toBeGreaterThanOrEqual(10);
    expect(stuck.n).toBe(0);
    // The demo's late upload is still processing in Zoom: held, not ingested.
    expect(states.DETECTED).toBeGreaterThanOrEqual(1);

    const config = join(sandboxDir, 'zk.yaml');
    const status = run(ZK, ['status', '--json', '--config', config]);
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout) as { accounts: Array<{ name: string; files: Record<string, number> }> };
    expect(report.accounts.map((a) => a.name)).toEqual(['demo']);

    const list = run(ZK, ['files', 'list', '--json', '--config', config]);
    expect(list.code).toBe(0);
    const files = JSON.parse(list.stdout) as { files: unknown[] } | unknown[];
    expect(Array.isArray(files) ? files.length : files.files.length).toBeGreaterThanOrEqual(15);
  });
});

describe('exit codes and help', () => {
  test('a broken config exits 78 and names every problem', () => {
    const t = tempDir('zk-cfg-');
    dirs.push(t);
    const file = join(t.dir, 'zk.yaml');
    writeFileSync(file, 'global:\n  pollInterval: often\nkaltura:\n  partnerId: abc\naccounts: []\n');
    for (const [bin, args] of [
      [ZK, ['config', 'check', '--config', file]],
      [DAEMON, ['start', '--config', file]],
    ] as const) {
      const r = run(bin, [...args]);
      expect(r.code).toBe(78);
      expect(r.stderr).toContain('global.pollInterval');
      expect(r.stderr).toContain('kaltura.partnerId');
      expect(r.stderr).toContain('kaltura.adminSecret');
      expect(r.stderr).toContain('accounts');
    }
  });

  test('a missing config file exits 78 and says which path was tried', () => {
    const r = run(ZK, ['status', '--config', '/nonexistent/zk.yaml']);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('/nonexistent/zk.yaml');
  });

  test('unknown options and commands exit 2; --help and --version exit 0', () => {
    expect(run(ZK, ['status', '--bogus']).code).toBe(2);
    expect(run(ZK, ['frobnicate']).code).toBe(2);
    const help = run(ZK, ['--help']);
    expect(help.code).toBe(0);
    for (const cmd of ['config', 'migrate', 'status', 'files', 'accounts', 'users', 'import-legacy', 'backfill', 'sandbox']) expect(help.stdout).toContain(cmd);
    expect(run(DAEMON, ['start', '--help']).stdout).toContain('--exit-when-idle');
    expect(run(ZK, ['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('zk migrate and a database from a newer zk', () => {
  test('migrate creates the database 0600; a newer schema makes every entry point exit 65', () => {
    const t = tempDir('zk-migrate-');
    dirs.push(t);
    const database = join(t.dir, 'state', 'zk.db');
    const file = join(t.dir, 'zk.yaml');
    writeFileSync(
      file,
      `global: { database: ${JSON.stringify(database)} }\nkaltura: { partnerId: 1, adminSecret: s }\n` +
        'accounts:\n  - name: a\n    credentials: { accountId: x, clientId: y, clientSecret: z }\n    owner: { defaultUserId: d }\n',
    );
    const first = run(ZK, ['migrate', '--config', file]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/schema version [1-9]/);
    expect(statSync(database).mode & 0o777).toBe(0o600);
    expect(run(ZK, ['migrate', '--config', file]).stdout).toBe(first.stdout);

    const db = new Database(database);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, ?, ?)').run('from-the-future', Date.now());
    db.close();
    for (const [bin, args] of [
      [ZK, ['status', '--config', file]],
      [ZK, ['migrate', '--config', file]],
      [DAEMON, ['start', '--config', file]],
    ] as const) {
      const r = run(bin, [...args]);
      expect(r.code).toBe(65);
      expect(r.stderr).toContain('999');
    }
  });
});

describe('one daemon per database', () => {
  test('a second daemon on the same database exits 75 while the first runs; SIGTERM stops the first with 0', async () => {
    const t = tempDir('zk-lock-');
    dirs.push(t);
    // The first daemon runs the sandbox; the second reuses its generated config.
    const sandboxDir = join(t.dir, 'sandbox');
    const first = spawn(process.execPath, [DAEMON, 'start', '--sandbox', '--sandbox-dir', sandboxDir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    first.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const deadline = Date.now() + 30_000;
    while (!stderr.includes('zk daemon started') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(stderr).toContain('zk daemon started');

    const second = run(DAEMON, ['start', '--config', join(sandboxDir, 'zk.yaml')]);
    expect(second.code).toBe(75);
    expect(second.stderr).toContain('another zk daemon holds the database lock');

    const exited = new Promise<number | null>((r) => first.on('exit', (code) => r(code)));
    first.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('zk daemon stopped');
  });
});
