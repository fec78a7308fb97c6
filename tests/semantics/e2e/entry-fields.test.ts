/**
 * Entry metadata: name (the topic, cut safely for Unicode), description
 * (meeting id, UUID, UTC time), adminTags `zoomentry`, configurable tags, and
 * the conversion profile per account or global, on parents and children.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { closeWorlds, meeting, mp4, world } from './harness.js';

afterEach(closeWorlds);

const pad = 'a'.repeat(255);

describe('entry metadata', () => {
  test.each([
    { name: 'a plain topic', topic: 'Weekly Lab Meeting', want: 'Weekly Lab Meeting' },
    { name: 'an emoji (surrogate pair) at the cut', topic: `${pad}😀😀`, want: `${pad}😀` },
    { name: 'a ZWJ family emoji across the cut', topic: `${pad}👩‍👩‍👧 end`, want: pad },
    { name: 'a combining accent across the cut', topic: `${pad}e\u0301 more`, want: pad },
    { name: 'a flag (two regional indicators) across the cut', topic: `${pad}🇫🇷`, want: pad },
    { name: 'an empty topic', topic: '   ', want: 'Zoom recording <id>' },
  ])('name from $name', async ({ topic, want }) => {
    const m = meeting('nm', { topic, files: [mp4('nm-ssv', 'shared_screen_with_speaker_view'), mp4('nm-gv', 'gallery_view')] });
    const w = await world({ meetings: [m] });
    expect(await w.run()).toBe(0);
    const expected = want.replace('<id>', String(m.id));
    for (const id of ['nm-ssv', 'nm-gv']) {
      const name = w.entryOf(id).name;
      expect(name).toBe(expected);
      expect(Array.from(name).length).toBeLessThanOrEqual(256);
      // Never a lone surrogate.
      expect(Buffer.from(name, 'utf8').toString('utf8')).toBe(name);
    }
  });

  test('description, adminTags and tags on the parent and the child', async () => {
    const m = meeting('md', { files: [mp4('md-ssv', 'shared_screen_with_speaker_view'), mp4('md-gv', 'gallery_view')] });
    const w = await world({ meetings: [m], account: { tags: ['zoom', 'lecture capture'] } });
    expect(await w.run()).toBe(0);
    const start = new Date(m.files[0].recordingStart).toISOString();
    for (const id of ['md-ssv', 'md-gv']) {
      const e = w.entryOf(id);
      expect(e.description).toBe(`Zoom meeting ID: ${m.id}\nUUID: ${m.uuid}\nStart (UTC): ${start}`);
      expect(e.adminTags).toBe('zoomentry');
      expect(e.tags).toBe('zoom,lecture capture');
    }
  });

  test('no tags configured: no tags on the entry', async () => {
    const w = await world({ meetings: [meeting('nt')] });
    expect(await w.run()).toBe(0);
    expect(w.entryOf('nt-sv').tags ?? '').toBe('');
    expect(w.entryOf('nt-sv').adminTags).toBe('zoomentry');
  });
});

describe('conversion profile', () => {
  test.each([
    { name: 'global only', global: 7, own: undefined, second: undefined, want: [7, 7] },
    { name: 'per account over the global one', global: 7, own: 11, second: 13, want: [11, 13] },
    { name: 'one account overrides, the other takes the global', global: 7, own: undefined, second: 13, want: [7, 13] },
    { name: 'none: the partner default (unset)', global: undefined, own: undefined, second: undefined, want: [undefined, undefined] },
  ])('$name', async ({ global, own, second, want }) => {
    const files = (p: string) => [mp4(`${p}-ssv`, 'shared_screen_with_speaker_view'), mp4(`${p}-gv`, 'gallery_view')];
    const w = await world({
      meetings: [meeting('cp1', { files: files('cp1') })],
      secondZoomAccount: { meetings: [meeting('cp2', { files: files('cp2') })] },
      mutate: (raw) => {
        if (global !== undefined) raw.kaltura.conversionProfileId = global;
        if (own !== undefined) raw.accounts[0].conversionProfileId = own;
        if (second !== undefined) raw.accounts[1].conversionProfileId = second;
      },
    });
    expect(await w.run()).toBe(0);
    expect([w.entryOf('cp1-ssv'), w.entryOf('cp1-gv')].map((e) => e.conversionProfileId)).toEqual([want[0], want[0]]);
    expect([w.entryOf('cp2-ssv'), w.entryOf('cp2-gv')].map((e) => e.conversionProfileId)).toEqual([want[1], want[1]]);
  });
});
