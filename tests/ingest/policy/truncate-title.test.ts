import { describe, expect, it } from '@jest/globals';
import { truncateTitle } from '../../../src/ingest/policy/index.js';

describe('truncateTitle', () => {
  it('leaves a title within the limit untouched', () => {
    expect(truncateTitle('Weekly sync', 11)).toBe('Weekly sync');
  });

  it('cuts plain text at the limit', () => {
    expect(truncateTitle('abcdefgh', 5)).toBe('abcde');
  });

  it('counts code points, not UTF-16 units, and never splits a surrogate pair', () => {
    const title = 'ab😀😀😀';
    expect(truncateTitle(title, 3)).toBe('ab😀');
    expect(truncateTitle(title, 5)).toBe(title);
    expect(truncateTitle('😀😀', 1)).toBe('😀');
  });

  it('keeps a letter with its combining marks together', () => {
    const e = 'e\u0301'; // é as e + combining acute
    expect(truncateTitle(`caf${e}${e}`, 5)).toBe(`caf${e}`);
    expect(truncateTitle(`caf${e}`, 4)).toBe('caf');
  });

  it('does not split an emoji ZWJ sequence', () => {
    const family = '👩\u200d👩\u200d👧'; // 5 code points
    expect(truncateTitle(`Hi ${family}!`, 6)).toBe('Hi ');
    expect(truncateTitle(`Hi ${family}!`, 8)).toBe(`Hi ${family}`);
  });

  it('falls back to whole code points when one cluster exceeds the whole budget', () => {
    const zalgo = 'Z' + '\u0336'.repeat(10);
    expect(truncateTitle(zalgo, 4)).toBe('Z\u0336\u0336\u0336');
  });

  it('returns "" for a non-positive limit', () => {
    expect(truncateTitle('abc', 0)).toBe('');
  });
});
