/**
 * Names of the leases (src/store/leases.ts) more than one layer reads: the
 * daemon takes its single-instance lock under DAEMON_LEASE, and `zk status` and
 * the sandbox workspace read who holds it.
 */
export const DAEMON_LEASE = 'daemon';
