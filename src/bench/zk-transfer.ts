/**
 * Child process for section 6: one file moved by zk's own transfer code, in
 * isolation from the sandbox. zk's Zoom source adapter (token, download with
 * Range, guarded stream), the upload loop of src/ingest/transfer-upload.ts
 * (two reused chunk buffers, a SQLite progress update and lease renewal per
 * chunk) and zk's Kaltura sink adapter (multipart chunks over got) run
 * against the loopback endpoints of loopback-endpoints.ts.
 *
 * usage: node dist/bench/zk-transfer.js <json options>; prints one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../store/migrate.js';
import { createRepos } from '../store/repos.js';
import { createZoomSource } from '../zoom/index.js';
import { createKalturaSink } from '../kaltura/index.js';
import { systemClock } from '../util/clock.js';
import { type EngineAccount, type EngineContext } from '../ingest/context.js';
import { silentLog } from '../log/port.js';
import { basicPolicy } from '../ingest/basic-policy.js';
import { uploadContent } from '../ingest/transfer-upload.js';
import type { AccountConfig } from '../config/schema.js';

export interface ZkTransferOptions {
  fileUrl: string;
  oauthUrl: string;
  serviceUrl: string;
  fileSize: number;
  chunkSizeBytes: number;
}

export interface ZkTransferResult {
  bytes: number;
  seconds: number;
  /** The process's own peak RSS (bytes). */
  peakRss: number;
  cpuSeconds: number;
}

const ACCOUNT = 'bench';

async function main(o: ZkTransferOptions): Promise<ZkTransferResult> {
  const dir = mkdtempSync(join(tmpdir(), 'zk-bench-transfer-'));
  const clock = systemClock();
  const db = openStore(join(dir, 'zk.db'));
  try {
    const repos = createRepos(db, clock);
    repos.accounts.ensure({ name: ACCOUNT, zoomAccountId: 'bench', enabled: true });
    const start = new Date(Date.now() - 7_200_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const recordingId = repos.recordings.upsert({ account: ACCOUNT, meetingUuid: 'bench-uuid==', meetingId: 1, recordingStart: start, topic: 'bench', meetingType: 2, startTime: start });
    const { id: fileId } = repos.files.upsertListed({
      account: ACCOUNT,
      recordingId,
      meetingUuid: 'bench-uuid==',
      zoomFileId: 'bench-file',
      fileType: 'MP4',
      fileExtension: 'MP4',
      recordingType: 'shared_screen_with_speaker_view',
      zoomStatus: 'completed',
      fileSize: o.fileSize,
      downloadUrl: `${o.fileUrl}/${o.fileSize}`,
    });
    if (!repos.files.transition(fileId, 'DETECTED', 'TRANSFERRING', 'bench')) throw new Error('bench file row did not reach TRANSFERRING');
    if (!repos.files.claim(fileId, 'bench', 600_000)) throw new Error('bench file row not claimed');
    const source = createZoomSource({ account: ACCOUNT, apiUrl: o.fileUrl, oauthUrl: o.oauthUrl, credentials: { accountId: 'bench', clientId: 'bench', clientSecret: 'bench' }, clock });
    const sink = createKalturaSink({ serviceUrl: o.serviceUrl, partnerId: 1, adminSecret: 'bench-secret', userId: 'zk', privileges: 'disableentitlement', sessionExpiryMs: 86_400_000, clock });
    const acct: EngineAccount = { config: { name: ACCOUNT } as AccountConfig, source, sink };
    const ctx: EngineContext = {
      repos,
      clock,
      settings: { chunkSizeBytes: o.chunkSizeBytes, leaseTtlMs: 600_000 } as EngineContext['settings'],
      policy: basicPolicy(),
      actor: 'daemon',
      owner: 'bench',
      random: Math.random,
      log: silentLog(),
      observer: {},
      crash: () => undefined,
    };
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const file = repos.files.get(fileId)!;
    await uploadContent(ctx, acct, file, repos.recordings.get(recordingId)!);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const row = repos.files.get(fileId)!;
    if (row.uploadedBytes !== o.fileSize) throw new Error(`zk recorded ${row.uploadedBytes} of ${o.fileSize} bytes`);
    return { bytes: row.uploadedBytes, seconds, peakRss: process.resourceUsage().maxRSS * 1024, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main(JSON.parse(process.argv[2] ?? '{}') as ZkTransferOptions).then(
  (r) => {
    process.stdout.write(JSON.stringify(r) + '\n');
    process.exit(0);
  },
  (err) => {
    process.stderr.write(`zk-transfer: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
