/** `zk accounts test`'s Kaltura checks against the real adapter and the Kaltura sandbox over HTTP. */
import { describe, expect, test, beforeAll, afterAll } from '@jest/globals';
import { startKalturaSandbox, type KalturaSandbox } from '../../src/sandbox/kaltura/server.js';
import {
  KALTURA_DEMO_ADMIN_SECRET,
  KALTURA_DEMO_CATEGORIES,
  KALTURA_DEMO_DEFAULT_OWNER,
  KALTURA_DEMO_PARTNER_ID,
  kalturaDemoSeed,
} from '../../src/sandbox/seed/kaltura-demo.js';
import { createKalturaSink } from '../../src/kaltura/index.js';
import { testKaltura } from '../../src/ops/accounts-test.js';
import type { Config } from '../../src/config/schema.js';
import { config as configSchema } from '../../src/config/schema.js';

let sandbox: KalturaSandbox;
beforeAll(async () => {
  sandbox = await startKalturaSandbox({
    partners: [{ partnerId: KALTURA_DEMO_PARTNER_ID, adminSecret: KALTURA_DEMO_ADMIN_SECRET }],
    seed: kalturaDemoSeed(),
  });
});
afterAll(() => sandbox.close());

function configFor(adminSecret: string, defaultUserId: string, categories: string[], serviceUrl = sandbox.url): Config {
  return configSchema.parse({
    kaltura: { serviceUrl, partnerId: KALTURA_DEMO_PARTNER_ID, adminSecret },
    accounts: [
      {
        name: 'main',
        credentials: { accountId: 'a', clientId: 'c', clientSecret: 's' },
        owner: { defaultUserId },
        meetings: { categories },
      },
    ],
  });
}

function sinkFor(config: Config) {
  return () =>
    createKalturaSink({
      serviceUrl: config.kaltura.serviceUrl,
      partnerId: config.kaltura.partnerId,
      adminSecret: config.kaltura.adminSecret,
      userId: config.kaltura.userId,
      privileges: config.kaltura.privileges,
      sessionExpiryMs: config.kaltura.sessionExpiry,
      maxRetries: 0,
    });
}

describe('accounts test: Kaltura against the sandbox', () => {
  test('session, seeded default user and categories pass', async () => {
    const config = configFor(KALTURA_DEMO_ADMIN_SECRET, KALTURA_DEMO_DEFAULT_OWNER, [KALTURA_DEMO_CATEGORIES.zoom, KALTURA_DEMO_CATEGORIES.root.fullName]);
    const checks = await testKaltura(sinkFor(config), config, config.accounts);
    expect(checks.map((c) => [c.check, c.status])).toEqual([
      ['session', 'PASS'],
      ['user lookup', 'PASS'],
      ['default user (main)', 'PASS'],
      [`category ${KALTURA_DEMO_CATEGORIES.zoom} (main)`, 'PASS'],
      ['category MediaSpace (main)', 'PASS'],
    ]);
  });

  test('the user lookup path is shown: eSearch here, user.list on a server without it', async () => {
    const config = configFor(KALTURA_DEMO_ADMIN_SECRET, KALTURA_DEMO_DEFAULT_OWNER, []);
    const checks = await testKaltura(sinkFor(config), config, config.accounts);
    expect(checks.find((c) => c.check === 'user lookup')?.detail).toMatch(/^eSearch/);
    const bare = await startKalturaSandbox({
      partners: [{ partnerId: KALTURA_DEMO_PARTNER_ID, adminSecret: KALTURA_DEMO_ADMIN_SECRET }],
      seed: kalturaDemoSeed(),
      deployment: { noESearch: 'forbidden' },
    });
    try {
      const cfg = configFor(KALTURA_DEMO_ADMIN_SECRET, KALTURA_DEMO_DEFAULT_OWNER, [], bare.url);
      const bareChecks = await testKaltura(sinkFor(cfg), cfg, cfg.accounts);
      expect(bareChecks.find((c) => c.check === 'user lookup')).toMatchObject({ status: 'PASS', detail: expect.stringMatching(/^user\.list with emailLike/) });
    } finally {
      await bare.close();
    }
  });

  test('a missing default user and category fail with fixes', async () => {
    const config = configFor(KALTURA_DEMO_ADMIN_SECRET, 'nobody-here', ['MediaSpace>site>channels>Nope']);
    const checks = await testKaltura(sinkFor(config), config, config.accounts);
    expect(checks.find((c) => c.check === 'default user (main)')).toMatchObject({ status: 'FAIL', detail: 'Kaltura user "nobody-here" does not exist' });
    expect(checks.find((c) => c.check.startsWith('category'))).toMatchObject({ status: 'FAIL' });
  });

  test('a category name two categories share fails as ambiguous, naming both, with the fix', async () => {
    const config = configFor(KALTURA_DEMO_ADMIN_SECRET, KALTURA_DEMO_DEFAULT_OWNER, ['Twin Name']);
    const sink = sinkFor(config)();
    const root = await sink.findCategoryByFullName(KALTURA_DEMO_CATEGORIES.root.fullName);
    const zoom = await sink.findCategoryByFullName(KALTURA_DEMO_CATEGORIES.zoom);
    await sink.addCategory(root!.id, 'Twin Name');
    await sink.addCategory(zoom!.id, 'Twin Name');
    const checks = await testKaltura(sinkFor(config), config, config.accounts);
    const check = checks.find((c) => c.check === 'category Twin Name (main)');
    expect(check).toMatchObject({ status: 'FAIL' });
    expect(check!.detail).toContain('matches 2 Kaltura categories');
    expect(check!.detail).toContain(`"${KALTURA_DEMO_CATEGORIES.root.fullName}>Twin Name"`);
    expect(check!.fix).toContain('full path');
  });

  test('a wrong admin secret fails the session with the fix', async () => {
    const config = configFor('wrong-secret', KALTURA_DEMO_DEFAULT_OWNER, []);
    const checks = await testKaltura(sinkFor(config), config, config.accounts);
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ check: 'session', status: 'FAIL' });
    expect(checks[0].fix).toContain('kaltura.adminSecret');
  });
});
