/**
 * Issue 16: what verification does when Kaltura does not verifiably hold a file, against the
 * emulators over HTTP. A READY entry is never deleted because of a check; the file goes to
 * NEEDS_REVIEW (status, files list, metric), stays in Zoom, and `zk files retry` verifies again.
 * ERROR_CONVERTING is retried once; ACTION_BLOCKED waits the configured time and, past the
 * configured number of consecutive blocks, spends attempts; transient upload errors are retried.
 */
import { afterEach, expect, test } from '@jest/globals';
import { createMetrics } from '../../src/metrics/metrics.js';
import { collectStatus } from '../../src/ops/status.js';
import { retryFile } from '../../src/ops/files-actions.js';
import { openDatabase } from '../../src/store/db.js';
import { assertExactlyOnce, fileRows, settle, statesOf, world, type World } from './harness.js';

const DAY = 86_400_000;
let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const media = (w: World) => fileRows(w).filter((f) => f.role === 'parent' || f.role === 'child');

function events(w: World, fileId: number): Array<{ to_state: string; reason: string }> {
  const db = w.db();
  try {
    return db.prepare('SELECT to_state, reason FROM events WHERE file_id = ? ORDER BY id').all(fileId) as Array<{ to_state: string; reason: string }>;
  } finally {
    db.close();
  }
}

test('a size mismatch on a READY entry: NEEDS_REVIEW, the entry kept, nothing trashed; status, metric, and files retry', async () => {
  w = await world({ deleteEnabled: true, deleteDelay: '1d' });
  w.sandbox.kaltura.setFaults({ flavorSizeSkewBytes: 5000 });
  w.sandbox.zoom.state.completeProcessing();
  await settle(w);
  const review = media(w).filter((f) => f.state === 'NEEDS_REVIEW');
  expect(review.length).toBeGreaterThanOrEqual(8);
  expect(media(w).filter((f) => f.state !== 'NEEDS_REVIEW' && f.state !== 'IGNORED')).toEqual([]);
  for (const f of review) {
    expect(f.last_error_code).toBe('SIZE_MISMATCH');
    // The READY entry is still there, with its content: never deleted because of a check.
    expect(w.sandbox.kaltura.state.entry(f.kaltura_entry_id!)?.status).toBe(2);
  }
  expect(w.sandbox.kaltura.state.entries().filter((e) => e.status === 3)).toEqual([]);
  expect(w.sandbox.kaltura.state.callCounts()['media.delete'] ?? 0).toBe(0);

  // Nothing leaves Zoom, however long we wait.
  w.clock.advance(2 * DAY);
  await w.runDaemon();
  expect(w.sandbox.zoom.state.snapshot().meetings.flatMap((m) => m.files).filter((f) => f.state !== 'live')).toEqual([]);

  // Shown by zk status (per-state counts) and by the metric.
  const db = openDatabase(w.database);
  try {
    expect(collectStatus(db, w.config(), w.clock.now()).accounts[0].files.NEEDS_REVIEW).toBe(review.length);
    const text = await createMetrics(db, { defaultMetrics: false }).registry.metrics();
    expect(text).toContain(`zk_files{account="demo",state="NEEDS_REVIEW"} ${review.length}`);
    // The operator fixes the partner, then retries one file: it is verified and handled.
    w.sandbox.kaltura.setFaults({ flavorSizeSkewBytes: 0 });
    expect(retryFile(db, review[0].id, w.clock.now())).toMatchObject({ from: 'NEEDS_REVIEW', to: 'PENDING' });
  } finally {
    db.close();
  }
  await settle(w);
  expect(fileRows(w).find((f) => f.id === review[0].id)?.state).toMatch(/HANDLED|PURGE_PENDING|PURGED/);
  expect(events(w, review[0].id).some((e) => e.to_state === 'NEEDS_REVIEW' && /source flavor holds .* Zoom reported/.test(e.reason))).toBe(true);
  await assertExactlyOnce(w, expect);
});

