import { describe, expect, it, beforeEach, afterEach } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/errors.js';
import { loadConfig, resolveConfigPath } from '../../src/config/load.js';

const VALID = `
global:
  pollInterval: 2m
  backfills:
    - { schedule: "0 3 * * 0", window: 30d, accounts: [main] }
kaltura:
  partnerId: 4321
  adminSecret: \${ADMIN_SECRET}
  serviceUrl: https://kaltura.example.edu
accounts:
  - name: main
    description: "prefix-\${REGION}-suffix $\${LITERAL}"
    credentials:
      accountId: acc-1
      clientId: cid-1
      clientSecret: { file: secrets/zoom-main }
    owner: { postfixMode: add, postfix: "@example.edu", onNoMatch: create }
    groups: { optIn: [staff] }
  - name: second
    credentials: { accountId: acc-2, clientId: cid-2, clientSecret: "\${ZOOM_SECOND}" }
    owner: { defaultUserId: fallback }
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zk-load-'));
  mkdirSync(join(dir, 'config'));
  mkdirSync(join(dir, 'config', 'secrets'));
  writeFileSync(join(dir, 'config', 'secrets', 'zoom-main'), 'from-file-secret\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const env = { ADMIN_SECRET: 'admin-from-env', ZOOM_SECOND: 'second-from-env', REGION: 'eu' };

describe('loadConfig', () => {
  it('loads a valid file with defaults, ${ENV} and { file } secrets', () => {
    writeFileSync(join(dir, 'config', 'zk.yaml'), VALID);
    const { config, file } = loadConfig({ cwd: dir, env });
    expect(file).toBe(join(dir, 'config', 'zk.yaml'));
    expect(config.kaltura.adminSecret).toBe('admin-from-env');
    expect(config.kaltura.partnerId).toBe(4321);
    expect(config.accounts[0].credentials.clientSecret).toBe('from-file-secret');
    expect(config.accounts[1].credentials.clientSecret).toBe('second-from-env');
    expect(config.accounts[0].description).toBe('prefix-eu-suffix ${LITERAL}');
    expect(config.global.pollInterval).toBe(120_000);
    expect(config.global.lookback).toBe(3 * 86_400_000);
    expect(config.global.backfills[0]).toEqual({ schedule: '0 3 * * 0', window: 30 * 86_400_000, accounts: ['main'] });
    expect(config.accounts[1].owner).toEqual({
      matching: 'zoomUser',
      postfixMode: 'none',
      postfix: '',
      searchBy: 'email',
      onNoMatch: 'defaultUser',
      defaultUserId: 'fallback',
    });
    expect(config.accounts[1].delete).toEqual({ enabled: false, delay: 86_400_000, action: 'trash' });
    expect(config.zoom.apiUrl).toBe('https://api.zoom.us/v2');
  });

  it('prefers --config over ZK_CONFIG over ./config/zk.yaml', () => {
    expect(resolveConfigPath({ cwd: dir, env: {} })).toBe(join(dir, 'config', 'zk.yaml'));
    expect(resolveConfigPath({ cwd: dir, env: { ZK_CONFIG: 'other.yaml' } })).toBe(join(dir, 'other.yaml'));
    expect(resolveConfigPath({ cwd: dir, env: { ZK_CONFIG: 'other.yaml' }, path: '/etc/zk/zk.yaml' })).toBe('/etc/zk/zk.yaml');

    writeFileSync(join(dir, 'config', 'zk.yaml'), VALID);
    writeFileSync(join(dir, 'env.yaml'), VALID.replace('partnerId: 4321', 'partnerId: 2'));
    writeFileSync(join(dir, 'flag.yaml'), VALID.replace('partnerId: 4321', 'partnerId: 3').replace('secrets/zoom-main', 'config/secrets/zoom-main'));
    expect(loadConfig({ cwd: dir, env }).config.kaltura.partnerId).toBe(4321);
    // Relative { file } secrets resolve against the config file's directory, so env.yaml (in dir) cannot find secrets/zoom-main.
    expect(() => loadConfig({ cwd: dir, env: { ...env, ZK_CONFIG: 'env.yaml' } })).toThrow(/accounts\[0\]\.credentials\.clientSecret/);
    expect(loadConfig({ cwd: dir, env: { ...env, ZK_CONFIG: 'env.yaml' }, path: 'flag.yaml' }).config.kaltura.partnerId).toBe(3);
  });

  it('reports a missing file clearly', () => {
    let error: unknown;
    try {
      loadConfig({ cwd: dir, env: { ZK_CONFIG: 'nope.yaml' } });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { issues, message } = error as ConfigError;
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: '<file>', found: 'missing' });
    expect(issues[0].expected).toMatch(/^a readable YAML file/);
    expect(issues[0].expected).toContain('zk sandbox');
    expect(issues[0].expected).toContain('config/zk.example.yaml');
    expect(message).toContain(join(dir, 'nope.yaml'));
  });

  it('reports a directory given as the config file', () => {
    expect(() => loadConfig({ cwd: dir, path: 'config' })).toThrow(/unreadable \(EISDIR\)/);
  });

  it('trims only one trailing newline from a secret file and rejects an empty one', () => {
    writeFileSync(join(dir, 'config', 'secrets', 'zoom-main'), 'abc \r\n');
    writeFileSync(join(dir, 'config', 'zk.yaml'), VALID);
    expect(loadConfig({ cwd: dir, env }).config.accounts[0].credentials.clientSecret).toBe('abc ');
    writeFileSync(join(dir, 'config', 'secrets', 'zoom-main'), '\n');
    expect(() => loadConfig({ cwd: dir, env })).toThrow(/accounts\[0\]\.credentials\.clientSecret: expected a non-empty secret in .*, found an empty file/);
  });

  it('does not read { file } outside secret keys (log.file is a path, not a secret)', () => {
    writeFileSync(join(dir, 'config', 'zk.yaml'), VALID.replace('global:\n', 'global:\n  log: { file: ./data/zk.log }\n'));
    expect(loadConfig({ cwd: dir, env }).config.global.log.file).toBe('./data/zk.log');
  });

  it('supports YAML anchors and merge keys for shared account settings', () => {
    const text = `kaltura: { partnerId: 1, adminSecret: "\${ADMIN_SECRET}" }
accounts:
  - &first
    name: one
    credentials: { accountId: a1, clientId: c1, clientSecret: "\${ZOOM_SECOND}" }
    owner: { onNoMatch: create, postfixMode: remove, postfix: "@example.edu" }
    delete: { enabled: true, delay: 2d }
  - <<: *first
    name: two
    credentials: { accountId: a2, clientId: c2, clientSecret: "\${ZOOM_SECOND}" }
`;
    writeFileSync(join(dir, 'config', 'zk.yaml'), text);
    const { config } = loadConfig({ cwd: dir, env });
    expect(config.accounts.map((a) => [a.name, a.credentials.accountId, a.owner.postfix, a.delete.delay])).toEqual([
      ['one', 'a1', '@example.edu', 2 * 86_400_000],
      ['two', 'a2', '@example.edu', 2 * 86_400_000],
    ]);
  });
});
