/**
 * Transcripts (TRANSCRIPT → Zoom_TRANSCRIPT, CC → Zoom_CC, WebVTT, language by
 * its full Kaltura name) and chat (a text attachment), on the parent only;
 * a late transcript attaches to the existing entry; nothing is duplicated.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { cc, chat, closeWorlds, kalturaCalls, MIN, meeting, mp4, transcript, world } from './harness.js';

afterEach(closeWorlds);

const WEBVTT = '3';
const TEXT = '1';

function captioned(name: string) {
  return meeting(name, { files: [mp4(`${name}-ssv`, 'shared_screen_with_speaker_view'), mp4(`${name}-gv`, 'gallery_view'), transcript(`${name}-tr`), cc(`${name}-cc`), chat(`${name}-chat`)] });
}

describe('transcripts', () => {
  test.each([
    { language: undefined, want: 'English' },
    { language: 'French', want: 'French' },
    { language: 'de', want: 'German' },
    { language: 'pt-BR', want: 'Portuguese (Brazil)' },
    { language: 'pt-PT', want: 'Portuguese' },
    { language: 'spanish', want: 'Spanish' },
  ])('on: TRANSCRIPT and CC become WebVTT captions on the parent, language $language → $want', async ({ language, want }) => {
    const m = captioned('cap');
    const w = await world({ meetings: [m], account: { transcripts: language === undefined ? { enabled: true } : { enabled: true, language } } });
    if (language === undefined) delete w.raw.accounts[0].transcripts.language;
    expect(await w.run()).toBe(0);
    const parent = w.entryOf('cap-ssv');
    const caps = parent.captions.map((c) => ({ label: c.label, language: c.language, format: c.format, status: c.status }));
    expect(caps.sort((a, b) => a.label!.localeCompare(b.label!))).toEqual([
      { label: 'Zoom_CC', language: want, format: WEBVTT, status: 2 },
      { label: 'Zoom_TRANSCRIPT', language: want, format: WEBVTT, status: 2 },
    ]);
    // The caption is Zoom's file, byte for byte in length, and WebVTT.
    for (const c of parent.captions) {
      const size = m.files.find((f) => f.id === (c.label === 'Zoom_CC' ? 'cap-cc' : 'cap-tr'))!.fileSize;
      expect(c.content!.startsWith('WEBVTT')).toBe(true);
      expect(Buffer.byteLength(c.content!)).toBe(size);
    }
    expect(w.entryOf('cap-gv').captions).toEqual([]);
    expect(w.file('cap-tr')).toMatchObject({ state: 'HANDLED', role: 'caption', kalturaEntryId: parent.id });
    // As in Kaltura's integration: Zoom's transcript is the caption, so REACH is told not to add one.
    expect(parent.blockAutoTranscript).toBe(true);
    expect(w.entryOf('cap-gv').blockAutoTranscript).toBe(true);
  });

  test('off: TRANSCRIPT and CC are IGNORED with the reason; the video still goes', async () => {
    const w = await world({ meetings: [captioned('nocap')], account: { transcripts: { enabled: false } } });
    expect(await w.run()).toBe(0);
    for (const id of ['nocap-tr', 'nocap-cc']) expect(w.file(id)).toMatchObject({ state: 'IGNORED', reason: 'transcripts are disabled for this account' });
    expect(w.entryOf('nocap-ssv').captions).toEqual([]);
    expect(kalturaCalls(w, 'caption_captionasset.add')).toBe(0);
    // REACH may caption these: zk leaves Kaltura's default.
    expect(w.entryOf('nocap-ssv').blockAutoTranscript).toBeUndefined();
  });

  test('a transcript that completes after its video attaches to the existing entry, once', async () => {
    const m = meeting('late', { files: [mp4('late-sv', 'speaker_view'), transcript('late-tr', { completesAt: Date.now() + 20 * MIN, blankTypeWhileProcessing: true })] });
    const w = await world({ meetings: [m] });
    expect(await w.run()).toBe(0);
    const entry = w.entryOf('late-sv');
    expect(entry.captions).toEqual([]);
    expect(w.file('late-tr').state).toBe('DETECTED');

    w.clock.advance(25 * MIN);
    expect(await w.run()).toBe(0);
    expect(w.file('late-tr')).toMatchObject({ state: 'HANDLED', kalturaEntryId: entry.id });
    expect(w.kaltura.state.entry(entry.id)!.captions.map((c) => c.label)).toEqual(['Zoom_TRANSCRIPT']);
    expect(w.entries()).toHaveLength(1);
    expect(await w.run()).toBe(0);
    expect(kalturaCalls(w, 'caption_captionasset.add')).toBe(1);
  });

  test('a caption or chat whose progress was lost is found on the entry, not added again', async () => {
    const w = await world({ meetings: [captioned('dup')] });
    expect(await w.run()).toBe(0);
    const before = ['caption_captionasset.add', 'attachment_attachmentasset.add'].map((k) => kalturaCalls(w, k));
    expect(before).toEqual([2, 1]);
    // As if zk crashed after adding the assets and before recording it.
    w.sql(`UPDATE files SET state = 'PENDING', kaltura_asset_id = NULL, handled_at = NULL WHERE zoom_file_id IN ('dup-tr', 'dup-cc', 'dup-chat')`);
    expect(await w.run()).toBe(0);
    for (const id of ['dup-tr', 'dup-cc', 'dup-chat']) expect(w.file(id).state).toBe('HANDLED');
    expect(['caption_captionasset.add', 'attachment_attachmentasset.add'].map((k) => kalturaCalls(w, k))).toEqual(before);
    const parent = w.entryOf('dup-ssv');
    expect(parent.captions).toHaveLength(2);
    expect(parent.attachments).toHaveLength(1);
  });
});

describe('chat', () => {
  test('on: the chat file is a text attachment on the parent', async () => {
    const m = captioned('ch');
    const w = await world({ meetings: [m] });
    expect(await w.run()).toBe(0);
    const parent = w.entryOf('ch-ssv');
    expect(parent.attachments.map((a) => ({ filename: a.filename, format: a.format, status: a.status }))).toEqual([
      { filename: `Recording ${m.id} chat file.txt`, format: TEXT, status: 2 },
    ]);
    expect(Buffer.byteLength(parent.attachments[0].content!)).toBe(m.files.find((f) => f.id === 'ch-chat')!.fileSize);
    expect(w.entryOf('ch-gv').attachments).toEqual([]);
  });

  test('off: the chat file is IGNORED with the reason', async () => {
    const w = await world({ meetings: [captioned('noch')], account: { chat: { enabled: false } } });
    expect(await w.run()).toBe(0);
    expect(w.file('noch-chat')).toMatchObject({ state: 'IGNORED', reason: 'chat is disabled for this account' });
    expect(w.entryOf('noch-ssv').attachments).toEqual([]);
    expect(kalturaCalls(w, 'attachment_attachmentasset.add')).toBe(0);
  });
});
