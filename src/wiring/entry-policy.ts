/**
 * The entry policy (owner, groups, categories, permissions, ...) the engine
 * asks for each meeting, built from the validated config; shared by the
 * daemon and `zk import-legacy`.
 */
import type { AccountConfig, Config } from '../config/schema.js';
import type { EngineAccount } from '../ingest/context.js';
import type { EntryPolicyResolver } from '../ingest/ports.js';
import { createKalturaPolicy } from '../ingest/policy/index.js';
import type { FeatureHealth } from '../ingest/feature-health.js';
import type { Log } from '../log/port.js';

/** One policy resolver per account (each has its own Zoom source); the engine sees one resolver. */
export function perAccountPolicy(config: Config, accounts: EngineAccount[], logger: Log, features?: (account: string) => FeatureHealth): EntryPolicyResolver {
  const byName = new Map(
    accounts.map((a) => [
      a.config.name,
      createKalturaPolicy({ source: a.source, sink: a.sink, globalConversionProfileId: config.kaltura.conversionProfileId, logger, features: features?.(a.config.name) }),
    ]),
  );
  return {
    resolve(meeting, account: AccountConfig) {
      const policy = byName.get(account.name);
      if (!policy) throw new TypeError(`no policy for account ${account.name}`);
      return policy.resolve(meeting, account);
    },
  };
}

