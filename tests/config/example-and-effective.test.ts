import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, stringify } from 'yaml';
import { z } from 'zod';
import { loadConfig, parseConfigText } from '../../src/config/load.js';
import { configSecrets, effectiveConfig } from '../../src/config/effective.js';
import { config as configSchema } from '../../src/config/schema.js';
import { unwrapSchema } from '../../src/config/schema-walk.js';

const EXAMPLE = fileURLToPath(new URL('../../config/zk.example.yaml', import.meta.url));
const env = { KALTURA_ADMIN_SECRET: 'example-admin-secret', ZOOM_MAIN_CLIENT_SECRET: 'example-zoom-secret' };

/** Every key path of the schema, arrays entered as [0]: e.g. accounts.0.owner.postfix. */
function schemaKeyPaths(schema: z.ZodTypeAny, prefix: string[] = []): string[][] {
  const s = unwrapSchema(schema);
  if (s instanceof z.ZodObject) {
    return Object.entries(s.shape as Record<string, z.ZodTypeAny>).flatMap(([key, child]) => [[...prefix, key], ...schemaKeyPaths(child, [...prefix, key])]);
  }
  if (s instanceof z.ZodArray) return schemaKeyPaths(s.element as z.ZodTypeAny, [...prefix, '0']);
  return [];
}

describe('config/zk.example.yaml', () => {
  const text = readFileSync(EXAMPLE, 'utf8');

  it('validates, given its secret environment variables', () => {
    const { config } = loadConfig({ path: EXAMPLE, env });
    expect(config.kaltura.adminSecret).toBe('example-admin-secret');
    expect(config.accounts.map((a) => a.name)).toEqual(['main']);
  });

  it('fails validation without them, naming both keys', () => {
    expect(() => loadConfig({ path: EXAMPLE, env: {} })).toThrow(/kaltura\.adminSecret[\s\S]*accounts\[0\]\.credentials\.clientSecret/);
  });

  it('mentions every key of the schema (set, or shown commented out)', () => {
    const doc = parseYaml(text) as unknown;
    const missing = schemaKeyPaths(configSchema).filter((path) => {
      let node: unknown = doc;
      for (const segment of path) node = node === null || typeof node !== 'object' ? undefined : (node as Record<string, unknown>)[segment];
      if (node !== undefined) return false;
      return !new RegExp(`^\\s*#\\s*${path[path.length - 1]}:`, 'm').test(text);
    });
    expect(missing.map((p) => p.join('.'))).toEqual([]);
  });

  it('has a comment directly above every key', () => {
    const lines = text.split('\n');
    const undocumented = lines
      .map((line, i) => ({ line, i }))
      .filter(({ line }) => /^\s*(- )?[A-Za-z]+:/.test(line))
      .filter(({ i }) => !/^\s*#/.test(lines[i - 1] ?? ''))
      .map(({ line, i }) => `${i + 1}: ${line}`);
    expect(undocumented).toEqual([]);
  });

  it('names the Kaltura UI setting for each account setting it mirrors', () => {
    for (const setting of [
      'Default User ID',
      'Enable integration',
      'Upload meeting recordings',
      'Upload webinar recordings',
      'Webinar category',
      'Opt-in groups',
      'Opt-out groups',
      'Delete content from Zoom after upload',
      'Zoom transcription',
      'Alternative hosts',
      'Co-Hosts',
      'Participants',
      'Postfix',
      'Remove postfix',
      'Add postfix',
      'Use default user',
      'Zoom account ID',
      'Zoom account description',
    ]) {
      expect(text).toContain(setting);
    }
  });
});

describe('effectiveConfig', () => {
  const config = parseConfigText(readFileSync(EXAMPLE, 'utf8'), { file: EXAMPLE, env });
  const effective = effectiveConfig(config);
  const out = stringify(effective);

  it('redacts every secret', () => {
    expect(out).not.toContain('example-admin-secret');
    expect(out).not.toContain('example-zoom-secret');
    expect(effective).toMatchObject({ kaltura: { adminSecret: '[redacted]' }, accounts: [{ credentials: { clientSecret: '[redacted]' } }] });
  });

  it('renders durations as strings, at every depth', () => {
    expect(effective).toMatchObject({
      global: {
        pollInterval: '5m',
        lookback: '3d',
        importTimeout: '6h',
        shutdownTimeout: '30s',
        retry: { baseDelay: '1m', maxDelay: '6h' },
        backfills: [{ schedule: '0 3 * * 0', window: '30d' }],
      },
      kaltura: { sessionExpiry: '1d', chunkSizeMb: 8, partnerId: 1234567 },
      accounts: [{ delete: { delay: '1d' } }],
    });
  });

  it('fills defaults and round-trips through the validator', () => {
    const minimal = parseConfigText(
      'kaltura: { partnerId: 1, adminSecret: s3cr3t }\naccounts:\n  - { name: a, credentials: { accountId: x, clientId: y, clientSecret: z9z9 }, owner: { onNoMatch: create } }\n',
      { file: '/tmp/zk.yaml', env: {} },
    );
    const eff = effectiveConfig(minimal) as { global: Record<string, unknown>; accounts: Record<string, unknown>[] };
    expect(eff.global.database).toBe('./data/zk.db');
    expect(eff.accounts[0].permissions).toEqual({ alternativeHosts: 'ignore', coHosts: 'ignore', participants: 'ignore' });
    // Putting the secrets back, the printed config parses to the same config.
    const back = stringify(eff).replace(/adminSecret: \S+/, 'adminSecret: s3cr3t').replace(/clientSecret: \S+/, 'clientSecret: z9z9');
    expect(parseConfigText(back, { file: '/tmp/zk.yaml', env: {} })).toEqual(minimal);
  });

  it('lists secret values for the logger', () => {
    expect(configSecrets(config).sort()).toEqual(['example-admin-secret', 'example-zoom-secret']);
  });
});
