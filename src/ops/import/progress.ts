/**
 * Import progress for people: a cli-progress bar on a terminal, plain
 * timestamped lines otherwise (cron mail, journald), and nothing but the final
 * document with --json. Always on stderr, so stdout stays the result.
 */
import cliProgress from 'cli-progress';
import type { ImportProgress, ImportSummary } from './run-import.js';

const MB = 1024 * 1024;

export function quietProgress(): ImportProgress {
  return { windowsStarted() {}, windowDone() {}, transferStarted() {}, transferRound() {}, bytes() {}, finished() {} };
}

export function lineProgress(out: NodeJS.WritableStream, now: () => number, everyMs = 10_000): ImportProgress {
  let total = 0;
  let done = 0;
  let recordings = 0;
  let bytes = 0;
  let last = 0;
  const line = (text: string, force = false) => {
    if (!force && now() - last < everyMs) return;
    last = now();
    out.write(`${new Date(now()).toISOString()} zk import: ${text}\n`);
  };
  return {
    windowsStarted(t, skipped) {
      total = t - skipped;
      line(`${t} windows (${skipped} already imported, ${total} to list)`, true);
    },
    windowDone(w) {
      done++;
      recordings += w.meetings;
      if (w.error) line(`window ${w.window.from}..${w.window.to} of ${w.account} failed: ${w.error}`, true);
      else line(`listed ${done}/${total} windows, ${recordings} recordings`, done === total);
    },
    transferStarted(files) {
      line(`${files} files to transfer and verify`, true);
    },
    transferRound(r) {
      line(`${r.remaining} files left, ${(bytes / MB).toFixed(1)} MB transferred`);
    },
    bytes(n) {
      bytes += n;
    },
    finished(s) {
      out.write(renderSummary(s));
    },
  };
}

export function barProgress(out: NodeJS.WritableStream): ImportProgress {
  const bar = new cliProgress.SingleBar(
    {
      stream: out,
      format: '{phase} [{bar}] {value}/{total} | {recordings} recordings | {mb} MB | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let recordings = 0;
  let bytes = 0;
  let filesTotal = 0;
  const payload = (phase: string) => ({ phase, recordings, mb: (bytes / MB).toFixed(1) });
  return {
    windowsStarted(total, skipped) {
      bar.start(Math.max(1, total - skipped), 0, payload('windows'));
    },
    windowDone(w) {
      recordings += w.meetings;
      bar.increment(1, payload('windows'));
    },
    transferStarted(files) {
      bar.stop();
      filesTotal = files;
      bar.start(Math.max(1, files), 0, payload('files  '));
    },
    transferRound(r) {
      bar.update(Math.max(0, filesTotal - r.remaining), payload('files  '));
    },
    bytes(n) {
      bytes += n;
      bar.update(payload('files  '));
    },
    finished(s) {
      bar.stop();
      out.write(renderSummary(s));
    },
  };
}

export function renderSummary(s: ImportSummary): string {
  const states = Object.entries(s.states)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const lines = [
    `import ${s.from}..${s.to} (${s.accounts.join(', ')}) finished in ${(s.durationMs / 1000).toFixed(1)}s`,
    `  windows: ${s.windows.listed} listed, ${s.windows.skipped} already imported, ${s.windows.failed} failed (of ${s.windows.total})`,
    `  recordings listed: ${s.meetings}; new files: ${s.newFiles}; files worked: ${s.processed}`,
    `  files now: ${states || 'none'}`,
  ];
  if (s.pending > 0) lines.push(`  ${s.pending} files are waiting (retry or Kaltura conversion); the daemon or a re-run finishes them`);
  if (s.failed > 0) lines.push(`  ${s.failed} files FAILED: see \`zk files list --state FAILED\`, then \`zk files retry --failed\``);
  for (const e of s.errors) lines.push(`  error: ${e}`);
  return `${lines.join('\n')}\n`;
}
