/**
 * The bundled sandbox: both emulators with their demo data, plus the zk config
 * that points at them. Used by `zk-daemon start --sandbox` (the quick start),
 * `zk sandbox` (emulators only, for trying the CLI) and the end-to-end tests.
 */
import { stringify } from 'yaml';
import { startZoomSandbox, type ZoomFaults, type ZoomSandbox } from './zoom/server.js';
import { startKalturaSandbox, type KalturaDeployment, type KalturaFaults, type KalturaSandbox } from './kaltura/server.js';
import { contentKindForExtension, contentSha256 } from './content.js';
import { ZOOM_DEMO_ACCOUNT, zoomDemoMeetings, zoomDemoSeed } from './seed/zoom-demo.js';
import { zoomIntegrationDemoPlans, zoomIntegrationEntries } from './seed/zoom-integration.js';
import { zoomGeneratedSeed } from './seed/zoom-generated.js';
import {
  KALTURA_DEMO_ADMIN_SECRET,
  KALTURA_DEMO_CATEGORIES,
  KALTURA_DEMO_DEFAULT_OWNER,
  KALTURA_DEMO_PARTNER_ID,
  kalturaDemoSandboxOptions,
} from './seed/kaltura-demo.js';
import type { ZoomSeed } from './zoom/seed-types.js';
import type { KalturaSeedEntry } from './kaltura/seed-types.js';

export interface SandboxOptions {
  /** Sandbox clock (epoch ms); demo recordings are dated relative to it. */
  now?: () => number;
  zoomPort?: number;
  kalturaPort?: number;
  /** Where Kaltura keeps ingested bytes; default a temp dir removed on close. */
  storageDir?: string;
  /** Extra generated recordings (spread from `generateFrom` to now) on top of the demo set. */
  generate?: number;
  generateFrom?: string;
  /** Size of each generated MP4; default 1 MiB. */
  generatedFileSize?: number;
  conversionDelayMs?: number;
  /** Initial Kaltura faults and partner modes (entry moderation, index lag); tests can change them later. */
  kalturaFaults?: KalturaFaults;
  /** Initial Zoom faults (429/5xx rates, resets, withheld scopes, ...); `POST /_sandbox/faults` changes them later. */
  zoomFaults?: ZoomFaults;
  /**
   * Seed Kaltura with entries made the way Kaltura's own Zoom integration makes them, for about
   * half of the demo recordings (one partial segment, one errored entry): switching over to zk.
   */
  zoomIntegration?: boolean | ((entries: KalturaSeedEntry[]) => KalturaSeedEntry[]);
  /** How the emulated Kaltura partner is deployed (no eSearch, source flavor dropped, virus scan, READY at add). */
  kalturaDeployment?: KalturaDeployment;
}

export interface Sandbox {
  zoom: ZoomSandbox;
  kaltura: KalturaSandbox;
  close(): Promise<void>;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const now = opts.now ?? Date.now;
  const seeds: ZoomSeed[] = [zoomDemoSeed(now())];
  if (opts.generate && opts.generate > 0) {
    const generated = zoomGeneratedSeed(ZOOM_DEMO_ACCOUNT.accountId, {
      count: opts.generate,
      from: opts.generateFrom ?? new Date(now() - 365 * 86_400_000).toISOString(),
      to: new Date(now() - 86_400_000).toISOString(),
      fileSize: opts.generatedFileSize,
      seed: 7,
    });
    seeds.push(generated);
  }
  const zoom = await startZoomSandbox({ accounts: [{ ...ZOOM_DEMO_ACCOUNT }], seed: seeds, now, port: opts.zoomPort, faults: opts.zoomFaults });
  let kaltura: KalturaSandbox;
  try {
    const demo = kalturaDemoSandboxOptions();
    if (opts.zoomIntegration) {
      const entries = await zoomIntegrationEntries(zoomIntegrationDemoPlans(zoomDemoMeetings(now())));
      // A function lets tests alter what the integration left (e.g. an errored caption).
      demo.seed.entries = typeof opts.zoomIntegration === 'function' ? opts.zoomIntegration(entries) : entries;
    }
    kaltura = await startKalturaSandbox({
      ...demo,
      now,
      port: opts.kalturaPort,
      storageDir: opts.storageDir,
      conversionDelayMs: opts.conversionDelayMs,
      faults: opts.kalturaFaults,
      deployment: opts.kalturaDeployment,
      // Measuring hashes every same-size Zoom file, so only a deployment whose verification needs it pays for it.
      mediaDurationMs: opts.kalturaDeployment?.dropSourceFlavor ? (content) => zoomDurationOf(zoom, content) : undefined,
    });
  } catch (err) {
    await zoom.close();
    throw err;
  }
  return {
    zoom,
    kaltura,
    async close() {
      await Promise.allSettled([zoom.close(), kaltura.close()]);
    },
  };
}

