/**
 * 3. API economy: the daemon runs continuously with default settings (deletion
 * off, as by default) except a short poll interval, so the cycles fit in the
 * run. A second run repeats the same workload with deletion on and a 1 s
 * delay, so every file also goes through the re-check right before its Zoom
 * delete, and counts Kaltura requests until every file is PURGED or settled. Each cycle K new meetings (generated: 20 hosts, mostly MP4 +
 * transcript, some multi-view) appear in Zoom. Calls come from the emulators'
 * own logs. A download (GET download_url → 302 → CDN) moves the bytes and is
 * one per file whatever the integration does; it is counted apart from API
 * calls, and the CDN hop is not counted at all.
 */
import { generateRecordings } from '../../sandbox/seed/zoom-generated.js';
import { spawnWatched, DAEMON_BIN } from '../proc.js';
import { HOSTS, startWorld } from '../world.js';
import { type Presets, type SectionResult, fmt, sleep, waitFor } from '../common.js';

const ACTIVE = new Set(['DETECTED', 'PENDING', 'TRANSFERRING', 'IMPORTING', 'RETRY_WAIT']);

function sum(counts: Record<string, number>, keep: (k: string) => boolean = () => true): number {
  return Object.entries(counts).filter(([k]) => keep(k)).reduce((a, [, v]) => a + v, 0);
}

const isCdn = (k: string) => k.includes('/cdn/') || k.startsWith('CDN ');

interface Workload {
  meetings: number;
  files: number;
  polls: number;
  seconds: number;
  zoomCalls: Record<string, number>;
  kalturaCalls: Record<string, number>;
  kalturaHttp: Record<string, number>;
  states: Record<string, number>;
}

/** States a file may still leave on its own; with deletion on, PURGE_PENDING is one of them. */
function settled(s: Record<string, number>, files: number, deleting: boolean): boolean {
  const total = Object.values(s).reduce((a, b) => a + b, 0);
  return total === files && Object.entries(s).every(([k, v]) => v === 0 || !(ACTIVE.has(k) || (deleting && k === 'PURGE_PENDING')));
}

/** One daemon run over the generated workload; `deleting` turns deletion on with a 1 s delay. */
async function runWorkload(p: Presets, deleting: boolean): Promise<Workload> {
  const world = await startWorld([]);
  const pollSeconds = p.apiPollIntervalMs / 1000;
  const config = world.writeConfig(deleting ? 'api-delete' : 'api', (raw) => {
    raw.global.pollInterval = `${pollSeconds}s`;
    delete raw.global.retry;
    const acct = raw.accounts[0];
    // Schema defaults for everything the demo config sets beyond them.
    delete acct.permissions;
    delete acct.transcripts;
    delete acct.chat;
    delete acct.delete;
    if (deleting) acct.delete = { enabled: true, delay: '1s' };
  });
  const daemon = spawnWatched([DAEMON_BIN, 'start', '--config', config], { timeoutMs: 900_000 });
  try {
    // Polls are counted in a log that is never reset (the emulator's is reset after the first poll).
    const listed = () => (world.zoom.state.callCounts()['GET /v2/accounts/me/recordings'] ?? 0) + pollsBeforeReset;
    let pollsBeforeReset = 0;
    await waitFor('the first poll', () => listed() >= 1, 30_000);
    await sleep(200);
    pollsBeforeReset = listed();
    world.zoom.state.resetCallLog();
    world.kaltura.state.resetCallLog();
    let meetings = 0;
    let files = 0;
    const t0 = Date.now();
    for (let c = 0; c < p.apiCycles; c++) {
      const before = listed();
      const batch = generateRecordings({
        count: p.apiMeetingsPerCycle,
        from: Date.now() - 3 * 3_600_000,
        to: Date.now() - 3_600_000,
        seed: 100 + c,
        fileSize: 1024 * 1024,
        hosts: HOSTS.map((h) => ({ id: h.id!, email: h.email })),
      });
      for (const m of batch) world.zoom.state.addMeeting(m);
      meetings += batch.length;
      files += batch.reduce((a, m) => a + m.files.length, 0);
      await waitFor(`poll cycle ${c + 1}`, () => listed() > before, p.apiPollIntervalMs * 3 + 10_000, 50);
    }
    // With deletion on, a HANDLED file waits a tick to be scheduled: settled means unchanged for two work passes.
    let last = '';
    let since = 0;
    await waitFor(
      deleting ? 'every file purged or settled' : 'every file verified',
      () => {
        const s = world.states();
        if (!settled(s, files, deleting)) return false;
        if (!deleting) return true;
        const key = JSON.stringify(s);
        if (key !== last) {
          last = key;
          since = Date.now();
        }
        return Date.now() - since >= 2_500;
      },
      180_000,
      200,
    );
    return {
      meetings,
      files,
      polls: world.zoom.state.callCounts()['GET /v2/accounts/me/recordings'] ?? 0,
      seconds: (Date.now() - t0) / 1000,
      zoomCalls: world.zoom.state.callCounts(),
      kalturaCalls: world.kaltura.state.callCounts(),
      kalturaHttp: world.kaltura.state.httpRequestCounts(),
      states: world.states(),
    };
  } finally {
    daemon.child.kill('SIGTERM');
    await Promise.race([daemon.done, sleep(15_000).then(() => daemon.child.kill('SIGKILL'))]);
    await world.close();
  }
}

