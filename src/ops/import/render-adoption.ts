/** The dry run's adoption lines: per account, files to ingest, to adopt from Kaltura's Zoom integration, and conflicts. */
import type { ImportPlan } from './plan-import.js';

export function renderAdoptionLines(plan: ImportPlan): string[] {
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
  const lines = [
    `  would adopt from Kaltura's Zoom integration (nothing uploaded): ${plan.totals.adopt.files} files, ${mb(plan.totals.adopt.bytes)}`,
    `  conflicts (an integration entry zk cannot adopt; zk ingests the file itself): ${plan.totals.conflict.files} files, ${mb(plan.totals.conflict.bytes)}`,
  ];
  const conflicts = new Map<string, number>();
  for (const f of plan.files) if (f.action === 'conflict') conflicts.set(f.reason, (conflicts.get(f.reason) ?? 0) + 1);
  for (const [reason, n] of [...conflicts].sort((a, b) => b[1] - a[1]).slice(0, 10)) lines.push(`    ${String(n).padStart(6)}  ${reason}`);
  lines.push('  per account:');
  for (const [account, n] of Object.entries(plan.perAccount)) {
    lines.push(`    ${account}: ${n.ingest} to ingest, ${n.adopt} to adopt, ${n.conflict} conflicts, ${n.skip} skipped, ${n.known} already tracked`);
  }
  return lines;
}
