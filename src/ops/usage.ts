/**
 * Operator input errors. They exit with EXIT.USAGE (2) so scripts can tell
 * "you typed it wrong" from "zk failed"; the message names the value and the fix.
 */
import { EXIT, FatalError } from '../errors.js';

/** `key` is the flag or argument at fault (e.g. "--account"), reported in --json errors. */
export function usageError(message: string, key?: string): FatalError {
  return new FatalError(message, { code: 'USAGE', source: 'cli', exitCode: EXIT.USAGE, key });
}

/** A command ran but refused or failed some items (exit 3). */
export function partialError(message: string, code: string): FatalError {
  return new FatalError(message, { code, source: 'cli', exitCode: EXIT.PARTIAL });
}
