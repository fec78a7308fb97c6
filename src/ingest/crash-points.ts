/**
 * Named points where a crash is most dangerous. The engine calls
 * `deps.crashPoint(name, info)` at each; the daemon wires `crashPointFromEnv`
 * (ZK_CRASH_AT=<point>[:<nth>]) to SIGKILL itself there, so restart tests can
 * prove exactly-once at every point. Tests throw SimulatedCrash instead.
 */
export const CRASH_POINTS = [
  'after-window-listed',
  'after-policy-resolved',
  'after-entry-create',
  'after-entry-save',
  'after-category-add',
  'after-token-create',
  'after-token-save',
  'mid-upload',
  'after-upload-complete',
  'before-add-content',
  'after-add-content',
  'before-importing-write',
  'before-handled-write',
  'after-caption-add',
  'after-attachment-add',
  'before-delete',
  'after-delete-before-write',
  'after-errored-entry-delete',
  'after-asset-delete',
  'before-segment-adoption-write',
  'before-adoption-write',
] as const;

export type CrashPointName = (typeof CRASH_POINTS)[number];

export type CrashPoint = (name: CrashPointName, info?: { fileId?: number; chunk?: number }) => void;

/**
 * Thrown (by tests) from a crash point to simulate process death: the engine
 * records nothing for it and keeps its leases, exactly like a killed process.
 */
export class SimulatedCrash extends Error {
  constructor(readonly point: CrashPointName) {
    super(`simulated crash at ${point}`);
    this.name = 'SimulatedCrash';
  }
}

/**
 * ZK_CRASH_AT=mid-upload:3 kills the process the 3rd time that point is reached
 * (default the 1st). `kill` is injected so this stays testable.
 */
export function crashPointFromEnv(value: string | undefined, kill: () => void): CrashPoint | undefined {
  if (!value) return undefined;
  const [point, nth] = value.split(':');
  if (!(CRASH_POINTS as readonly string[]).includes(point)) {
    throw new TypeError(`ZK_CRASH_AT: expected one of ${CRASH_POINTS.join(', ')}, received ${JSON.stringify(point)}`);
  }
  const target = nth ? Number(nth) : 1;
  let seen = 0;
  return (name) => {
    if (name === point && ++seen === target) kill();
  };
}
