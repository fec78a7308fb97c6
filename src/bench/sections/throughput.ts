/**
 * 1. Transfer throughput, upload mode: N files moved Zoom → Kaltura by the zk
 * daemon (whole run: start, poll, transfer, entry, verification, exit) and by
 * the raw pipe over the same servers with the same chunk size and the same
 * number of files in flight.
 */
import { execFileSync } from 'node:child_process';
import { ZOOM_DEMO_ACCOUNT } from '../../sandbox/seed/zoom-demo.js';
import { KALTURA_DEMO_ADMIN_SECRET, KALTURA_DEMO_PARTNER_ID } from '../../sandbox/seed/kaltura-demo.js';
import { rawPipe, zoomToken, type RawTarget } from '../raw-pipe.js';
import { mp4Meeting, startWorld } from '../world.js';
import { type Presets, type SectionResult, MB, fmt, runDaemonOnce, sizeLabel } from '../common.js';

/** zk's defaults: kaltura.chunkSizeMb 8; concurrency.transfers 4 and perAccount 2 (one account here). */
const CHUNK_SIZE = 8 * MB;
const IN_FLIGHT = 2;

/** Drops the bytes Kaltura stored and flushes dirty pages, so no run pays for the previous run's write-back. */
function settleDisk(world: { dropStoredBytes(): void }): void {
  world.dropStoredBytes();
  execFileSync('sync');
}

async function listTargets(zoomApiUrl: string, oauthUrl: string): Promise<RawTarget[]> {
  const token = await zoomToken({ zoomOauthUrl: oauthUrl, zoomAccountId: ZOOM_DEMO_ACCOUNT.accountId, zoomClientId: ZOOM_DEMO_ACCOUNT.clientId, zoomClientSecret: ZOOM_DEMO_ACCOUNT.clientSecret });
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const res = await fetch(`${zoomApiUrl}/accounts/me/recordings?from=${day(Date.now() - 2 * 86_400_000)}&to=${day(Date.now())}&page_size=300`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { meetings?: Array<{ uuid: string; recording_files?: Array<{ id: string; download_url: string; file_size: number; file_extension: string }> }> };
  return (body.meetings ?? []).flatMap((m) => (m.recording_files ?? []).map((f) => ({ downloadUrl: f.download_url, fileSize: f.file_size, fileName: `${f.id}.${f.file_extension.toLowerCase()}` })));
}

export async function benchThroughput(p: Presets): Promise<SectionResult> {
  const n = p.throughputFiles;
  const size = p.throughputFileSize;
  const world = await startWorld(Array.from({ length: n }, (_, i) => mp4Meeting(i, size, 2 * 3_600_000, 'tp')));
  try {
    const targets = await listTargets(world.zoom.apiUrl, world.zoom.oauthUrl);
    if (targets.length !== n) throw new Error(`expected ${n} files listed, got ${targets.length}`);
    const bytes = n * size;

    const rawOnce = async (): Promise<number> => {
      settleDisk(world);
      const r0 = performance.now();
      const moved = await rawPipe(targets, {
        zoomOauthUrl: world.zoom.oauthUrl,
        zoomAccountId: ZOOM_DEMO_ACCOUNT.accountId,
        zoomClientId: ZOOM_DEMO_ACCOUNT.clientId,
        zoomClientSecret: ZOOM_DEMO_ACCOUNT.clientSecret,
        kalturaUrl: world.kaltura.url,
        partnerId: KALTURA_DEMO_PARTNER_ID,
        adminSecret: KALTURA_DEMO_ADMIN_SECRET,
        chunkSize: CHUNK_SIZE,
        concurrency: IN_FLIGHT,
      });
      const ms = performance.now() - r0;
      if (moved !== bytes) throw new Error(`raw pipe moved ${moved} of ${bytes} bytes`);
      return ms;
    };
    // Reference, zk, reference again (A-B-A): disk write-back and machine drift hit both sides alike.
    const rawRuns = [await rawOnce()];
    settleDisk(world);
    const config = world.writeConfig('throughput', (raw) => {
      raw.kaltura.transferMode = 'upload';
    });
    // The transfer phase ends when Kaltura acknowledged the last chunk: watched from here in the call log.
    const chunks = n * Math.ceil(size / CHUNK_SIZE);
    let lastChunkAt = 0;
    const uploads = () => world.kaltura.state.callCounts()['uploadtoken.upload'] ?? 0;
    world.kaltura.state.resetCallLog();
    const z0 = performance.now();
    const watch = setInterval(() => {
      if (!lastChunkAt && uploads() >= chunks) lastChunkAt = performance.now();
    }, 10);
    let zk: Awaited<ReturnType<typeof runDaemonOnce>>;
    try {
      zk = await runDaemonOnce(config);
    } finally {
      clearInterval(watch);
    }
    if (!lastChunkAt) lastChunkAt = performance.now();
    const zkTransferMs = lastChunkAt - z0;
    rawRuns.push(await rawOnce());
    settleDisk(world);
    const rawMs = rawRuns.reduce((a, b) => a + b, 0) / rawRuns.length;
    const states = world.states();
    if ((states.HANDLED ?? 0) !== n) throw new Error(`zk handled ${states.HANDLED ?? 0} of ${n} files: ${JSON.stringify(states)}`);

    const rawMBs = bytes / MB / (rawMs / 1000);
    const zkMBs = bytes / MB / (zkTransferMs / 1000);
    const zkWholeMBs = bytes / MB / (zk.wallMs / 1000);
    const ratio = zkMBs / rawMBs;
    return {
      section: 'throughput',
      rows: [
        {
          figure: `1. upload throughput, ${n} × ${sizeLabel(size)} (MiB/s)`,
          value: fmt(zkMBs),
          reference: `${fmt(rawMBs)} raw pipe`,
          ratio: fmt(ratio, 2),
          target: '≥ 0.90',
          pass: ratio >= 0.9,
        },
        {
          figure: `1. same, whole daemon run incl. verification`,
          value: fmt(zkWholeMBs),
          reference: `${fmt(rawMBs)} raw pipe`,
          ratio: fmt(zkWholeMBs / rawMBs, 2),
          target: '—',
          pass: null,
        },
      ],
      details: {
        files: n,
        fileSize: size,
        chunkSize: CHUNK_SIZE,
        inFlight: IN_FLIGHT,
        raw: { seconds: rawMs / 1000, mbPerSec: rawMBs, runsSeconds: rawRuns.map((ms) => ms / 1000), note: 'mean of a run before and a run after zk' },
        zk: {
          transferSeconds: zkTransferMs / 1000,
          mbPerSec: zkMBs,
          wholeRunSeconds: zk.wallMs / 1000,
          wholeRunMbPerSec: zkWholeMBs,
          cpuSeconds: zk.cpuMs / 1000,
          peakRss: zk.peakRss,
          note: 'transfer: daemon spawn (start, poll, metadata, entries) to the last chunk acknowledged; whole run adds verification (the sandbox hashes every byte on conversion) and exit',
        },
        ratio,
      },
    };
  } finally {
    await world.close();
  }
}