/** Kaltura HTTP requests: a multirequest is one; upload chunks after a file's first are not counted. */
const kalturaRequestsOf = (w: Workload) => sum(w.kalturaHttp, (k) => k !== 'uploadtoken.upload (resumed)');

const mix = (c: Record<string, number>, per: number) =>
  Object.entries(c)
    .filter(([k]) => !isCdn(k))
    .map(([k, v]) => `${k.replace(/^GET \/v2|^GET /, '').replace(/\{[a-zA-Z]+\}/g, '…')} ${fmt(v / per, 2)}`)
    .join(', ');

export async function benchApi(p: Presets): Promise<SectionResult> {
  const w = await runWorkload(p, false);
  const d = await runWorkload(p, true);
  const { meetings, files, polls, seconds, zoomCalls, kalturaCalls, kalturaHttp, states } = w;
  const kalturaRequests = kalturaRequestsOf(w);
  const requestsPerFile = kalturaRequests / files;
  const isDownload = (k: string) => k.includes('/rec/download');
  const zoomApi = sum(zoomCalls, (k) => !isCdn(k) && !isDownload(k));
  const downloads = sum(zoomCalls, isDownload);
  const kaltura = sum(kalturaCalls);
  const perMeeting = zoomApi / meetings;
  const perFile = kaltura / files;
  const dRequests = kalturaRequestsOf(d);
  const dRequestsPerFile = dRequests / d.files;
  const dPerFile = sum(d.kalturaCalls) / d.files;
  const purged = d.states.PURGED ?? 0;
  process.stderr.write(
    `bench: zoom per meeting: ${mix(zoomCalls, meetings)}\nbench: kaltura per file: ${mix(kalturaCalls, files)}\nbench: kaltura HTTP requests per file: ${mix(kalturaHttp, files)}\n` +
      `bench: through the Zoom delete (${purged}/${d.files} files purged; ${JSON.stringify(d.states)}): kaltura per file: ${mix(d.kalturaCalls, d.files)}\n` +
      `bench: through the Zoom delete: kaltura HTTP requests per file: ${mix(d.kalturaHttp, d.files)}\n`,
  );
  // Kaltura's own integration: roughly 4–15 Zoom calls per file, plus a re-check of every file on every poll for 3 days.
  return {
    section: 'api',
    rows: [
      {
        figure: `3. Zoom API calls per meeting (${meetings} meetings, ${polls} polls)`,
        value: fmt(perMeeting, 2),
        reference: `4–15 per file (Kaltura's integration)`,
        ratio: `${fmt(perMeeting / 4, 2)}–${fmt(perMeeting / 15, 2)}`,
        target: '≤ 3',
        pass: perMeeting <= 3,
      },
      {
        figure: `3. Zoom downloads per meeting (1 per file)`,
        value: fmt(downloads / meetings, 2),
        reference: `${fmt(files / meetings, 2)} files/meeting`,
        ratio: fmt(downloads / files, 2),
        target: '1 per media file',
        pass: null,
      },
      {
        figure: `3. Kaltura calls per file (${files} files; HTTP requests, multirequest = 1)`,
        value: fmt(requestsPerFile, 2),
        reference: `${fmt(perFile, 2)} API actions per file`,
        ratio: fmt(requestsPerFile / perFile, 2),
        target: '≤ 4',
        pass: requestsPerFile <= 4,
      },
      {
        figure: `3. Kaltura calls per file, through the Zoom delete (${d.files} files, ${purged} purged; delete.enabled, delay 1s)`,
        value: fmt(dRequestsPerFile, 2),
        reference: `${fmt(dPerFile, 2)} API actions per file`,
        ratio: fmt(dRequestsPerFile / dPerFile, 2),
        target: '≤ 4',
        pass: dRequestsPerFile <= 4,
      },
    ],
    details: {
      pollIntervalSeconds: p.apiPollIntervalMs / 1000,
      cycles: p.apiCycles,
      meetingsPerCycle: p.apiMeetingsPerCycle,
      meetings,
      files,
      polls,
      seconds,
      zoomApiCalls: zoomApi,
      zoomApiPerMeeting: perMeeting,
      zoomDownloads: downloads,
      kalturaCalls: kaltura,
      kalturaPerFile: perFile,
      kalturaPerMeeting: kaltura / meetings,
      kalturaHttpRequests: kalturaRequests,
      kalturaHttpPerFile: requestsPerFile,
      kalturaHttpMix: kalturaHttp,
      zoomCallMix: zoomCalls,
      kalturaCallMix: kalturaCalls,
      finalStates: states,
      throughDelete: {
        files: d.files,
        meetings: d.meetings,
        seconds: d.seconds,
        kalturaHttpRequests: dRequests,
        kalturaHttpPerFile: dRequestsPerFile,
        kalturaPerFile: dPerFile,
        kalturaHttpMix: d.kalturaHttp,
        kalturaCallMix: d.kalturaCalls,
        zoomCallMix: d.zoomCalls,
        finalStates: d.states,
      },
    },
  };
}
