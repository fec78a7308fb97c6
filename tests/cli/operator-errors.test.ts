/**
 * Issue 19 through the compiled binaries: database paths that cannot work
 * exit 78 naming global.database (no hang); with --json an error is one JSON
 * document on stdout with the same exit code; risky settings warn without
 * failing; two accounts for one Zoom account are refused; the log file is
 * private; sub-command help shows -c/--config.
 */
import { describe, expect, test, afterAll } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from '../helpers/tmp.js';

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
const ZK = join(ROOT, 'bin', 'zk.js');
const DAEMON = join(ROOT, 'bin', 'zk-daemon.js');
const dirs: Array<{ cleanup(): void }> = [];
afterAll(() => dirs.forEach((d) => d.cleanup()));

function run(bin: string, args: string[], timeout = 30_000) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: ROOT, env: { ...process.env, ZK_CONFIG: '' }, encoding: 'utf8', timeout });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function configFile(body: (dir: string) => string): { file: string; dir: string } {
  const t = tempDir('zk-errs-');
  dirs.push(t);
  const file = join(t.dir, 'zk.yaml');
  writeFileSync(file, body(t.dir));
  return { file, dir: t.dir };
}

const ACCOUNT = '  - name: main\n    credentials: { accountId: acct-main, clientId: client-main, clientSecret: secret-main-1234 }\n    owner: { defaultUserId: d }\n';
const basic = (global: string, extra = '') => (dir: string) =>
  `global:\n  database: ${JSON.stringify(join(dir, 'zk.db'))}\n${global}kaltura: { partnerId: 1, adminSecret: admin-secret-1234 }\n${extra}accounts:\n${ACCOUNT}`;

describe('global.database that cannot work exits 78 naming the key', () => {
  test.each([
    ['a parent that is a file', '/etc/passwd/zk.db'],
    ['a path under /proc (used to hang)', '/proc/zk-test/zk.db'],
    ['a path under /sys', '/sys/zk.db'],
  ])('%s', (_name, database) => {
    const { file } = configFile(() => `global: { database: ${database} }\nkaltura: { partnerId: 1, adminSecret: admin-secret-1234 }\naccounts:\n${ACCOUNT}`);
    for (const [bin, args] of [
      [ZK, ['status', '--config', file]],
      [ZK, ['migrate', '--config', file]],
      [DAEMON, ['start', '--config', file]],
    ] as const) {
      const r = run(bin, [...args], 20_000);
      expect({ code: r.code, key: r.stderr.includes('global.database') }).toEqual({ code: 78, key: true });
    }
  });
});

describe('--json errors are one JSON document on stdout, with the same exit code', () => {
  const parse = (stdout: string) => JSON.parse(stdout) as { error: { code: string; message: string; key?: string } };

  test('config check --json on an invalid config: 78, CONFIG_INVALID, the first key', () => {
    const { file } = configFile(() => 'global:\n  pollInterval: often\nkaltura: { partnerId: 1, adminSecret: s3cr3t-value }\naccounts: []\n');
    const r = run(ZK, ['config', 'check', '--json', '--config', file]);
    expect(r.code).toBe(78);
    const doc = parse(r.stdout);
    expect(doc.error.code).toBe('CONFIG_INVALID');
    expect(doc.error.key).toBe('global.pollInterval');
    expect(doc.error.message).toContain('accounts');
  });

  test('status --json --account nope: 2, USAGE, key --account', () => {
    const { file } = configFile(basic(''));
    const r = run(ZK, ['status', '--json', '--account', 'nope', '--config', file]);
    expect(r.code).toBe(2);
    expect(parse(r.stdout).error).toEqual({ code: 'USAGE', message: expect.stringContaining('nope'), key: '--account' });
  });

  test('a missing config file, a bad flag and an unknown file id are JSON too', () => {
    const missing = run(ZK, ['files', 'list', '--json', '--config', '/nonexistent/zk.yaml']);
    expect(missing.code).toBe(78);
    expect(parse(missing.stdout).error.key).toBe('<file>');
    const bogus = run(ZK, ['status', '--json', '--bogus']);
    expect(bogus.code).toBe(2);
    expect(parse(bogus.stdout).error.code).toBe('USAGE');
    const { file } = configFile(basic(''));
    const unknown = run(ZK, ['files', 'show', '999', '--json', '--config', file]);
    expect(unknown.code).not.toBe(0);
    expect(parse(unknown.stdout).error.message).toContain('999');
    const users = run(ZK, ['users', 'report', '--format', 'json', '--account', 'nope', '--config', file]);
    expect(users.code).toBe(2);
    expect(parse(users.stdout).error.key).toBe('--account');
  });
});

