/**
 * What each Zoom file becomes: multi-stream parent by Kaltura's layout
 * priority, children with parentEntryId, audio only when a segment has no
 * video, other types IGNORED with the reason, segments completing at different
 * times; transcripts (on/off, label, WebVTT, full language name, late arrival,
 * never duplicated), chat, conversion profile, and entry metadata.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { LAYOUT_PRIORITY } from '../../src/ingest/plan-segment.js';
import { ZOOM_DEMO_USERS as Z } from '../../src/sandbox/seed/zoom-demo.js';
import { KALTURA_DEMO_CATEGORIES as KC } from '../../src/sandbox/seed/kaltura-demo.js';
import { BASE, DEFAULT_OWNER, mtg, rf, startLab, type Lab, type Scenario } from './harness.js';

const DEF = { onNoMatch: 'defaultUser', defaultUserId: DEFAULT_OWNER };
const MEDIA_AUDIO = 5;
const MEDIA_VIDEO = 1;
const FAMILY = '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}'; // 7 code points, one grapheme
const LONG_TOPIC = 'A' + FAMILY.repeat(37); // 260 code points; 256 falls inside the 37th family

let lab: Lab;
const sc: Record<string, Scenario> = {};
const LATER = Date.now() + 3_600_000;

beforeAll(async () => {
  lab = await startLab();

  // ---- multi-stream ----
  const ms = (sc.multi = lab.scenario('multi-stream'));
  // Each pair: the lower-priority view listed first; the higher one must be the parent.
  for (let i = 0; i < LAYOUT_PRIORITY.length - 1; i++) {
    const hi = LAYOUT_PRIORITY[i];
    const lo = LAYOUT_PRIORITY[i + 1];
    const loFile = lo === 'audio_only' ? rf(`lay-${i}-lo`, 'M4A') : rf(`lay-${i}-lo`, 'MP4', { recordingType: lo });
    ms.addMeeting(mtg(`lay-${i}`, Z.bob, [loFile, rf(`lay-${i}-hi`, 'MP4', { recordingType: hi === 'shared_screen_with_speaker_view(cc)' ? 'shared_screen_with_speaker_view(CC)' : hi })]));
  }
  // Three views, audio, and types zk does not ingest.
  ms.addMeeting(
    mtg('full', Z.bob, [
      rf('full-gv', 'MP4', { recordingType: 'gallery_view' }),
      rf('full-as', 'MP4', { recordingType: 'active_speaker' }),
      rf('full-ss', 'MP4', { recordingType: 'shared_screen' }),
      rf('full-audio', 'M4A'),
      rf('full-timeline', 'TIMELINE'),
      rf('full-summary', 'SUMMARY'),
    ]),
  );
  // Audio only: an audio entry. Second segment (recording restarted) audio only: its own audio parent.
  ms.addMeeting(mtg('audio', Z.bob, [rf('audio-only', 'M4A')]));
  ms.addMeeting(
    mtg('segs', Z.bob, [
      rf('segs-1-sv', 'MP4'),
      rf('segs-1-audio', 'M4A'),
      rf('segs-2-audio', 'M4A', { startOffsetMin: 30 }),
      rf('segs-2-chat', 'CHAT', { startOffsetMin: 30 }),
    ]),
  );
  ms.configure({ owner: DEF, meetings: { categories: [KC.zoom] } });

  // ---- completeness: files of one segment complete at different times ----
  const late = (sc.late = lab.scenario('late files'));
  late.addMeeting(
    mtg('late', Z.bob, [
      rf('late-ss', 'MP4', { recordingType: 'shared_screen', completesAt: LATER }),
      rf('late-sv', 'MP4', { recordingType: 'speaker_view' }),
      rf('late-gv', 'MP4', { recordingType: 'gallery_view', completesAt: LATER }),
    ]),
  );
  late.addMeeting(
    mtg('late-tr', Z.bob, [rf('late-tr-v', 'MP4'), rf('late-tr-vtt', 'TRANSCRIPT', { completesAt: LATER, blankTypeWhileProcessing: true })]),
  );
  late.configure({ owner: DEF });

  // ---- transcripts and chat ----
  const tr = (name: string, transcripts: Record<string, unknown> | undefined, chat: boolean) => {
    const s = (sc[name] = lab.scenario(name));
    const m = mtg(`${name}-m`, Z.bob, [rf(`${name}-v`, 'MP4'), rf(`${name}-tr`, 'TRANSCRIPT'), rf(`${name}-cc`, 'CC'), rf(`${name}-chat`, 'CHAT')]);
    s.addMeeting(m);
    s.configure({ owner: DEF, ...(transcripts ? { transcripts } : {}), chat: { enabled: chat } });
    return m.id;
  };
  const ids = {
    default: tr('tr-default', undefined, true),
    french: tr('tr-french', { enabled: true, language: 'French' }, false),
    code: tr('tr-code', { enabled: true, language: 'de' }, true),
    off: tr('tr-off', { enabled: false }, false),
  };
  meetingIds = ids;

  // ---- conversion profile, tags, metadata ----
  const cp = (name: string, account?: number, global?: number, extra: Record<string, unknown> = {}) => {
    const s = (sc[name] = lab.scenario(name));
    s.addMeeting(mtg(`${name}-m`, Z.bob, [rf(`${name}-ss`, 'MP4', { recordingType: 'shared_screen' }), rf(`${name}-sv`, 'MP4')], { topic: LONG_TOPIC, ...extra }));
    s.configure({ owner: DEF, ...(account ? { conversionProfileId: account } : {}), tags: ['zoom', 'lecture'] }, global ? { conversionProfileId: global } : {});
  };
  cp('cp-account', 11, 22);
  cp('cp-global', undefined, 22);
  // 258 code points: a cut at 256 would keep the 'e' and drop its two accents.
  cp('cp-none', undefined, undefined, { topic: 'Cafe\u0301 ' + 'x'.repeat(249) + 'e\u0301\u0301' });

  await Promise.all(Object.values(sc).map((s) => s.settle()));
}, 80_000);

let meetingIds: Record<string, number> = {};

afterAll(async () => lab?.close());

describe('multi-stream', () => {
  test.each(LAYOUT_PRIORITY.slice(0, -1).map((hi, i) => [hi, LAYOUT_PRIORITY[i + 1], i] as const))('%s is the parent over %s', (_hi, lo, i) => {
    const s = sc.multi;
    const parent = s.entryOf(`lay-${i}-hi`);
    expect(s.file(`lay-${i}-hi`).role).toBe('parent');
    expect(parent.parentEntryId ?? '').toBe('');
    expect(parent.categories).toEqual([KC.zoom]);
    if (lo === 'audio_only') {
      // Audio is not ingested when the segment has video.
      expect(s.file(`lay-${i}-lo`).state).toBe('COVERED');
      expect(s.entriesOf(`lay-${i}`)).toHaveLength(1);
    } else {
      const child = s.entryOf(`lay-${i}-lo`);
      expect(child.parentEntryId).toBe(parent.id);
      expect(child.categories).toEqual([]);
      expect(child.mediaType).toBe(MEDIA_VIDEO);
    }
  });

  test('three views: one parent, two children; audio covered; other types IGNORED with the reason', () => {
    const s = sc.multi;
    const parent = s.entryOf('full-ss');
    expect(s.entryOf('full-as').parentEntryId).toBe(parent.id);
    expect(s.entryOf('full-gv').parentEntryId).toBe(parent.id);
    expect(s.entriesOf('full')).toHaveLength(3);
    expect(s.file('full-audio').state).toBe('COVERED');
    for (const [id, type] of [['full-timeline', 'TIMELINE'], ['full-summary', 'SUMMARY']]) {
      const f = s.file(id);
      expect(f.state).toBe('IGNORED');
      expect(f.reasons.join('|')).toContain(`type ${type} is not ingested`);
    }
  });

  test('a segment with only audio becomes an audio entry', () => {
    const e = sc.multi.entryOf('audio-only');
    expect(e.mediaType).toBe(MEDIA_AUDIO);
    expect(e.parentEntryId ?? '').toBe('');
    expect(e.categories).toEqual([KC.zoom]);
  });

  test('each segment has its own parent; an audio-only segment beside a video segment', () => {
    const s = sc.multi;
    const first = s.entryOf('segs-1-sv');
    const second = s.entryOf('segs-2-audio');
    expect(s.file('segs-1-audio').state).toBe('COVERED');
    expect(first.mediaType).toBe(MEDIA_VIDEO);
    expect(second.mediaType).toBe(MEDIA_AUDIO);
    expect(second.parentEntryId ?? '').toBe('');
    expect(second.id).not.toBe(first.id);
    expect(first.categories).toEqual([KC.zoom]);
    expect(second.categories).toEqual([KC.zoom]);
    expect(second.attachments.map((a) => a.filename)).toHaveLength(1);
    expect(first.attachments).toEqual([]);
  });
});

describe('completeness when files finish at different times', () => {
  test('the segment waits for its best view, then every view links to it; a late transcript attaches to the existing entry', async () => {
    const s = sc.late;
    // Before Zoom finishes: nothing of the waiting views, and no entry for the transcript yet.
    expect(s.file('late-ss').state).toBe('DETECTED');
    expect(s.file('late-gv').state).toBe('DETECTED');
    const video = s.entryOf('late-tr-v');
    expect(video.captions).toEqual([]);
    const before = s.entries().length;

    expect(lab.zoom.state.completeProcessing({ accountId: s.accountId })).toBe(3);
    await s.settle();

    const parent = s.entryOf('late-ss');
    expect(s.file('late-ss').role).toBe('parent');
    expect(s.entryOf('late-sv').parentEntryId).toBe(parent.id);
    expect(s.entryOf('late-gv').parentEntryId).toBe(parent.id);
    expect(s.entriesOf('late')).toHaveLength(3);
    expect(s.entriesOf('late').filter((e) => !e.parentEntryId)).toHaveLength(1);

    // The late transcript: on the same entry, once.
    const after = s.entryOf('late-tr-v');
    expect(after.id).toBe(video.id);
    expect(after.captions.map((c) => c.label)).toEqual(['Zoom_TRANSCRIPT']);
    expect(s.entries().length).toBe(before + 3); // the three views; none for the transcript

    // Never duplicated: a second zk with an empty database over the same Zoom account.
    const again = lab.scenario('late files, fresh database', { sameZoomAccountAs: s });
    again.configure({ owner: DEF });
    await again.settle();
    const entries = s.entries();
    expect(entries.length).toBe(before + 3);
    expect(s.entryOf('late-tr-v').captions).toHaveLength(1);
    expect(new Set(entries.map((e) => e.referenceId)).size).toBe(entries.length);
  }, 30_000);
});

describe('transcripts and chat', () => {
  const rows = [
    // [scenario, transcripts on, language, chat on]
    ['tr-default', true, 'English', true],
    ['tr-french', true, 'French', false],
    ['tr-code', true, 'German', true],
    ['tr-off', false, '', false],
  ] as Array<[string, boolean, string, boolean]>;
  test.each(rows)('%s: transcripts %s (%s), chat %s', (name, on, language, chat) => {
    const s = sc[name];
    const entry = s.entryOf(`${name}-v`);
    if (on) {
      const caps = entry.captions.map((c) => ({ label: c.label, language: c.language, format: c.format })).sort((a, b) => a.label!.localeCompare(b.label!));
      expect(caps).toEqual([
        { label: 'Zoom_CC', language, format: '3' },
        { label: 'Zoom_TRANSCRIPT', language, format: '3' },
      ]);
      expect(entry.captions.every((c) => (c.content ?? '').startsWith('WEBVTT'))).toBe(true);
    } else {
      expect(entry.captions).toEqual([]);
      for (const id of [`${name}-tr`, `${name}-cc`]) {
        expect(s.file(id).state).toBe('IGNORED');
        expect(s.file(id).reasons.join('|')).toContain('transcripts are disabled');
      }
    }
    if (chat) {
      expect(entry.attachments.map((a) => a.filename)).toEqual([`Recording ${meetingIds[name.replace('tr-', '')]} chat file.txt`]);
      expect(s.file(`${name}-chat`).state).toBe('HANDLED');
    } else {
      expect(entry.attachments).toEqual([]);
      expect(s.file(`${name}-chat`).state).toBe('IGNORED');
      expect(s.file(`${name}-chat`).reasons.join('|')).toContain('chat is disabled');
    }
  });
});

describe('conversion profile and entry metadata', () => {
  test.each([
    ['cp-account', 11],
    ['cp-global', 22],
    ['cp-none', undefined],
  ] as Array<[string, number | undefined]>)('%s: conversionProfileId %s on parent and child', (name, profile) => {
    const s = sc[name];
    for (const id of [`${name}-ss`, `${name}-sv`]) expect(s.entryOf(id).conversionProfileId).toBe(profile);
  });

  test('name: the topic truncated on a grapheme boundary (no split emoji sequence)', () => {
    const name = sc['cp-account'].entryOf('cp-account-ss').name;
    expect(name).toBe('A' + FAMILY.repeat(36));
  });

  test('name: combining marks stay with their letter', () => {
    const name = sc['cp-none'].entryOf('cp-none-ss').name;
    expect(Array.from(name).length).toBeLessThanOrEqual(256);
    expect(name).toBe('Cafe\u0301 ' + 'x'.repeat(249));
    expect(name.normalize('NFC')).toBe('Caf\u00e9 ' + 'x'.repeat(249));
  });

  test('description (meeting id, UUID, UTC time), adminTags zoomentry, tags', () => {
    const s = sc['cp-global'];
    for (const id of ['cp-global-ss', 'cp-global-sv']) {
      const e = s.entryOf(id);
      expect(e.description).toContain('UUID: cp-global-m\n');
      expect(e.description).toMatch(/Zoom meeting ID: \d+/);
      expect(e.description).toContain(`Start (UTC): ${new Date(BASE).toISOString()}`);
      expect(e.adminTags).toBe('zoomentry');
      expect((e.tags ?? '').split(',').map((t) => t.trim()).sort()).toEqual(['lecture', 'zoom']);
    }
  });
});

