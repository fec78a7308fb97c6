/**
 * 6. zk's own transfer ceiling: one file moved Zoom download → Kaltura upload
 * by zk's real adapters and upload loop (zk-transfer.ts, a child process)
 * against loopback endpoints that serve from memory and discard what they
 * receive, beside curl moving the same bytes over the same endpoints
 * (`curl GET | curl -T -`, two curl processes joined by a pipe: the same
 * download → upload shape). Runs alternate curl, zk, curl, zk; each side's
 * best run counts, since load from other processes only ever slows a run.
 */
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, spawnWatched } from '../proc.js';
import { startLoopbackEndpoints, type LoopbackEndpoints } from '../loopback-endpoints.js';
import type { ZkTransferOptions, ZkTransferResult } from '../zk-transfer.js';
import { type Presets, type SectionResult, MB, fmt, mib, sizeLabel } from '../common.js';

/** zk's default kaltura.chunkSizeMb. */
const CHUNK_SIZE = 8 * MB;
const ROUNDS = 2;
const TARGET = 0.5;
const ZK_TRANSFER = join(ROOT, 'dist', 'bench', 'zk-transfer.js');

function curlVersion(): string | undefined {
  try {
    return execFileSync('curl', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  } catch {
    return undefined;
  }
}

function exitOf(child: ReturnType<typeof spawn>, name: string): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${name} exited ${code ?? signal}: ${stderr.slice(-500)}`))));
  });
}

/** Seconds for `curl -s <file> | curl -s -T - <sink>`. */
async function curlOnce(e: LoopbackEndpoints, size: number): Promise<number> {
  const before = e.received();
  const t0 = performance.now();
  const down = spawn('curl', ['-sS', '--fail', '--no-buffer', `${e.fileUrl}/${size}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  const up = spawn('curl', ['-sS', '--fail', '-o', '/dev/null', '-T', '-', e.rawUploadUrl], { stdio: [down.stdout!, 'ignore', 'pipe'] });
  await Promise.all([exitOf(down, 'curl download'), exitOf(up, 'curl upload')]);
  const seconds = (performance.now() - t0) / 1000;
  if (e.received() - before !== size) throw new Error(`curl moved ${e.received() - before} of ${size} bytes`);
  return seconds;
}

async function zkOnce(e: LoopbackEndpoints, size: number): Promise<ZkTransferResult> {
  const before = e.received();
  const o: ZkTransferOptions = { fileUrl: e.fileUrl, oauthUrl: e.oauthUrl, serviceUrl: e.serviceUrl, fileSize: size, chunkSizeBytes: CHUNK_SIZE };
  let out = '';
  const run = spawnWatched([ZK_TRANSFER, JSON.stringify(o)], { stdout: (s) => (out += s), timeoutMs: 600_000 });
  const r = await run.done;
  if (r.code !== 0) throw new Error(`zk-transfer exited ${r.code ?? r.signal}: ${run.stderr().slice(-2000)}`);
  const result = JSON.parse(out.trim().split('\n').pop() ?? '{}') as ZkTransferResult;
  if (e.received() - before !== size || result.bytes !== size) throw new Error(`zk moved ${e.received() - before} of ${size} bytes`);
  return result;
}

export async function benchCeiling(p: Presets): Promise<SectionResult> {
  const size = p.ceilingFileSize;
  const figure = `6. zk transfer ceiling, 1 × ${sizeLabel(size)}, memory → zk → discard (MiB/s)`;
  const curl = curlVersion();
  if (!curl) {
    return {
      section: 'ceiling',
      rows: [{ figure, value: '—', reference: 'curl not installed: no reference', ratio: '—', target: `≥ ${TARGET} × curl`, pass: false }],
      details: { error: 'curl is not on PATH; install it (apt-get install curl) to measure this figure' },
    };
  }
  const e = await startLoopbackEndpoints();
  try {
    const curlRuns: number[] = [];
    const zkRuns: ZkTransferResult[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      curlRuns.push(await curlOnce(e, size));
      zkRuns.push(await zkOnce(e, size));
    }
    const mbs = (s: number) => size / MB / s;
    const curlBest = Math.min(...curlRuns);
    const zkBest = zkRuns.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const ratio = mbs(zkBest.seconds) / mbs(curlBest);
    return {
      section: 'ceiling',
      rows: [
        {
          figure,
          value: fmt(mbs(zkBest.seconds)),
          reference: `${fmt(mbs(curlBest))} curl | curl`,
          ratio: fmt(ratio, 2),
          target: `≥ ${TARGET}`,
          pass: ratio >= TARGET,
        },
        {
          figure: '6. same, zk transfer process peak RSS',
          value: mib(Math.max(...zkRuns.map((r) => r.peakRss))),
          reference: '—',
          ratio: '—',
          target: '—',
          pass: null,
        },
      ],
      details: {
        fileSize: size,
        chunkSize: CHUNK_SIZE,
        curl: { version: curl, runsSeconds: curlRuns, bestMbPerSec: mbs(curlBest), command: 'curl -sS --fail --no-buffer <file> | curl -sS --fail -o /dev/null -T - <sink>/raw' },
        zk: { runs: zkRuns, bestMbPerSec: mbs(zkBest.seconds), cpuSecondsBest: zkBest.cpuSeconds },
        ratio,
        note: 'alternating curl, zk; best run of each side; endpoints serve from memory and discard in the bench process',
      },
    };
  } finally {
    await e.close();
  }
}
