/**
 * Captions and chats whose segment (recording_start) has no video or audio file
 * wait in PENDING for a parent entry. If none has appeared after the lookback,
 * none will: polls stop listing that day. Kaltura's integration leaves such a
 * transcript waiting forever; zk ends the wait as IGNORED with the reason, so
 * `zk status` does not report it as pending for ever (IGNORED is never deleted
 * from Zoom).
 */
import type { EngineContext } from './context.js';

export function ignoreStrandedAssets(ctx: EngineContext, account: string): number {
  const before = ctx.clock.now() - ctx.settings.lookbackMs;
  let n = 0;
  for (const f of ctx.repos.files.listStrandedAssets(account, before)) {
    const what = f.role === 'caption' ? 'caption' : 'chat';
    const reason = `no video or audio file in this segment (recording_start ${ctx.repos.recordings.get(f.recordingId)?.recordingStart ?? '?'}) to attach the ${what} to, after waiting the lookback`;
    if (ctx.repos.files.transition(f.id, 'PENDING', 'IGNORED', reason, { leaseOwner: null, leaseUntil: null, nextAttemptAt: null }, { actor: ctx.actor })) n++;
  }
  return n;
}
