/**
 * How the emulated Kaltura partner is deployed. Real partners differ from the SaaS defaults, and zk
 * must hold on each: servers without Elasticsearch, conversion profiles that drop the source flavor,
 * the virus-scan plugin, and profiles that make media.add answer READY at once.
 */
export interface KalturaDeployment {
  /**
   * elasticsearch_esearch is unavailable: 'missing' answers SERVICE_DOES_NOT_EXISTS (Kaltura CE,
   * on-prem without Elasticsearch), 'forbidden' answers SERVICE_FORBIDDEN (partner without the plugin).
   */
  noESearch?: 'missing' | 'forbidden';
  /** After conversion the source flavor is deleted; only a converted (web) flavor remains. */
  dropSourceFlavor?: boolean;
  /**
   * The virus-scan plugin scans content before conversion. Entries whose name matches `infected`
   * (a regular expression) end `virusScan.Infected`; those matching `scanFailure` end
   * `virusScan.ScanFailure`; the rest convert as usual.
   */
  virusScan?: { infected?: string; scanFailure?: string };
  /** media.add answers a READY draft entry (a profile without flavors); content may still be added. */
  readyAtAdd?: boolean;
}

export const VIRUS_SCAN_STATUS = { INFECTED: 'virusScan.Infected', SCAN_FAILURE: 'virusScan.ScanFailure' } as const;

/** The virus scan's verdict for an entry name, or undefined when clean (or no scan). */
export function scanVerdict(deployment: KalturaDeployment, name: string): string | undefined {
  const scan = deployment.virusScan;
  if (!scan) return undefined;
  if (scan.infected && new RegExp(scan.infected).test(name)) return VIRUS_SCAN_STATUS.INFECTED;
  if (scan.scanFailure && new RegExp(scan.scanFailure).test(name)) return VIRUS_SCAN_STATUS.SCAN_FAILURE;
  return undefined;
}
