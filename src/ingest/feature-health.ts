/**
 * Optional features of an account (co-hosts from dashboard metrics, the
 * participant report, webinar panelists): when the Zoom app lacks the scope
 * for one, only that feature is skipped for that account, recorded in
 * account_degraded_features (shown by `zk status`, `zk accounts test` and the
 * zk_account_feature_degraded metric) and cleared when it works again.
 */
import { MissingPermissionError } from '../errors.js';
import type { AccountStateRepo } from './store-port/account-state.js';
import type { Log } from '../log/port.js';
import { errorCode, errorMessage } from './failures.js';

export type OptionalFeature = 'coHosts' | 'participants' | 'panelists';

export interface FeatureHealth {
  /** True when `err` only degrades the feature (a missing permission): recorded, and the caller goes on without it. */
  degrade(feature: OptionalFeature, err: unknown): boolean;
  ok(feature: OptionalFeature): void;
}

export function isMissingPermission(err: unknown): err is MissingPermissionError {
  return err instanceof MissingPermissionError;
}

export function featureHealthFor(state: AccountStateRepo, account: string, log: Pick<Log, 'warn' | 'info'>): FeatureHealth {
  return {
    degrade(feature, err) {
      if (!isMissingPermission(err)) return false;
      const reason = `${errorMessage(err)}${err.fix ? `; fix: ${err.fix}` : ''}`;
      if (state.degrade(account, feature, errorCode(err), reason)) {
        log.warn('optional feature degraded: missing permission', { account, feature, permissions: err.permissions, fix: err.fix });
      }
      return true;
    },
    ok(feature) {
      if (state.restore(account, feature)) log.info('optional feature works again', { account, feature });
    },
  };
}