test('ERROR_CONVERTING is retried once, then FAILED with Kaltura\'s conversion message', async () => {
  w = await world({});
  w.sandbox.kaltura.setFaults({ conversionFailureRate: 1 });
  await settle(w);
  const files = media(w).filter((f) => f.state !== 'IGNORED' && f.state !== 'DETECTED');
  expect(files.length).toBeGreaterThanOrEqual(4);
  for (const f of files) {
    expect({ id: f.id, state: f.state, code: f.last_error_code }).toEqual({ id: f.id, state: 'FAILED', code: 'ERROR_CONVERTING' });
    const failed = events(w, f.id).filter((e) => e.to_state === 'FAILED');
    expect(failed.at(-1)?.reason).toMatch(/conversion failed 2 times: .*sandbox transcoder: conversion failed/);
  }
  // Two uploads per file: the first, and one retry; never maxAttempts (8).
  const calls = w.sandbox.kaltura.state.callCounts();
  expect(calls['uploadtoken.add']).toBe(2 * files.length);
});

test('ACTION_BLOCKED waits kaltura.actionBlockedWait; past actionBlockedFreeRetries consecutive blocks, attempts run out', async () => {
  w = await world({
    mutate: (raw) => {
      raw.kaltura.actionBlockedWait = '1h';
      raw.kaltura.actionBlockedFreeRetries = 2;
      raw.kaltura.callRetryDelay = '1ms';
      raw.global.retry.maxAttempts = 3;
    },
  });
  w.sandbox.kaltura.setFaults({ actionBlockedNext: { 'media.list': 1_000 } });
  await w.runDaemon();
  const waiting = fileRows(w).filter((f) => f.role === 'parent' && f.state === 'RETRY_WAIT');
  expect(waiting.length).toBeGreaterThanOrEqual(3);
  // The wait is the configured one (1h), not a hard-coded minute, and no attempt was spent.
  for (const f of waiting) {
    expect(f.attempts).toBe(0);
    expect(f.next_attempt_at! - w.clock.now()).toBeGreaterThan(50 * 60_000);
  }
  // While blocked: zk status and the metric say so.
  const db = openDatabase(w.database);
  try {
    const blocked = collectStatus(db, w.config(), w.clock.now()).accounts[0].actionBlocked;
    expect(blocked).toEqual({ files: waiting.length, longestStreak: 1 });
    const text = await createMetrics(db, { defaultMetrics: false }).registry.metrics();
    expect(text).toContain(`zk_kaltura_action_blocked_files{account="demo"} ${waiting.length}`);
  } finally {
    db.close();
  }
  for (let i = 0; i < 8 && fileRows(w).some((f) => f.role === 'parent' && f.state === 'RETRY_WAIT'); i++) {
    w.clock.advance(2 * 3600_000);
    await w.runDaemon();
  }
  for (const f of fileRows(w).filter((r) => waiting.some((x) => x.id === r.id))) {
    expect({ id: f.id, state: f.state, code: f.last_error_code, attempts: f.attempts }).toEqual({ id: f.id, state: 'FAILED', code: 'ACTION_BLOCKED', attempts: 3 });
    expect(events(w, f.id).filter((e) => /throttled, waiting/.test(e.reason))).toHaveLength(2);
    expect(events(w, f.id).some((e) => /consecutive ACTION_BLOCKED answers/.test(e.reason))).toBe(true);
  }
});

test('UPLOAD_ERROR is retried; UPLOAD_TOKEN_CANNOT_RESUME gets a new token and restarts the transfer', async () => {
  w = await world({});
  w.sandbox.kaltura.setFaults({
    apiErrorNext: { 'uploadtoken.upload': { code: 'UPLOAD_ERROR', count: 1 } },
  });
  await w.runDaemon();
  // A chunk after the first (resume) answers CANNOT_RESUME: the next file restarts with a new token.
  w.sandbox.kaltura.setFaults({ apiErrorNext: { 'uploadtoken.upload': { code: 'UPLOAD_TOKEN_CANNOT_RESUME', count: 1 } } });
  w.sandbox.zoom.state.completeProcessing();
  await settle(w);
  expect(statesOf(w).FAILED ?? 0).toBe(0);
  // One token per uploaded file, plus the one that replaced the token that could not resume.
  const uploaded = media(w).filter((f) => f.state === 'HANDLED').length;
  expect(w.sandbox.kaltura.state.callCounts()['uploadtoken.add']).toBe(uploaded + 1);
  await assertExactlyOnce(w, expect);
});
