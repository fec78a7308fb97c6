/** The RecordingSource contract against the real Zoom adapter, over HTTP, on every Zoom sandbox mode. */
import { contentSha256 } from '../../src/sandbox/content.js';
import { ZOOM_DEMO_ACCOUNT, ZOOM_DEMO_UUIDS } from '../../src/sandbox/seed/zoom-demo.js';
import type { ZoomFailRule } from '../../src/sandbox/zoom/server.js';
import { demoSandbox, demoSource, manualClock } from '../zoom/helpers.js';
import { describeZoomSourceContract, type ZoomFaultTarget, type ZoomSourceFixture } from './zoom-source.contract.js';
import { ZOOM_MODES } from './zoom-modes.js';

const PREFIX: Record<ZoomFaultTarget, { pathPrefix: string; method?: string }> = {
  listing: { pathPrefix: '/v2/accounts/me/recordings' },
  download: { pathPrefix: '/cdn/' },
  users: { pathPrefix: '/v2/users/' },
  token: { pathPrefix: '/oauth/token' },
  delete: { pathPrefix: '/v2/meetings/', method: 'DELETE' },
};
const WINDOW = { from: '2024-11-28', to: '2024-11-30' };
const MAX_RETRIES = 2;

for (const [name, faults, answers] of ZOOM_MODES) {
  describeZoomSourceContract(
    name,
    async (): Promise<ZoomSourceFixture> => {
      // One injected clock for the emulator and the adapter: Retry-After and token expiry agree, waits cost no time.
      const clock = manualClock();
      const sbx = await demoSandbox({ faults }, () => clock.now());
      let armAfterFirstPage: ZoomFailRule | undefined;
      const source = demoSource(sbx, {
        clock,
        pageSize: 3,
        maxRetries: MAX_RETRIES,
        onCall: (info) => {
          if (armAfterFirstPage && info.endpoint.includes('recordings') && info.status === 200) {
            sbx.setFaults({ failNext: [armAfterFirstPage] });
            armAfterFirstPage = undefined;
          }
        },
      });
      const acct = ZOOM_DEMO_ACCOUNT.accountId;
      return {
        source,
        maxRetries: MAX_RETRIES,
        window: WINDOW,
        truth: () =>
          new Map(
            sbx.state
              .snapshot()
              .meetings.filter((m) => m.startTime.slice(0, 10) >= WINDOW.from && m.startTime.slice(0, 10) <= WINDOW.to)
              .map((m) => [m.uuid, m.files.filter((f) => f.state === 'live').map((f) => f.id)] as [string, string[]])
              .filter(([, ids]) => ids.length > 0),
          ),
        sha256: (file) => contentSha256(file.id, file.fileSize),
        fileState: (uuid, fileId) => sbx.state.meeting(uuid)?.files.find((f) => f.id === fileId)?.state,
        failNext: (target, status, count, extra = {}) => sbx.setFaults({ failNext: [{ ...PREFIX[target], status, count, ...extra }] }),
        failListingAfterFirstPage: (status, count) => {
          armAfterFirstPage = { ...PREFIX.listing, status, count };
        },
        withholdScopes: (scopes) => sbx.setFaults({ withheldScopes: { [acct]: scopes } }),
        revokeTokens: () => sbx.state.revokeTokens(),
        known: { meetingUuid: ZOOM_DEMO_UUIDS.labMeeting, videoFileId: 'f-lab-ssv', textFileId: 'f-lab-transcript', userEmail: 'alice@example.edu' },
        close: () => sbx.close(),
      };
    },
    answers,
  );
}