describe('hygiene', () => {
  test('risky settings warn on stderr, naming the key, and the check still passes', () => {
    const { file, dir } = configFile(
      (d) =>
        `global:\n  database: ${JSON.stringify(join(d, 'zk.db'))}\n  metrics: { listen: "0.0.0.0:9464" }\n  retry: { baseDelay: 2h, maxDelay: 1h }\n` +
        `kaltura: { partnerId: 1, adminSecret: { file: secret.txt }, serviceUrl: "http://kaltura.example.com" }\n` +
        `zoom: { apiUrl: "ftp://zoom.example.com/v2" }\naccounts:\n${ACCOUNT}`,
    );
    writeFileSync(join(dir, 'secret.txt'), 'admin-secret-from-file\n');
    chmodSync(join(dir, 'secret.txt'), 0o644);
    const r = run(ZK, ['config', 'check', '--quiet', '--config', file]);
    expect(r.code).toBe(0);
    for (const key of ['kaltura.serviceUrl', 'zoom.apiUrl', 'global.metrics.listen', 'global.retry.baseDelay', 'kaltura.adminSecret']) {
      expect(r.stderr).toContain(`warning: ${key}:`);
    }
    expect(r.stderr).not.toContain('admin-secret-from-file');
    // Fixed, they go away: loopback http is fine (the sandbox), and a private secret file.
    chmodSync(join(dir, 'secret.txt'), 0o600);
    const quiet = run(ZK, ['config', 'check', '--quiet', '--config', configFile(basic('', 'zoom: { apiUrl: "http://127.0.0.1:9/v2" }\n')).file]);
    expect(quiet.stderr).toBe('');
  });

  test('two accounts with the same Zoom accountId exit 78 naming both', () => {
    const { file } = configFile(basic(''));
    writeFileSync(
      file,
      `kaltura: { partnerId: 1, adminSecret: admin-secret-1234 }\naccounts:\n${ACCOUNT}` +
        '  - name: again\n    credentials: { accountId: acct-main, clientId: client-2, clientSecret: secret-two-1234 }\n    owner: { defaultUserId: d }\n',
    );
    const r = run(ZK, ['config', 'check', '--config', file]);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('accounts[1].credentials.accountId');
    expect(r.stderr).toContain('"main"');
    expect(r.stderr).toContain('"again"');
  });

  test('the log file is created 0600', () => {
    const { file, dir } = configFile(
      (d) =>
        `global:\n  database: ${JSON.stringify(join(d, 'zk.db'))}\n  log: { file: ${JSON.stringify(join(d, 'logs', 'zk.log'))} }\n  metrics: { enabled: false }\n` +
        `kaltura: { partnerId: 1, adminSecret: admin-secret-1234, serviceUrl: "http://127.0.0.1:9" }\nzoom: { apiUrl: "http://127.0.0.1:9/v2", oauthUrl: "http://127.0.0.1:9/oauth/token" }\naccounts:\n${ACCOUNT}`,
    );
    // The dry run needs Zoom (unreachable here) but opens the log first.
    run(ZK, ['backfill', '--window', '1d', '--dry-run', '--config', file], 60_000);
    expect(statSync(join(dir, 'logs', 'zk.log')).mode & 0o777).toBe(0o600);
  });
});

describe('help', () => {
  test('sub-command --help shows -c, --config', () => {
    for (const args of [['status', '--help'], ['files', 'list', '--help'], ['import-legacy', '--help'], ['config', 'check', '--help']]) {
      const r = run(ZK, args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('-c, --config <path>');
    }
  });

  test('npm pack ships docs/ and deploy/ (the README points at them)', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    const paths = (JSON.parse(r.stdout) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['docs/operations.md', 'deploy/zk-daemon.service', 'config/zk.example.yaml', 'README.md']));
  });
});
