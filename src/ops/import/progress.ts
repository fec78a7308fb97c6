/**
 * Import and backfill progress for people: a cli-progress bar on a terminal
 * (log lines printed above it, never over it), plain timestamped lines every
 * `global.log.progressInterval` otherwise (cron mail, journald), and nothing
 * but the final document with --json. Always on stderr, so stdout stays the
 * result. The numbers come from one meter, fed per file event with SQLite's
 * counts (see file-tally.ts), so the bar, the lines and the summary agree.
 */
import cliProgress from 'cli-progress';
import type { Clock } from '../../util/clock.js';
import type { ImportProgress, ImportSummary } from './run-import.js';
import type { TallyCounts } from './file-tally.js';

/** Decimal megabytes (10^6 bytes), as the README uses "MB" everywhere. */
const MB = 1_000_000;

export function quietProgress(): ImportProgress {
  return { windowsStarted() {}, windowDone() {}, transferStarted() {}, files() {}, transferRound() {}, bytes() {}, finished() {} };
}

export function formatEta(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/** What the import has done so far, with rates measured from the start of each phase. */
export function createMeter(now: () => number) {
  const m = {
    phase: 'windows' as 'windows' | 'files',
    windows: { total: 0, done: 0 },
    recordings: 0,
    files: { total: 0, done: 0, remaining: 0 } as TallyCounts,
    bytes: 0,
    transferStartedAt: 0,
  };
  return {
    state: m,
    /** Files per second and decimal MB per second since the transfer phase began. */
    rates() {
      const secs = Math.max(0.001, (now() - m.transferStartedAt) / 1000);
      return { filesPerSec: m.files.done / secs, mbPerSec: m.bytes / MB / secs };
    },
    /** Time left at the rate so far; undefined until a file has finished. */
    etaMs(): number | undefined {
      if (m.phase !== 'files' || m.files.done === 0) return undefined;
      const elapsed = now() - m.transferStartedAt;
      return (m.files.remaining * elapsed) / m.files.done;
    },
    describe(): string {
      if (m.phase === 'windows') return `listed ${m.windows.done}/${m.windows.total} windows, ${m.recordings} recordings`;
      const { filesPerSec, mbPerSec } = this.rates();
      const eta = this.etaMs();
      const pct = m.files.total > 0 ? Math.floor((m.files.done / m.files.total) * 100) : 100;
      return (
        `files ${m.files.done}/${m.files.total} done (${pct}%), ${m.files.remaining} left (${m.files.converting ?? 0} converting in Kaltura); ` +
        `${(m.bytes / MB).toFixed(1)} MB at ${mbPerSec.toFixed(1)} MB/s, ${filesPerSec.toFixed(2)} files/s; ETA ${eta === undefined ? 'unknown until a file finishes' : formatEta(eta)}`
      );
    },
  };
}

export interface LineProgressOptions {
  out: NodeJS.WritableStream;
  clock: Pick<Clock, 'now' | 'sleep'>;
  /** A status line this often (global.log.progressInterval). */
  everyMs: number;
  /** "import" or "backfill": the word every line and the summary use. */
  label: string;
}

/** Without a terminal: a status line every `everyMs` from a timer, whatever the work loop is doing, plus phase changes and failures at once. */
export function lineProgress(opts: LineProgressOptions): ImportProgress & { close(): void } {
  const { out, clock, label } = opts;
  const meter = createMeter(() => clock.now());
  const m = meter.state;
  const stop = new AbortController();
  let ticking = false;
  const line = (text: string) => out.write(`${new Date(clock.now()).toISOString()} zk ${label}: ${text}\n`);
  const tick = async () => {
    while (!stop.signal.aborted) {
      await clock.sleep(opts.everyMs, stop.signal);
      line(meter.describe());
    }
  };
  const close = () => stop.abort();
  return {
    windowsStarted(t, skipped) {
      m.windows.total = t - skipped;
      line(`${t} windows (${skipped} already imported, ${m.windows.total} to list)`);
      if (!ticking) {
        ticking = true;
        tick().catch(() => undefined);
      }
    },
    windowDone(w) {
      m.windows.done++;
      m.recordings += w.meetings;
      if (w.error) line(`window ${w.window.from}..${w.window.to} of ${w.account} failed: ${w.error}`);
      else if (m.windows.done === m.windows.total) line(meter.describe());
    },
    transferStarted(files) {
      m.phase = 'files';
      m.files = { total: files, done: 0, remaining: files };
      m.transferStartedAt = clock.now();
      line(`${files} files to transfer and verify`);
    },
    files(c) {
      m.files = { ...c };
    },
    transferRound() {},
    bytes(n) {
      m.bytes += n;
    },
    finished(s) {
      close();
      out.write(renderSummary(s, label));
    },
    close,
  };
}

export interface BarProgressOptions {
  out: NodeJS.WritableStream;
  clock: Pick<Clock, 'now'>;
  label: string;
  /** Takes over the console log lines while the bar is drawn (undefined gives them back). */
  routeLogs?: (write: ((text: string) => void) | undefined) => void;
}

export function barProgress(opts: BarProgressOptions): ImportProgress & { close(): void } {
  const { out, label } = opts;
  const meter = createMeter(() => opts.clock.now());
  const m = meter.state;
  const multi = new cliProgress.MultiBar(
    { stream: out, format: '{phase} [{bar}] {value}/{total} | {detail}', hideCursor: true, clearOnComplete: false, autopadding: true },
    cliProgress.Presets.shades_classic,
  );
  let bar: cliProgress.SingleBar | undefined;
  let closed = false;
  const detail = () => {
    if (m.phase === 'windows') return `${m.recordings} recordings`;
    const { filesPerSec, mbPerSec } = meter.rates();
    const eta = meter.etaMs();
    return `${m.files.converting ?? 0} converting | ${(m.bytes / MB).toFixed(1)} MB, ${mbPerSec.toFixed(1)} MB/s, ${filesPerSec.toFixed(2)} files/s | ETA ${eta === undefined ? '--' : formatEta(eta)}`;
  };
  const payload = () => ({ phase: m.phase === 'windows' ? 'windows' : 'files  ', detail: detail() });
  const close = () => {
    if (closed) return;
    closed = true;
    multi.stop();
    opts.routeLogs?.(undefined);
  };
  return {
    windowsStarted(total, skipped) {
      m.windows.total = total - skipped;
      opts.routeLogs?.((text) => multi.log(text.endsWith('\n') ? text : `${text}\n`));
      bar = multi.create(Math.max(1, m.windows.total), 0, payload());
    },
    windowDone(w) {
      m.windows.done++;
      m.recordings += w.meetings;
      if (w.error) multi.log(`${label}: window ${w.window.from}..${w.window.to} of ${w.account} failed: ${w.error}\n`);
      bar?.update(m.windows.done, payload());
    },
    transferStarted(files) {
      m.phase = 'files';
      m.files = { total: files, done: 0, remaining: files };
      m.transferStartedAt = opts.clock.now();
      bar?.setTotal(Math.max(1, files));
      bar?.update(0, payload());
    },
    files(c) {
      m.files = { ...c };
      if (bar && bar.getTotal() !== Math.max(1, c.total)) bar.setTotal(Math.max(1, c.total));
      bar?.update(c.done, payload());
    },
    transferRound() {},
    bytes(n) {
      m.bytes += n;
      bar?.update(payload());
    },
    finished(s) {
      close();
      out.write(renderSummary(s, label));
    },
    close,
  };
}

export function renderSummary(s: ImportSummary, label = 'import'): string {
  const states = Object.entries(s.states)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const t = s.transfer;
  const lines = [
    `${label} ${s.from}..${s.to} (${s.accounts.join(', ')}) finished in ${(s.durationMs / 1000).toFixed(1)}s`,
    `  windows: ${s.windows.listed} listed, ${s.windows.skipped} already imported, ${s.windows.failed} failed (of ${s.windows.total})`,
    `  recordings listed: ${s.meetings}; files new to zk: ${s.newFiles}`,
    `  files to transfer and verify: ${t.total}; done: ${t.done}; still waiting: ${t.remaining}`,
    `  files now (these accounts): ${states || 'none'}`,
  ];
  if (s.pending > 0) lines.push(`  ${s.pending} files are waiting (retry or Kaltura conversion); the daemon or a re-run finishes them`);
  if (s.failed > 0) lines.push(`  ${s.failed} files FAILED: see \`zk files list --state FAILED\`, then \`zk files retry --failed\``);
  for (const e of s.errors) lines.push(`  error: ${e}`);
  return `${lines.join('\n')}\n`;
}
