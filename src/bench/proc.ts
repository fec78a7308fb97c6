/**
 * The daemon as a child process, watched from outside through /proc so its
 * peak RSS (VmHWM) and CPU time are its own, not the benchmark's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const DAEMON_BIN = join(ROOT, 'bin', 'zk-daemon.js');
export const ZK_BIN = join(ROOT, 'bin', 'zk.js');

/** Clock ticks per second for /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const CLK_TCK = 100;

export interface ProcSample {
  /** Peak resident set (VmHWM), bytes. */
  hwm: number;
  /** Current resident set (VmRSS), bytes. */
  rss: number;
  /** User + system CPU time, ms. */
  cpuMs: number;
}

export function sampleProc(pid: number): ProcSample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuTicks = Number(rest[11]) + Number(rest[12]);
    return { hwm: kb('VmHWM'), rss: kb('VmRSS'), cpuMs: (cpuTicks * 1000) / CLK_TCK };
  } catch {
    return undefined;
  }
}

export interface ChildRun {
  child: ChildProcess;
  pid: number;
  /** Latest /proc sample (refreshed every `sampleMs`). */
  last(): ProcSample | undefined;
  /** Highest VmHWM seen. */
  peakHwm(): number;
  stderr(): string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; wallMs: number; peakHwm: number; cpuMs: number }>;
}

export function spawnWatched(args: string[], opts: { env?: Record<string, string>; sampleMs?: number; timeoutMs?: number; stdout?: (s: string) => void } = {}): ChildRun {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid!;
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => {
    stderr += b.toString();
    if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
  });
  child.stdout!.on('data', (b: Buffer) => opts.stdout?.(b.toString()));
  let last: ProcSample | undefined;
  let peak = 0;
  const tick = () => {
    const s = sampleProc(pid);
    if (s) {
      last = s;
      peak = Math.max(peak, s.hwm);
    }
  };
  const timer = setInterval(tick, opts.sampleMs ?? 50);
  const killer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; wallMs: number; peakHwm: number; cpuMs: number }>((res) => {
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      if (killer) clearTimeout(killer);
      res({ code, signal, wallMs: performance.now() - t0, peakHwm: peak, cpuMs: last?.cpuMs ?? 0 });
    });
  });
  tick();
  return { child, pid, last: () => last, peakHwm: () => peak, stderr: () => stderr, done };
}
