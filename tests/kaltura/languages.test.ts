/**
 * Caption languages: the generated table is exactly the official client's
 * KalturaLanguage enum, and names and ISO codes resolve to its spelling.
 */
import { createRequire } from 'node:module';
import { describe, expect, test } from '@jest/globals';
import { KALTURA_LANGUAGE_TABLE } from '../../src/kaltura-languages/language-table.js';
import { KALTURA_LANGUAGES, kalturaLanguage } from '../../src/kaltura-languages/languages.js';

const require = createRequire(import.meta.url);
const { Language } = require('kaltura-client/KalturaTypes.js') as { Language: Record<string, string> };

describe('KalturaLanguage table', () => {
  test('matches kaltura-client entry for entry (regenerate with scripts/gen-kaltura-languages.cjs)', () => {
    const fromClient = Object.entries(Language).map(([key, name]) => [key.replace(/_$/, ''), name]);
    expect(KALTURA_LANGUAGE_TABLE.map(([code, name]) => [code, name])).toEqual(fromClient);
    expect(KALTURA_LANGUAGES.names.size).toBe(new Set(Object.values(Language)).size);
  });

  test.each([
    ['English', 'English'],
    ['spanish', 'Spanish'],
    ['  French ', 'French'],
    ['portuguese (brazil)', 'Portuguese (Brazil)'],
    ['en', 'English'],
    ['DE', 'German'],
    ['pt-BR', 'Portuguese (Brazil)'],
    ['pt_br', 'Portuguese (Brazil)'],
    ['en-US', 'English (American)'],
    ['de-AT', 'German'],
    ['he', 'Hebrew'],
    ['nb', 'Norwegian'],
    ['zh', 'Chinese'],
  ])('%s → %s', (input, want) => {
    expect(KALTURA_LANGUAGES.resolve(input)).toBe(want);
    expect(kalturaLanguage(input)).toBe(want);
  });

  test.each(['Klingonese', 'xx', 'english-ish', 'e1', 'en-USA', ''])('%j is not a Kaltura language', (input) => {
    expect(KALTURA_LANGUAGES.resolve(input)).toBeUndefined();
  });
});
