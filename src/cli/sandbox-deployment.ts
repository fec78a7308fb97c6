/** `zk sandbox` flags that choose how the emulated Kaltura partner is deployed (see KalturaDeployment). */
import type { Command } from 'commander';
import type { KalturaDeployment } from '../sandbox/kaltura/deployment.js';
import { usageError } from '../ops/usage.js';

export interface DeploymentFlags {
  esearch: string;
  dropSourceFlavor?: boolean;
  virusScan?: string;
  virusScanFailure?: string;
  readyAtAdd?: boolean;
}

export function addDeploymentOptions(cmd: Command): Command {
  return cmd
    .option('--esearch <mode>', 'Kaltura eSearch: available, missing (SERVICE_DOES_NOT_EXISTS, as on CE/on-prem) or forbidden (SERVICE_FORBIDDEN)', 'available')
    .option('--drop-source-flavor', 'the conversion profile deletes the source flavor after conversion')
    .option('--virus-scan <regex>', 'enable virus scanning; entries whose name matches become virusScan.Infected')
    .option('--virus-scan-failure <regex>', 'with virus scanning, entries whose name matches become virusScan.ScanFailure')
    .option('--ready-at-add', 'media.add answers READY at once (a profile without flavors)');
}

export function deploymentFromFlags(f: DeploymentFlags): KalturaDeployment {
  const out: KalturaDeployment = {};
  if (f.esearch === 'missing' || f.esearch === 'forbidden') out.noESearch = f.esearch;
  else if (f.esearch !== 'available') throw usageError(`--esearch must be available, missing or forbidden, got "${f.esearch}"`);
  if (f.dropSourceFlavor) out.dropSourceFlavor = true;
  if (f.readyAtAdd) out.readyAtAdd = true;
  for (const [flag, value] of [['--virus-scan', f.virusScan], ['--virus-scan-failure', f.virusScanFailure]] as const) {
    if (value === undefined) continue;
    try {
      new RegExp(value);
    } catch {
      throw usageError(`${flag} must be a regular expression matching entry names, got "${value}"`);
    }
  }
  if (f.virusScan !== undefined || f.virusScanFailure !== undefined) out.virusScan = { infected: f.virusScan, scanFailure: f.virusScanFailure };
  return out;
}

/** One line per non-default choice, for the startup banner. */
export function describeDeployment(d: KalturaDeployment): string {
  const parts: string[] = [];
  if (d.noESearch) parts.push(`no eSearch (${d.noESearch === 'missing' ? 'SERVICE_DOES_NOT_EXISTS' : 'SERVICE_FORBIDDEN'})`);
  if (d.dropSourceFlavor) parts.push('source flavor dropped after conversion');
  if (d.virusScan) parts.push(`virus scan (infected: ${d.virusScan.infected ?? 'none'}${d.virusScan.scanFailure ? `, scan failure: ${d.virusScan.scanFailure}` : ''})`);
  if (d.readyAtAdd) parts.push('READY at add');
  return parts.length ? parts.join('; ') : 'like Kaltura SaaS (eSearch, source flavor kept, no virus scan)';
}
