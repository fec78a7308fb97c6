import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, EXIT, type ConfigIssue } from '../../src/errors.js';
import { parseConfigText } from '../../src/config/load.js';

const ADMIN_SECRET = 'adm1n-S3CRET-value-xyz';
const ZOOM_SECRET = 'zo0m-client-S3CRET-abc';
const FILE_SECRET = 'f1le-S3CRET-contents';
const SECRETS = [ADMIN_SECRET, ZOOM_SECRET, FILE_SECRET];
const env = { KALTURA_ADMIN_SECRET: ADMIN_SECRET, ZOOM_SECRET };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'zk-config-'));
  writeFileSync(join(dir, 'zoom-secret'), `${FILE_SECRET}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function account(name: string, extra = ''): string {
  return `
  - name: ${name}
    credentials:
      accountId: acc-${name}
      clientId: cid-${name}
      clientSecret: \${ZOOM_SECRET}
    owner:
      defaultUserId: fallback${extra}`;
}

/** A valid config with optional additions; `kaltura` and `accounts` can be replaced whole. */
function yaml(parts: { global?: string; kaltura?: string; accounts?: string; top?: string }): string {
  return [
    parts.global !== undefined ? `global:\n${parts.global}` : '',
    `kaltura:\n${parts.kaltura ?? '  partnerId: 1234\n  adminSecret: ${KALTURA_ADMIN_SECRET}'}`,
    `accounts:${parts.accounts ?? account('main')}`,
    parts.top ?? '',
  ].join('\n');
}

function issuesOf(text: string): { issues: ConfigIssue[]; message: string; error: ConfigError } {
  try {
    parseConfigText(text, { file: join(dir, 'zk.yaml'), env });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const error = err as ConfigError;
    return { issues: error.issues, message: error.message, error };
  }
  throw new Error('expected a ConfigError, but the config was accepted');
}

interface BrokenCase {
  name: string;
  text: string;
  path: string;
  expected?: RegExp;
  found?: RegExp;
}

const cases: BrokenCase[] = [
  { name: 'partnerId is a string', text: yaml({ kaltura: '  partnerId: abc\n  adminSecret: x' }), path: 'kaltura.partnerId', expected: /numeric partner id/, found: /"abc"/ },
  { name: 'enabled is not a boolean', text: yaml({ accounts: account('main', '\n    enabled: "yes"') }), path: 'accounts[0].enabled', expected: /true or false/, found: /"yes"/ },
  { name: 'chunk size is a list', text: yaml({ kaltura: '  partnerId: 1\n  adminSecret: x\n  chunkSizeMb: [8]' }), path: 'kaltura.chunkSizeMb', expected: /a number/, found: /list of 1 item/ },
  { name: 'unknown top-level key', text: yaml({ top: 'zooom:\n  apiUrl: https://api.zoom.us/v2' }), path: 'zooom', found: /unknown key "zooom" \(did you mean "zoom"\?\)/ },
  { name: 'unknown nested key', text: yaml({ accounts: account('main', '\n      defaultUser: someone') }), path: 'accounts[0].owner.defaultUser', found: /unknown key "defaultUser" \(did you mean "defaultUserId"\?\)/ },
  { name: 'unset environment variable', text: yaml({ kaltura: '  partnerId: 1\n  adminSecret: ${NOT_SET_ANYWHERE}' }), path: 'kaltura.adminSecret', expected: /environment variable NOT_SET_ANYWHERE to be set/, found: /^unset$/ },
  {
    name: 'missing secret file',
    text: yaml({ accounts: account('main').replace('${ZOOM_SECRET}', '{ file: ./no-such-secret }') }),
    path: 'accounts[0].credentials.clientSecret',
    expected: /readable secret file/,
    found: /missing file/,
  },
  { name: 'missing partnerId', text: yaml({ kaltura: '  adminSecret: x' }), path: 'kaltura.partnerId', found: /^missing$/ },
  { name: 'adopt is not a mode', text: yaml({ kaltura: '  partnerId: 1\n  adminSecret: x\n  adopt: yes' }), path: 'kaltura.adopt', expected: /zoomIntegration.*off/, found: /"yes"/ },
  { name: 'missing kaltura section', text: `accounts:${account('main')}`, path: 'kaltura', found: /^missing$/ },
  { name: 'missing clientId', text: yaml({ accounts: account('main').replace(/\n\s+clientId: .*/, '') }), path: 'accounts[0].credentials.clientId', found: /^missing$/ },
  { name: 'more than three accounts', text: yaml({ accounts: ['a', 'b', 'c', 'd'].map((n) => account(n)).join('') }), path: 'accounts', expected: /at most three/, found: /list of 4 items/ },
  { name: 'zero accounts', text: yaml({ accounts: ' []' }), path: 'accounts', expected: /at least one Zoom account/ },
  { name: 'both optIn and optOut', text: yaml({ accounts: `${account('main')}\n    groups: { optIn: [staff], optOut: [students] }` }), path: 'accounts[0].groups', expected: /not both/ },
  { name: 'duration "5 minutes"', text: yaml({ global: '  pollInterval: 5 minutes' }), path: 'global.pollInterval', expected: /duration/, found: /"5 minutes"/ },
  { name: 'duration "10x"', text: yaml({ accounts: `${account('main')}\n    delete: { delay: 10x }` }), path: 'accounts[0].delete.delay', found: /"10x"/ },
  { name: 'duration given as a number', text: yaml({ global: '  lookback: 3' }), path: 'global.lookback', expected: /duration/ },
  {
    name: 'caption language Kaltura does not have',
    text: yaml({ accounts: `${account('main')}\n    transcripts: { language: Klingonese }` }),
    path: 'accounts[0].transcripts.language',
    expected: /Kaltura caption language/,
    found: /"Klingonese"/,
  },
  {
    name: 'a tag with a comma',
    text: yaml({ accounts: `${account('main')}\n    tags: [zoom, "lectures, 2024"]` }),
    path: 'accounts[0].tags[1]',
    expected: /without commas/,
    found: /"lectures, 2024"/,
  },
  { name: 'bad cron expression', text: yaml({ global: '  backfills:\n    - { schedule: "every sunday", window: 30d }' }), path: 'global.backfills[0].schedule', expected: /cron expression/, found: /"every sunday"/ },
  { name: 'postfixMode add without postfix', text: yaml({ accounts: account('main', '\n      postfixMode: add') }), path: 'accounts[0].owner.postfix', expected: /postfixMode is "add"/ },
  { name: 'onNoMatch defaultUser without defaultUserId', text: yaml({ accounts: account('main').replace('defaultUserId: fallback', 'onNoMatch: defaultUser') }), path: 'accounts[0].owner.defaultUserId', expected: /defaultUser/ },
  { name: 'duplicate account names', text: yaml({ accounts: account('main') + account('main') }), path: 'accounts[1].name', expected: /unique/, found: /"main"/ },
  { name: 'bad listen address', text: yaml({ global: '  metrics:\n    listen: localhost' }), path: 'global.metrics.listen', expected: /host:port/, found: /"localhost"/ },
  { name: 'bad enum value', text: yaml({ global: '  log:\n    level: verbose' }), path: 'global.log.level', expected: /one of "error", "warn", "info", "debug"/, found: /"verbose"/ },
  { name: 'bad nested enum value', text: yaml({ accounts: `${account('main')}\n    permissions: { participants: coOwner }` }), path: 'accounts[0].permissions.participants', expected: /coPublisher/ },
  { name: 'backfill names an unknown account', text: yaml({ global: '  backfills:\n    - { schedule: "0 3 * * *", window: 7d, accounts: [main, mian] }' }), path: 'global.backfills[0].accounts[1]', expected: /main/, found: /"mian"/ },
  { name: 'account name with spaces', text: yaml({ accounts: account('Main Campus') }), path: 'accounts[0].name', found: /"Main Campus"/ },
  { name: 'accounts is a mapping', text: yaml({ accounts: '\n  main: { name: main }' }), path: 'accounts', expected: /a list/ },
  { name: 'transfers out of range', text: yaml({ global: '  concurrency: { transfers: 0 }' }), path: 'global.concurrency.transfers', expected: />= 1/, found: /^0$/ },
  { name: 'serviceUrl is not a URL', text: yaml({ kaltura: '  partnerId: 1\n  adminSecret: x\n  serviceUrl: kaltura' }), path: 'kaltura.serviceUrl', expected: /URL/ },
  { name: 'secret of the wrong type', text: yaml({ kaltura: '  partnerId: 1\n  adminSecret: 98765432123' }), path: 'kaltura.adminSecret', found: /^a number$/ },
  { name: 'empty secret', text: yaml({ kaltura: "  partnerId: 1\n  adminSecret: ''" }), path: 'kaltura.adminSecret', found: /^an empty string$/ },
  { name: 'malformed reference', text: yaml({ kaltura: '  partnerId: 1\n  adminSecret: ${1BAD}' }), path: 'kaltura.adminSecret', expected: /ENV_VAR/ },
  { name: 'YAML syntax error', text: 'kaltura:\n  partnerId: 1\n   adminSecret: [unclosed\n', path: '<file>', expected: /valid YAML/, found: /line \d+, column \d+/ },
  { name: 'duplicate YAML key', text: yaml({ top: 'kaltura:\n  partnerId: 2' }), path: '<file>', found: /unique at line 13, column 1/ },
  {
    name: 'YAML error never quotes the source',
    text: 'kaltura: { partnerId: 1, adminSecret: ${KALTURA_ADMIN_SECRET} }\naccounts: []\n',
    path: '<file>',
    found: /^[^"]*at line 1, column \d+$/,
  },
  { name: 'empty file', text: '# nothing here\n', path: '<root>', found: /empty file/ },
  { name: 'document is a list', text: '- a\n- b\n', path: '<root>', expected: /mapping/ },
];

describe('broken configs', () => {
  it('covers at least 18 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(18);
  });

  it.each(cases)('$name → $path', ({ text, path, expected, found }) => {
    const { issues, message, error } = issuesOf(text);
    const issue = issues.find((i) => i.path === path);
    expect({ paths: issues.map((i) => i.path), hit: issue !== undefined }).toEqual({ paths: expect.arrayContaining([path]), hit: true });
    if (expected) expect(issue?.expected).toMatch(expected);
    if (found) expect(issue?.found).toMatch(found);
    expect(error.exitCode).toBe(EXIT.CONFIG);
    expect(message).toContain(join(dir, 'zk.yaml'));
    for (const secret of [...SECRETS, '98765432123']) {
      expect(message).not.toContain(secret);
      expect(JSON.stringify(issues)).not.toContain(secret);
    }
  });

  it('reports one issue per unknown key', () => {
    const { issues } = issuesOf(yaml({ top: 'foo: 1\nbar: 2' }));
    expect(issues.map((i) => i.path).sort()).toEqual(['bar', 'foo']);
    expect(issues[0].found).toMatch(/^unknown key "(foo|bar)"$/);
  });

  it('reports every problem of a file at once', () => {
    const text = yaml({
      global: '  pollInterval: 5\n  log: { level: loud }\n  retry: { maxDelay: 10x }',
      kaltura: '  partnerId: 1\n  adminSecret: ${UNSET_ADMIN_SECRET}\n  tranferMode: url',
      accounts: account('main', '\n    enabled: maybe') + account('main') + `\n    groups: { optIn: [a], optOut: [b] }`,
    });
    const { issues, message } = issuesOf(text);
    expect(issues.map((i) => i.path).sort()).toEqual(
      [
        'accounts[0].enabled',
        'accounts[1].groups',
        'accounts[1].name',
        'global.log.level',
        'global.pollInterval',
        'global.retry.maxDelay',
        'kaltura.adminSecret',
        'kaltura.tranferMode',
      ].sort(),
    );
    expect(issues.find((i) => i.path === 'kaltura.tranferMode')?.found).toContain('did you mean "transferMode"');
    for (const issue of issues) expect(message).toContain(`${issue.path}: expected ${issue.expected}, found ${issue.found}`);
  });

  it('does not invent issues from defaults that replace a bad key', () => {
    // onNoMatch: bogus is reported; its default (defaultUser) must not add a
    // "defaultUserId is required" complaint the file never earned.
    const text = yaml({ accounts: account('main').replace('defaultUserId: fallback', 'onNoMatch: bogus') + account('main') });
    const { issues } = issuesOf(text);
    expect(issues.map((i) => i.path).sort()).toEqual(['accounts[0].owner.onNoMatch', 'accounts[1].name']);
  });

  it('never shows a secret value, even where one is used as a plain value', () => {
    const text = yaml({ accounts: account('main').replace('name: main', 'name: ${ZOOM_SECRET}') });
    const { issues, message } = issuesOf(text);
    expect(issues.map((i) => i.path)).toEqual(['accounts[0].name']);
    expect(issues[0].found).toBe('"[redacted]"');
    expect(message).not.toContain(ZOOM_SECRET);
  });

  it('never shows a file secret or the values around it', () => {
    const text = yaml({
      kaltura: '  partnerId: 1\n  adminSecret: { file: ./zoom-secret }',
      accounts: account('main').replace('name: main', 'name: "f1le-S3CRET-contents"'),
    });
    const { issues, message } = issuesOf(text);
    expect(issues.map((i) => i.path)).toEqual(['accounts[0].name']);
    expect(message).not.toContain(FILE_SECRET);
  });
});
