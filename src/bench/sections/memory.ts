/**
 * 2. Memory: peak RSS of the daemon process moving one file of each size, a
 * fresh daemon and database per size. Reference: the same daemon moving a
 * 1 MiB file (its floor: Node, SQLite, clients).
 */
import { mp4Meeting, startWorld } from '../world.js';
import { type Presets, type SectionResult, MB, fmt, mib, runDaemonOnce, sizeLabel } from '../common.js';

async function peakFor(size: number, tag: string): Promise<{ peakRss: number; seconds: number; cpuSeconds: number; memory?: unknown }> {
  const world = await startWorld([mp4Meeting(0, size, 2 * 3_600_000, tag)]);
  try {
    const config = world.writeConfig('memory');
    const r = await runDaemonOnce(config);
    const states = world.states();
    if ((states.HANDLED ?? 0) !== 1) throw new Error(`file of ${size} bytes not handled: ${JSON.stringify(states)}`);
    return { peakRss: r.peakRss, seconds: r.wallMs / 1000, cpuSeconds: r.cpuMs / 1000, memory: r.memory };
  } finally {
    await world.close();
  }
}

export async function benchMemory(p: Presets): Promise<SectionResult> {
  const floor = await peakFor(1 * MB, 'mem-floor');
  const runs: Array<{ size: number; peakRss: number; seconds: number; cpuSeconds: number; memory?: unknown }> = [];
  for (const size of p.memorySizes) runs.push({ size, ...(await peakFor(size, `mem-${size}`)) });
  const peaks = runs.map((r) => r.peakRss);
  const spread = Math.max(...peaks) / Math.min(...peaks) - 1;
  const max = Math.max(...peaks);
  return {
    section: 'memory',
    rows: [
      ...runs.map((r) => ({
        figure: `2. daemon peak RSS, one ${sizeLabel(r.size)} file`,
        value: mib(r.peakRss),
        reference: `${mib(floor.peakRss)} (1 MiB file)`,
        ratio: fmt(r.peakRss / floor.peakRss, 2),
        target: '≤ 200 MiB',
        pass: r.peakRss <= 200 * MB,
      })),
      {
        figure: `2. peak RSS spread across ${p.memorySizes.map(sizeLabel).join(' / ')}`,
        value: `${fmt(spread * 100)} %`,
        reference: `${mib(Math.min(...peaks))}–${mib(max)}`,
        ratio: fmt(max / Math.min(...peaks), 3),
        target: '≤ 10 %',
        pass: spread <= 0.1,
      },
    ],
    details: { floor, runs, spread },
  };
}
