/**
 * Operator input errors. They exit with EXIT.USAGE (2) so scripts can tell
 * "you typed it wrong" from "zk failed"; the message names the value and the fix.
 */
import { EXIT, FatalError } from '../errors.js';

export function usageError(message: string): FatalError {
  return new FatalError(message, { code: 'USAGE', source: 'cli', exitCode: EXIT.USAGE });
}

/** A command ran but refused or failed some items (exit 3). */
export function partialError(message: string, code: string): FatalError {
  return new FatalError(message, { code, source: 'cli', exitCode: EXIT.PARTIAL });
}
