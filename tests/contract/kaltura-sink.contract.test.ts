/** The MediaSink contract against the real Kaltura adapter, over HTTP, on every Kaltura sandbox mode. */
import { ENTRY_STATUS } from '../../src/ingest/ports.js';
import type { KalturaSandboxOptions } from '../../src/sandbox/kaltura/server.js';
import { demoSandbox, demoSink } from '../kaltura/helpers.js';
import { describeKalturaSinkContract, type KalturaModeAnswers } from './kaltura-sink.contract.js';
import { KALTURA_MODES } from './kaltura-modes.js';

/** What each mode changes in the answers, read from the mode's options. */
function answersOf(mode: Partial<KalturaSandboxOptions>): KalturaModeAnswers {
  return {
    statusAtAdd: mode.deployment?.readyAtAdd ? ENTRY_STATUS.READY : ENTRY_STATUS.NO_CONTENT,
    indexLag: (mode.faults?.indexLagMs ?? 0) > 0,
    userLookupPath: mode.deployment?.noESearch ? 'user.list' : 'esearch',
    sourceFlavorKept: !mode.deployment?.dropSourceFlavor,
    infectedName: mode.deployment?.virusScan?.infected ? 'EICAR test recording' : undefined,
  };
}

/** Index lag on the emulator's clock, long enough that no loaded machine outruns it; passIndexLag() jumps it. */
const LAG_MS = 600_000;

for (const [name, mode] of KALTURA_MODES) {
  describeKalturaSinkContract(
    name,
    async () => {
      let offset = 0;
      const faults = mode.faults?.indexLagMs ? { ...mode.faults, indexLagMs: LAG_MS } : mode.faults;
      const sbx = await demoSandbox({ ...mode, faults, now: () => Date.now() + offset });
      return {
        sink: demoSink(sbx),
        sinkWithWrongSecret: demoSink(sbx, { adminSecret: 'not-the-secret' }),
        serverErrors: (count) => sbx.setFaults({ serverErrorNext: count }),
        actionBlocked: (serviceAction, count) => sbx.setFaults({ actionBlockedNext: { [serviceAction]: count } }),
        passIndexLag: () => void (offset += faults?.indexLagMs ?? 0),
        storedContent: (entryId) => sbx.state.contentOf(entryId),
        knownUser: { id: 'alice', email: 'alice@example.edu' },
        close: () => sbx.close(),
      };
    },
    answersOf(mode),
  );
}
