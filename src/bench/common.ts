/** Shared pieces: presets, table rows, running the daemon binary once. */
import { join } from 'node:path';
import { DAEMON_BIN, ROOT, spawnWatched } from './proc.js';

/** Binary units: the bench sizes and reports in MiB/GiB (README: "MB" always means 10^6 bytes). */
export const MB = 1024 * 1024;
export const GB = 1024 * MB;

export interface Presets {
  /** Section 1: files and size. */
  throughputFiles: number;
  throughputFileSize: number;
  /** Section 2: one file of each size, one daemon run each. */
  memorySizes: number[];
  /** Section 3: poll cycles and meetings arriving per cycle. */
  apiCycles: number;
  apiMeetingsPerCycle: number;
  apiPollIntervalMs: number;
  /** Section 4: recordings over one year. */
  legacyRecordings: number;
  /** Section 5: idle poll cycles and their interval. */
  idleCycles: number;
  idlePollIntervalMs: number;
  /** Section 6: the file moved by zk and by curl over the loopback endpoints. */
  ceilingFileSize: number;
}

export function presets(quick: boolean): Presets {
  return quick
    ? {
        throughputFiles: 4,
        throughputFileSize: 128 * MB,
        // Not smaller than 256 MiB: a transfer's peak includes up to ~64 MiB of socket-read ArrayBuffers
        // awaiting the GC that V8 forces at that much external memory; a shorter file ends before its
        // peak reaches that ceiling, and the spread would measure that, not growth with size.
        memorySizes: [256 * MB, 512 * MB, GB],
        apiCycles: 4,
        apiMeetingsPerCycle: 5,
        apiPollIntervalMs: 2_000,
        legacyRecordings: 2_000,
        idleCycles: 5,
        idlePollIntervalMs: 1_000,
        ceilingFileSize: 512 * MB,
      }
    : {
        throughputFiles: 4,
        throughputFileSize: GB,
        memorySizes: [256 * MB, 2 * GB, 4 * GB],
        apiCycles: 10,
        apiMeetingsPerCycle: 5,
        apiPollIntervalMs: 3_000,
        legacyRecordings: 10_000,
        idleCycles: 10,
        idlePollIntervalMs: 2_000,
        ceilingFileSize: 2 * GB,
      };
}

export interface Row {
  figure: string;
  value: string;
  reference: string;
  ratio: string;
  target: string;
  /** null: informational, no target. */
  pass: boolean | null;
}

export interface SectionResult {
  section: string;
  seconds?: number;
  rows: Row[];
  details: Record<string, unknown>;
}

export function fmt(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : String(n);
}

export function mib(bytes: number): string {
  return `${fmt(bytes / MB)} MiB`;
}

export function sizeLabel(bytes: number): string {
  return bytes >= GB ? `${fmt(bytes / GB, bytes % GB === 0 ? 0 : 1)} GiB` : `${fmt(bytes / MB, 0)} MiB`;
}

export function formatTable(rows: Row[]): string {
  const head: Row = { figure: 'figure', value: 'zk', reference: 'reference', ratio: 'ratio', target: 'target', pass: null };
  const cells = (r: Row, isHead = false) => [r.figure, r.value, r.reference, r.ratio, r.target, isHead ? 'ok' : r.pass === null ? '' : r.pass ? 'yes' : 'NO'];
  const all = [cells(head, true), ...rows.map((r) => cells(r))];
  const widths = all[0].map((_, i) => Math.max(...all.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((s, i) => s.padEnd(widths[i])).join('  ').trimEnd();
  return [line(all[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

export interface DaemonRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  wallMs: number;
  /** Peak RSS (bytes): the process's own maxRSS at exit, else the /proc VmHWM sampler's. */
  peakRss: number;
  /** User + system CPU, ms. */
  cpuMs: number;
  /** What the peak was made of (probe.ts), when the probe reported. */
  memory?: Pick<ProbeReport, 'memoryMaxMiB' | 'memoryAtRssPeakMiB'>;
  stderr: string;
}

const PROBE = join(ROOT, 'dist', 'bench', 'probe.js');

export interface ProbeReport {
  maxRssKb: number;
  userUs: number;
  systemUs: number;
  /** Maximum of each process.memoryUsage() part, MiB. */
  memoryMaxMiB?: Record<string, number>;
  /** The parts at the highest sampled RSS, MiB. */
  memoryAtRssPeakMiB?: Record<string, number>;
}

export function parseProbe(stderr: string): ProbeReport | undefined {
  const m = /ZK_BENCH_PROBE (\{.*\})/.exec(stderr);
  return m ? (JSON.parse(m[1]) as ProbeReport) : undefined;
}

/** Runs `zk-daemon start --config <file> --exit-when-idle` to completion. */
export async function runDaemonOnce(configFile: string, env: Record<string, string> = {}, timeoutMs = 900_000): Promise<DaemonRun> {
  // ZK_BENCH_NODE_ARGS: extra Node flags for the daemon (profiling: "--cpu-prof --cpu-prof-dir=/tmp/prof").
  const extra = (process.env.ZK_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const run = spawnWatched([...extra, '--import', PROBE, DAEMON_BIN, 'start', '--config', configFile, '--exit-when-idle'], {
    env: { ZK_WORK_INTERVAL_MS: '20', ...env },
    timeoutMs,
  });
  const r = await run.done;
  const probe = parseProbe(run.stderr());
  const out: DaemonRun = {
    code: r.code,
    signal: r.signal,
    wallMs: r.wallMs,
    peakRss: Math.max(r.peakHwm, (probe?.maxRssKb ?? 0) * 1024),
    cpuMs: probe ? (probe.userUs + probe.systemUs) / 1000 : r.cpuMs,
    memory: probe ? { memoryMaxMiB: probe.memoryMaxMiB, memoryAtRssPeakMiB: probe.memoryAtRssPeakMiB } : undefined,
    stderr: run.stderr(),
  };
  if (r.code !== 0) throw new Error(`zk-daemon exited ${r.code ?? r.signal}: ${run.stderr().slice(-2000)}`);
  return out;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function waitFor(what: string, cond: () => boolean, timeoutMs: number, everyMs = 100): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}
