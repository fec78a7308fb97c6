import { describe, expect, test } from '@jest/globals';
import { groupSegments, isComplete, planSegment, type PlanInputFile, type PlanOptions } from '../../src/ingest/plan-segment.js';

const opts: PlanOptions = { meetingType: 2, meetingsUpload: true, webinarsUpload: true, transcriptsEnabled: true, chatEnabled: true, hasParentEntry: false };
const f = (zoomFileId: string, fileType: string, recordingType: string, extra: Partial<PlanInputFile> = {}): PlanInputFile => ({ zoomFileId, fileType, recordingType, ...extra });

function summary(files: PlanInputFile[], o: Partial<PlanOptions> = {}) {
  const plans = planSegment(files, { ...opts, ...o });
  return Object.fromEntries([...plans].map(([id, p]) => [id, `${p.action}:${p.role}`]));
}

describe('planSegment', () => {
  test.each([
    [['speaker_view', 'shared_screen_with_speaker_view', 'gallery_view'], 'b'],
    [['gallery_view', 'active_speaker'], 'b'],
    [['shared_screen', 'shared_screen_with_gallery_view'], 'b'],
    [['shared_screen_with_speaker_view', 'shared_screen_with_speaker_view(CC)'], 'b'],
    [['some_new_view', 'gallery_view'], 'b'],
  ])('parent by layout priority among %j is %s', (types, parent) => {
    const files = types.map((t, i) => f(String.fromCharCode(97 + i), 'MP4', t));
    const s = summary(files);
    expect(s[parent]).toBe('ingest:parent');
    for (const [id, v] of Object.entries(s)) if (id !== parent) expect(v).toBe('ingest:child');
  });

  test('only audio_only is covered by the video: interpretation tracks are child audio, unknown audio stays in Zoom', () => {
    const s = summary([
      f('v', 'MP4', 'speaker_view'),
      f('a', 'M4A', 'audio_only'),
      f('i1', 'M4A', 'audio_interpretation'),
      f('i2', 'M4A', 'AUDIO_INTERPRETATION'),
      f('x', 'M4A', 'some_future_audio'),
      f('blank', 'M4A', ''),
    ]);
    expect(s).toEqual({ v: 'ingest:parent', a: 'cover:covered', i1: 'ingest:child', i2: 'ingest:child', x: 'ignore:none', blank: 'ignore:none' });
    const plans = planSegment([f('v', 'MP4', 'speaker_view'), f('x', 'M4A', 'some_future_audio')], opts);
    expect(plans.get('x')!.reason).toContain('left in Zoom');
  });

  test('M4A is covered beside MP4, and is the parent (audio) without MP4', () => {
    expect(summary([f('v', 'MP4', 'speaker_view'), f('a', 'M4A', 'audio_only')])).toEqual({ v: 'ingest:parent', a: 'cover:covered' });
    expect(summary([f('a', 'M4A', 'audio_only')])).toEqual({ a: 'ingest:parent' });
  });

  test('captions, chat and other types', () => {
    const files = [f('v', 'MP4', 'speaker_view'), f('t', 'TRANSCRIPT', 'audio_transcript'), f('c', 'CC', 'closed_caption'), f('ch', 'CHAT', 'chat_file'), f('tl', 'TIMELINE', 'timeline'), f('s', 'SUMMARY', 'summary'), f('x', 'CSV', 'poll')];
    expect(summary(files)).toEqual({ v: 'ingest:parent', t: 'ingest:caption', c: 'ingest:caption', ch: 'ingest:attachment', tl: 'ignore:none', s: 'ignore:none', x: 'ignore:none' });
    const plans = planSegment(files, opts);
    expect(plans.get('tl')!.reason).toBe('type TIMELINE is not ingested');
    const off = summary(files, { transcriptsEnabled: false, chatEnabled: false });
    expect(off).toMatchObject({ t: 'ignore:none', c: 'ignore:none', ch: 'ignore:none', v: 'ingest:parent' });
    expect(planSegment(files, { ...opts, transcriptsEnabled: false }).get('t')!.reason).toMatch(/transcripts are disabled/);
  });

  test.each([5, 6, 9])('webinar type %i is ignored when webinar uploads are off, meetings unaffected', (type) => {
    const files = [f('v', 'MP4', 'speaker_view'), f('t', 'TRANSCRIPT', 'audio_transcript')];
    const plans = planSegment(files, { ...opts, meetingType: type, webinarsUpload: false });
    expect([...plans.values()].every((p) => p.action === 'ignore' && /webinar uploads are disabled/.test(p.reason))).toBe(true);
    expect(summary(files, { meetingType: 2, webinarsUpload: false }).v).toBe('ingest:parent');
    expect(summary(files, { meetingType: 2, meetingsUpload: false }).v).toBe('ignore:none');
  });

  test('a higher-priority view listed later does not take over a started parent', () => {
    const started = [f('sv', 'MP4', 'speaker_view', { state: 'IMPORTING', role: 'parent' }), f('ss', 'MP4', 'shared_screen_with_speaker_view', { state: 'DETECTED' })];
    expect(summary(started)).toEqual({ sv: 'ingest:parent', ss: 'ingest:child' });
    // Not started yet: the better view takes over.
    const pending = [f('sv', 'MP4', 'speaker_view', { state: 'PENDING', role: 'parent' }), f('ss', 'MP4', 'shared_screen_with_speaker_view', { state: 'DETECTED' })];
    expect(summary(pending)).toEqual({ sv: 'ingest:child', ss: 'ingest:parent' });
    // A started audio parent stays the parent even when video appears.
    expect(summary([f('a', 'M4A', 'audio_only', { state: 'HANDLED', role: 'parent' }), f('v', 'MP4', 'speaker_view')])).toEqual({ a: 'ingest:parent', v: 'ingest:child' });
  });

  test('unknown file type waits', () => {
    expect(summary([f('p', '', '')])).toEqual({ p: 'wait:none' });
  });
});

