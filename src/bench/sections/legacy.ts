/**
 * 4. Legacy import planning: `zk import-legacy --dry-run` over N generated
 * recordings spread over one year, as a child process (wall time, peak RSS).
 * Reference: Kaltura's integration advances one day per poll cycle, so a year
 * of backlog takes 365 cycles (at zk's default 5 min poll interval: ~30 h).
 */
import { ZOOM_DEMO_ACCOUNT } from '../../sandbox/seed/zoom-demo.js';
import { zoomGeneratedSeed } from '../../sandbox/seed/zoom-generated.js';
import { startZoomSandbox } from '../../sandbox/zoom/server.js';
import { startKalturaSandbox } from '../../sandbox/kaltura/server.js';
import { kalturaDemoSandboxOptions } from '../../sandbox/seed/kaltura-demo.js';
import { sandboxConfig } from '../../sandbox/index.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ROOT, ZK_BIN, spawnWatched } from '../proc.js';
import { type Presets, type SectionResult, fmt, mib, parseProbe } from '../common.js';

const DAY = 86_400_000;
const KALTURA_POLL_MS = 5 * 60_000;

export async function benchLegacy(p: Presets): Promise<SectionResult> {
  const now = Date.now();
  const from = new Date(now - 365 * DAY).toISOString().slice(0, 10);
  const to = new Date(now - DAY).toISOString().slice(0, 10);
  const seed = zoomGeneratedSeed(ZOOM_DEMO_ACCOUNT.accountId, { count: p.legacyRecordings, from: `${from}T00:00:00Z`, to: `${to}T23:00:00Z`, seed: 11, hostCount: 50 });
  const files = (seed.meetings ?? []).reduce((a, m) => a + m.files.length, 0);
  const dir = mkdtempSync(join(tmpdir(), 'zk-bench-legacy-'));
  const zoom = await startZoomSandbox({ accounts: [{ ...ZOOM_DEMO_ACCOUNT }], seed });
  const kaltura = await startKalturaSandbox({ ...kalturaDemoSandboxOptions(), storageDir: join(dir, 'kaltura') });
  try {
    const config = join(dir, 'legacy.yaml');
    writeFileSync(config, stringify(sandboxConfig({ zoom, kaltura }, { database: join(dir, 'zk.db'), metricsEnabled: false, deleteEnabled: false, logLevel: 'warn' })));
    let stdout = '';
    const run = spawnWatched(['--import', join(ROOT, 'dist', 'bench', 'probe.js'), ZK_BIN, 'import-legacy', '--config', config, '--from', from, '--to', to, '--dry-run', '--json'], {
      timeoutMs: 600_000,
      stdout: (s) => (stdout += s),
    });
    const r = await run.done;
    if (r.code !== 0) throw new Error(`zk import-legacy exited ${r.code ?? r.signal}: ${run.stderr().slice(-2000)}`);
    const probe = parseProbe(run.stderr());
    const peakRss = Math.max(r.peakHwm, (probe?.maxRssKb ?? 0) * 1024);
    const seconds = r.wallMs / 1000;
    let plan: unknown;
    try {
      plan = JSON.parse(stdout);
    } catch {
      plan = stdout.slice(0, 2000);
    }
    const referenceSeconds = (365 * KALTURA_POLL_MS) / 1000;
    const zoomCalls = zoom.state.callCounts();
    return {
      section: 'legacy',
      rows: [
        {
          figure: `4. import-legacy --dry-run, ${p.legacyRecordings} recordings / 1 year`,
          value: `${fmt(seconds)} s, ${mib(peakRss)} peak`,
          reference: `${fmt(referenceSeconds / 3600)} h (1 day/poll)`,
          ratio: fmt(seconds / referenceSeconds, 5),
          target: '≤ 60 s',
          pass: seconds <= 60,
        },
      ],
      details: { recordings: p.legacyRecordings, files, from, to, seconds, peakRss, cpuSeconds: probe ? (probe.userUs + probe.systemUs) / 1e6 : r.cpuMs / 1000, zoomCalls, referenceSeconds, plan: summarisePlan(plan) },
    };
  } finally {
    await Promise.allSettled([zoom.close(), kaltura.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Keeps the plan's totals, not every window. */
function summarisePlan(plan: unknown): unknown {
  if (!plan || typeof plan !== 'object') return plan;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(plan as Record<string, unknown>)) {
    if (Array.isArray(v)) out[k] = { length: v.length, first: v[0] };
    else out[k] = v;
  }
  return out;
}
