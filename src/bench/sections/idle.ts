/**
 * 5. Idle cost: a daemon whose recent meetings are already ingested (they are
 * still inside the lookback, so every poll re-lists and re-checks them), over
 * N poll cycles with nothing new. CPU time from /proc/<pid>/stat between the
 * end of the first poll and the end of the Nth after it. Reference: an idle
 * bare Node process (`setInterval`) sampled over the same window.
 */
import { spawn } from 'node:child_process';
import { generateRecordings } from '../../sandbox/seed/zoom-generated.js';
import { DAEMON_BIN, sampleProc, spawnWatched } from '../proc.js';
import { HOSTS, startWorld } from '../world.js';
import { type Presets, type SectionResult, fmt, runDaemonOnce, sleep, waitFor } from '../common.js';

const INGESTED = 20;

export async function benchIdle(p: Presets): Promise<SectionResult> {
  const meetings = generateRecordings({ count: INGESTED, from: Date.now() - 2 * 86_400_000, to: Date.now() - 3_600_000, seed: 300, fileSize: 256 * 1024, hosts: HOSTS.map((h) => ({ id: h.id!, email: h.email })) });
  const world = await startWorld(meetings);
  const bare = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  try {
    // Ingest first so the idle polls find only known recordings.
    await runDaemonOnce(world.writeConfig('idle-ingest'));
    const pollSeconds = p.idlePollIntervalMs / 1000;
    const config = world.writeConfig('idle', (raw) => {
      raw.global.pollInterval = `${pollSeconds}s`;
      raw.accounts[0].delete = { enabled: false };
    });
    world.zoom.state.resetCallLog();
    world.kaltura.state.resetCallLog();
    const daemon = spawnWatched([DAEMON_BIN, 'start', '--config', config], { timeoutMs: 600_000, sampleMs: 20 });
    try {
      const listed = () => world.zoom.state.callCounts()['GET /v2/accounts/me/recordings'] ?? 0;
      await waitFor('the first poll', () => listed() >= 1, 30_000, 10);
      await sleep(Math.min(500, p.idlePollIntervalMs / 3));
      const z0 = world.zoom.state.callCounts();
      const k0 = world.kaltura.state.callCounts();
      const d0 = sampleProc(daemon.pid)!;
      const b0 = sampleProc(bare.pid!)!;
      const t0 = performance.now();
      const first = listed();
      await waitFor(`${p.idleCycles} idle polls`, () => listed() >= first + p.idleCycles, p.idlePollIntervalMs * (p.idleCycles + 3) + 10_000, 10);
      await sleep(Math.min(500, p.idlePollIntervalMs / 3));
      const d1 = sampleProc(daemon.pid)!;
      const b1 = sampleProc(bare.pid!)!;
      const wallMs = performance.now() - t0;
      const diff = (a: Record<string, number>, b: Record<string, number>) =>
        Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v - (a[k] ?? 0)]).filter(([, v]) => (v as number) > 0));
      const zoomCalls = diff(z0, world.zoom.state.callCounts());
      const kalturaCalls = diff(k0, world.kaltura.state.callCounts());
      const cpuMs = d1.cpuMs - d0.cpuMs;
      const bareMs = b1.cpuMs - b0.cpuMs;
      const perCycle = cpuMs / p.idleCycles;
      return {
        section: 'idle',
        rows: [
          {
            figure: `5. idle CPU, ${p.idleCycles} poll cycles (${INGESTED} known meetings)`,
            value: `${fmt(cpuMs, 0)} ms (${fmt(perCycle, 0)} ms/cycle, ${fmt((cpuMs / wallMs) * 100, 2)} %)`,
            reference: `${fmt(bareMs, 0)} ms bare node`,
            ratio: bareMs > 0 ? fmt(cpuMs / bareMs, 1) : '—',
            target: '—',
            pass: null,
          },
        ],
        details: {
          pollIntervalSeconds: pollSeconds,
          cycles: p.idleCycles,
          knownMeetings: INGESTED,
          wallSeconds: wallMs / 1000,
          cpuMs,
          cpuMsPerCycle: perCycle,
          cpuPercent: (cpuMs / wallMs) * 100,
          bareNodeCpuMs: bareMs,
          rssDuringIdle: d1.rss,
          zoomCalls,
          kalturaCalls,
          note: 'CPU time has 10 ms resolution (USER_HZ 100)',
        },
      };
    } finally {
      daemon.child.kill('SIGTERM');
      await Promise.race([daemon.done, sleep(15_000).then(() => daemon.child.kill('SIGKILL'))]);
    }
  } finally {
    bare.kill('SIGTERM');
    await world.close();
  }
}
