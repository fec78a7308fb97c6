/**
 * Every KalturaEntryStatus the official client knows (plugin string values included) maps to an
 * explicit decision, and the evidence rules hold on every deployment.
 */
import { describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { ENTRY_STATUS_TABLE, entryStatusInfo } from '../../src/ingest/entry-status.js';
import { judgeEntry, type ContentRecord } from '../../src/ingest/verify-evidence.js';
import type { FlavorInfo, KalturaEntry } from '../../src/ingest/ports.js';
import { errorFromException } from '../../src/kaltura/classify.js';

const require = createRequire(import.meta.url);
const { EntryStatus } = require('kaltura-client/KalturaTypes.js') as { EntryStatus: Record<string, string> };

describe('entry status table', () => {
  it('has an explicit row for every value of kaltura-client\'s EntryStatus enum, and no other', () => {
    const values = Object.values(EntryStatus).sort();
    expect([...ENTRY_STATUS_TABLE.keys()].sort()).toEqual(values);
    for (const [name, value] of Object.entries(EntryStatus)) {
      const info = entryStatusInfo(/^-?\d+$/.test(value) ? Number(value) : value);
      expect({ value, name: info.name.replace(/^virusScan\./, '').toUpperCase().replace('SCANFAILURE', 'SCAN_FAILURE') }).toEqual({ value, name });
    }
  });

  it('Infected is a permanent failure of its own; ScanFailure, BLOCKED and unknown values go to an operator', () => {
    expect(entryStatusInfo('virusScan.Infected').decision).toBe('infected');
    expect(entryStatusInfo('virusScan.ScanFailure').decision).toBe('review');
    expect(entryStatusInfo(6).decision).toBe('review');
    expect(entryStatusInfo('someplugin.NewStatus')).toEqual({ decision: 'review', name: 'unknown status "someplugin.NewStatus"' });
    expect(entryStatusInfo(99).decision).toBe('review');
  });
});

describe('judgeEntry', () => {
  const ready: KalturaEntry = { id: '0_e', name: 'n', status: 2, msDuration: 60_000 };
  const source = (f: Partial<FlavorInfo>): FlavorInfo => ({ id: 's', isOriginal: true, status: 2, ...f });
  const web: FlavorInfo = { id: 'w', isOriginal: false, status: 2, sizeInBytes: 1, sizeKb: 0 };
  const record = (r: Partial<ContentRecord> = {}): ContentRecord => ({ fileSize: 100_000, uploadComplete: false, ...r });
  const opts = { durationToleranceMs: 2_000 };

  it('uses sizeInBytes exactly where present, and size (KB) within 1 KiB otherwise', () => {
    expect(judgeEntry('0_e', ready, [source({ sizeInBytes: 100_000, sizeKb: 97 })], record(), opts)).toMatchObject({ ok: true, by: 'source-size', size: 100_000 });
    expect(judgeEntry('0_e', ready, [source({ sizeInBytes: 100_001, sizeKb: 97 })], record(), opts)).toMatchObject({ ok: false, kind: 'review', code: 'SIZE_MISMATCH' });
    expect(judgeEntry('0_e', ready, [source({ sizeKb: 97 })], record(), opts)).toMatchObject({ ok: true, by: 'source-size' });
    expect(judgeEntry('0_e', ready, [source({ sizeKb: 99 })], record(), opts)).toMatchObject({ ok: false, code: 'SIZE_MISMATCH' });
  });

  it('without a READY source: the completed upload, else the duration within tolerance, else review', () => {
    const noSource = [web];
    const notReady = [source({ status: 1, sizeInBytes: 100_000 }), web];
    for (const flavors of [noSource, notReady]) {
      expect(judgeEntry('0_e', ready, flavors, record({ uploadComplete: true }), opts)).toMatchObject({ ok: true, by: 'upload-token' });
      expect(judgeEntry('0_e', ready, flavors, record({ zoomDurationMs: 61_500 }), opts)).toMatchObject({ ok: true, by: 'duration' });
      expect(judgeEntry('0_e', ready, flavors, record({ zoomDurationMs: 65_000 }), opts)).toMatchObject({ ok: false, code: 'DURATION_MISMATCH' });
      expect(judgeEntry('0_e', ready, flavors, record(), opts)).toMatchObject({ ok: false, kind: 'review', code: 'NO_EVIDENCE' });
    }
  });

  it('a READY entry without any READY flavor (a draft made READY by media.add) proves nothing', () => {
    expect(judgeEntry('0_e', ready, [], record({ uploadComplete: true }), opts)).toMatchObject({ ok: false, kind: 'no-content' });
  });

  it('carries Kaltura\'s conversion message from the errored flavor', () => {
    const v = judgeEntry('0_e', { ...ready, status: -1 }, [source({ status: -1, description: 'codec not supported' })], record(), opts);
    expect(v).toMatchObject({ ok: false, kind: 'conversion-error', kalturaMessage: 'codec not supported' });
  });
});

describe('kaltura error classification', () => {
  const ex = (code: string) => ({ code, message: code, objectType: 'KalturaAPIException' as const });
  it('UPLOAD_ERROR and UPLOAD_TOKEN_CANNOT_RESUME are retryable; ACTION_BLOCKED waits the configured time', () => {
    expect(errorFromException(ex('UPLOAD_ERROR'), 'x').kind).toBe('retryable');
    expect(errorFromException(ex('UPLOAD_TOKEN_CANNOT_RESUME'), 'x').kind).toBe('retryable');
    const blocked = errorFromException(ex('ACTION_BLOCKED'), 'x', { actionBlockedWaitMs: 1234 });
    expect(blocked).toMatchObject({ kind: 'retryable', retryAfterMs: 1234 });
  });
});
