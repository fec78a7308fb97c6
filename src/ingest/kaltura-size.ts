/**
 * Kaltura reports asset sizes two ways: `sizeInBytes` (exact) where the server has it, and
 * `size` in KB everywhere. One rule for both verifications (entries' flavors and caption or
 * chat assets): exact bytes must be equal; KB are trusted to within 1 KiB.
 */
export const KB_TOLERANCE_BYTES = 1024;

export function kalturaSizeAgrees(reportedBytes: number, exact: boolean, expectedBytes: number): boolean {
  return Math.abs(reportedBytes - expectedBytes) <= (exact ? 0 : KB_TOLERANCE_BYTES);
}