describe('groupSegments / isComplete', () => {
  test('groups by raw recording_start, oldest first', () => {
    const base = { meetingUuid: 'u', recordingEnd: '', fileType: 'MP4', fileExtension: 'MP4', fileSize: 1, recordingType: 'speaker_view', status: 'completed', downloadUrl: '' };
    const segs = groupSegments([
      { ...base, id: '2', recordingStart: '2025-01-01T10:30:00Z' },
      { ...base, id: '1', recordingStart: '2025-01-01T10:00:00Z' },
      { ...base, id: '3', recordingStart: '2025-01-01T10:30:00Z' },
    ]);
    expect(segs.map((s) => [s.recordingStart, s.files.map((x) => x.id)])).toEqual([
      ['2025-01-01T10:00:00Z', ['1']],
      ['2025-01-01T10:30:00Z', ['2', '3']],
    ]);
  });
  test('complete means completed with a size', () => {
    expect(isComplete({ zoomStatus: 'completed', fileSize: 10 })).toBe(true);
    expect(isComplete({ zoomStatus: 'processing', fileSize: 10 })).toBe(false);
    expect(isComplete({ zoomStatus: 'completed', fileSize: 0 })).toBe(false);
  });
});

describe('planSegment: the parent does not depend on completion order', () => {
  const FILES = [
    { id: 'gv', type: 'MP4', rec: 'gallery_view' },
    { id: 'ssv', type: 'MP4', rec: 'shared_screen_with_speaker_view' },
    { id: 'sv', type: 'MP4', rec: 'speaker_view' },
    { id: 'tr', type: 'TRANSCRIPT', rec: 'audio_transcript' },
    { id: 'ch', type: 'CHAT', rec: 'chat_file' },
  ];

  function permutations<T>(xs: T[]): T[][] {
    if (xs.length <= 1) return [xs];
    return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
  }

  /**
   * Replays one completion order the way the poller and the engine would: after
   * each completion the segment is re-planned, a complete file planned for
   * ingest leaves DETECTED, and a PENDING parent starts at once (it is locked).
   */
  function replay(order: string[], blankWhileProcessing: boolean, expiredAfter = Infinity): { parent?: string; roles: Record<string, string>; expiredOver?: string[] } {
    const rows = new Map<string, PlanInputFile & { complete: boolean }>(
      FILES.map((x) => [x.id, { zoomFileId: x.id, fileType: blankWhileProcessing ? '' : x.type, recordingType: x.rec, state: 'DETECTED', role: null, processing: true, complete: false }]),
    );
    let expiredOver: string[] | undefined;
    const plan = (step: number) => {
      const plans = planSegment([...rows.values()], { ...opts, viewWaitExpired: step >= expiredAfter });
      for (const row of rows.values()) {
        const p = plans.get(row.zoomFileId)!;
        if (p.waitExpired) expiredOver = p.waitExpired.over;
        const notStarted = row.state === 'DETECTED' || row.state === 'PENDING';
        if (!notStarted || p.action !== 'ingest') continue;
        row.role = p.role;
        if (row.state === 'DETECTED' && row.complete) row.state = 'PENDING';
        if (row.state === 'PENDING' && row.role === 'parent') row.state = 'TRANSFERRING';
      }
    };
    order.forEach((id, step) => {
      const row = rows.get(id)!;
      row.complete = true;
      row.processing = false;
      row.fileType = FILES.find((x) => x.id === id)!.type;
      plan(step);
    });
    plan(order.length);
    const roles = Object.fromEntries([...rows.values()].map((r) => [r.zoomFileId, `${r.state}:${r.role}`]));
    return { parent: [...rows.values()].find((r) => r.role === 'parent')?.zoomFileId, roles, expiredOver };
  }

  const orders = permutations(FILES.map((x) => x.id));
  test('there are 120 completion orders', () => expect(orders).toHaveLength(120));

  test.each([true, false])('every completion order ends with the best view as the parent (processing files listed with a blank type: %s)', (blank) => {
    for (const order of orders) {
      const r = replay(order, blank);
      expect({ order, parent: r.parent }).toEqual({ order, parent: 'ssv' });
      expect({ order, roles: r.roles }).toEqual({
        order,
        roles: { ssv: 'TRANSFERRING:parent', gv: 'PENDING:child', sv: 'PENDING:child', tr: 'PENDING:caption', ch: 'PENDING:attachment' },
      });
    }
  });

  test('without the rule the order mattered: gallery first made gallery the parent', () => {
    // The same replay with the best view listed with a blank type and the wait already over: the old behaviour.
    const r = replay(['gv', 'tr', 'ch', 'sv', 'ssv'], true, 0);
    expect(r.parent).toBe('gv');
    expect(r.expiredOver).toEqual(['shared_screen_with_speaker_view', 'speaker_view']);
  });

  test('after the bounded wait the best complete view wins and the decision names what was still processing', () => {
    // ssv never completes; the wait expires after the third completion.
    const r = replay(['gv', 'tr', 'sv', 'ch'], true, 2);
    expect(r.parent).toBe('sv');
    expect(r.roles.gv).toBe('PENDING:child');
    expect(r.expiredOver).toEqual(['shared_screen_with_speaker_view']);
    // Later completion of the better view does not take over the started parent.
    const plans = planSegment(
      [
        f('sv', 'MP4', 'speaker_view', { state: 'TRANSFERRING', role: 'parent' }),
        f('gv', 'MP4', 'gallery_view', { state: 'PENDING', role: 'child' }),
        f('ssv', 'MP4', 'shared_screen_with_speaker_view', { state: 'DETECTED' }),
      ],
      opts,
    );
    expect(plans.get('ssv')!.role).toBe('child');
  });

  test('while a better view may still come, complete views wait as children and nothing is the parent', () => {
    const plans = planSegment([f('gv', 'MP4', 'gallery_view'), f('x', '', '', { processing: true }), f('tr', 'TRANSCRIPT', 'audio_transcript')], opts);
    expect([...plans.values()].some((p) => p.role === 'parent')).toBe(false);
    expect(plans.get('gv')).toMatchObject({ role: 'child', action: 'ingest' });
    // A processing view ranked below the best complete one does not hold anything up.
    const lower = planSegment([f('sv', 'MP4', 'speaker_view'), f('gv', 'MP4', 'gallery_view', { processing: true })], opts);
    expect(lower.get('sv')!.role).toBe('parent');
  });
});
