/**
 * The Kaltura sandbox deployments the contract suite runs against: every mode
 * must still look like Kaltura to the official client. A new mode (a
 * `zk sandbox` flag) is one line here: [name, options merged over the demo's].
 */
import type { KalturaSandboxOptions } from '../../src/sandbox/kaltura/server.js';

export const KALTURA_MODES: Array<[string, Partial<KalturaSandboxOptions>]> = [
  ['default', {}],
  ['slow answers (faults.slowMs)', { faults: { slowMs: 15 } }],
  ['entry moderation (--entry-moderation)', { faults: { entryModeration: true } }],
  ['index lag (--index-lag)', { faults: { indexLagMs: 300 } }],
  ['no eSearch (--esearch missing)', { deployment: { noESearch: 'missing' } }],
  ['eSearch forbidden (--esearch forbidden)', { deployment: { noESearch: 'forbidden' } }],
  ['source flavor dropped (--drop-source-flavor)', { deployment: { dropSourceFlavor: true } }],
  ['virus scan, clean content (--virus-scan)', { deployment: { virusScan: { infected: '^EICAR' } } }],
  ['READY at add (--ready-at-add)', { deployment: { readyAtAdd: true } }],
];
