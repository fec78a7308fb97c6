/**
 * First SIGTERM/SIGINT starts a graceful shutdown; a second one forces exit
 * (the same contract as graphile-worker). In-flight work is abandoned safely:
 * every step is recorded in SQLite before and after, so a restart resumes it.
 */
import { EXIT } from '../errors.js';

export interface SignalHooks {
  onGraceful: (signal: string) => void;
  onForced?: (signal: string) => void;
}

export function installSignalHandlers(hooks: SignalHooks, proc: NodeJS.Process = process): () => void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (!stopping) {
      stopping = true;
      hooks.onGraceful(signal);
      return;
    }
    hooks.onForced?.(signal);
    proc.exit(EXIT.FORCED);
  };
  proc.on('SIGTERM', handler);
  proc.on('SIGINT', handler);
  return () => {
    proc.off('SIGTERM', handler);
    proc.off('SIGINT', handler);
  };
}