/**
 * What a transcoder would measure: the bytes are a Zoom file's (same size and sha256), whose duration
 * is its recording_end - recording_start. Only files of the same size are hashed.
 */
async function zoomDurationOf(zoom: ZoomSandbox, content: { size: number; sha256: string }): Promise<number | undefined> {
  for (const m of zoom.state.snapshot().meetings) {
    for (const f of m.files) {
      if (f.fileSize !== content.size) continue;
      if ((await contentSha256(f.id, f.fileSize, contentKindForExtension(f.fileExtension))) !== content.sha256) continue;
      const ms = Date.parse(f.recordingEnd) - Date.parse(f.recordingStart);
      return Number.isFinite(ms) && ms > 0 ? ms : undefined;
    }
  }
  return undefined;
}

export interface SandboxConfigOptions {
  database: string;
  pollInterval?: string;
  deleteDelay?: string;
  deleteEnabled?: boolean;
  metricsListen?: string;
  metricsEnabled?: boolean;
  logLevel?: string;
}

/**
 * A complete zk config for the sandbox. Secrets are the sandbox's public demo
 * values; nothing here is a real credential.
 */
export function sandboxConfig(sandbox: Pick<Sandbox, 'zoom' | 'kaltura'>, opts: SandboxConfigOptions): Record<string, unknown> {
  return {
    global: {
      database: opts.database,
      log: { level: opts.logLevel ?? 'info' },
      metrics: { enabled: opts.metricsEnabled ?? true, listen: opts.metricsListen ?? '127.0.0.1:0' },
      pollInterval: opts.pollInterval ?? '30s',
      retry: { baseDelay: '5s', maxDelay: '2m' },
    },
    kaltura: {
      serviceUrl: sandbox.kaltura.url,
      partnerId: KALTURA_DEMO_PARTNER_ID,
      adminSecret: KALTURA_DEMO_ADMIN_SECRET,
      // The emulator's index lags media.add only when asked to (--index-lag); a second covers that in demos.
      indexLag: '1s',
    },
    zoom: { apiUrl: sandbox.zoom.apiUrl, oauthUrl: sandbox.zoom.oauthUrl },
    accounts: [
      {
        name: 'demo',
        description: 'bundled Zoom sandbox (demo data)',
        credentials: {
          accountId: ZOOM_DEMO_ACCOUNT.accountId,
          clientId: ZOOM_DEMO_ACCOUNT.clientId,
          clientSecret: ZOOM_DEMO_ACCOUNT.clientSecret,
        },
        meetings: { upload: true, categories: [KALTURA_DEMO_CATEGORIES.zoom] },
        webinars: { upload: true, categories: [KALTURA_DEMO_CATEGORIES.zoomWebinars] },
        owner: { onNoMatch: 'defaultUser', defaultUserId: KALTURA_DEMO_DEFAULT_OWNER },
        permissions: { alternativeHosts: 'coEditor', coHosts: 'coPublisher', participants: 'coViewer' },
        transcripts: { enabled: true, language: 'English' },
        chat: { enabled: true },
        delete: { enabled: opts.deleteEnabled ?? true, delay: opts.deleteDelay ?? '2m', action: 'trash' },
        tags: ['zoom'],
      },
    ],
  };
}

export function sandboxConfigYaml(sandbox: Pick<Sandbox, 'zoom' | 'kaltura'>, opts: SandboxConfigOptions): string {
  return `# Generated by zk for the bundled sandbox; regenerated on every sandbox start.\n${stringify(sandboxConfig(sandbox, opts))}`;
}
