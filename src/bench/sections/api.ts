/**
 * 3. API economy: the daemon runs continuously with default settings (deletion
 * off, as by default) except a short poll interval, so the cycles fit in the
 * run. Each cycle K new meetings (generated: 20 hosts, mostly MP4 +
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

export async function benchApi(p: Presets): Promise<SectionResult> {
  const world = await startWorld([]);
  const pollSeconds = p.apiPollIntervalMs / 1000;
  const config = world.writeConfig('api', (raw) => {
    raw.global.pollInterval = `${pollSeconds}s`;
    delete raw.global.retry;
    const acct = raw.accounts[0];
    // Schema defaults for everything the demo config sets beyond them.
    delete acct.permissions;
    delete acct.transcripts;
    delete acct.chat;
    delete acct.delete;
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
    await waitFor(
      'every file verified',
      () => {
        const s = world.states();
        const total = Object.values(s).reduce((a, b) => a + b, 0);
        return total === files && Object.entries(s).every(([k, v]) => v === 0 || !ACTIVE.has(k));
      },
      120_000,
      200,
    );
    const seconds = (Date.now() - t0) / 1000;
    const zoomCalls = world.zoom.state.callCounts();
    const kalturaCalls = world.kaltura.state.callCounts();
    const kalturaHttp = world.kaltura.state.httpRequestCounts();
    // Kaltura HTTP requests: a multirequest is one; upload chunks after a file's first are not counted.
    const kalturaRequests = sum(kalturaHttp, (k) => k !== 'uploadtoken.upload (resumed)');
    const requestsPerFile = kalturaRequests / files;
    const states = world.states();
    const isDownload = (k: string) => k.includes('/rec/download');
    const zoomApi = sum(zoomCalls, (k) => !isCdn(k) && !isDownload(k));
    const downloads = sum(zoomCalls, isDownload);
    const kaltura = sum(kalturaCalls);
    const polls = zoomCalls['GET /v2/accounts/me/recordings'] ?? 0;
    const perMeeting = zoomApi / meetings;
    const perFile = kaltura / files;
    const mix = (c: Record<string, number>, per: number) =>
      Object.entries(c)
        .filter(([k]) => !isCdn(k))
        .map(([k, v]) => `${k.replace(/^GET \/v2|^GET /, '').replace(/\{[a-zA-Z]+\}/g, '…')} ${fmt(v / per, 2)}`)
        .join(', ');
    process.stderr.write(`bench: zoom per meeting: ${mix(zoomCalls, meetings)}\nbench: kaltura per file: ${mix(kalturaCalls, files)}\nbench: kaltura HTTP requests per file: ${mix(kalturaHttp, files)}\n`);
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
      ],
      details: {
        pollIntervalSeconds: pollSeconds,
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
      },
    };
  } finally {
    daemon.child.kill('SIGTERM');
    await Promise.race([daemon.done, sleep(15_000).then(() => daemon.child.kill('SIGKILL'))]);
    await world.close();
  }
}
