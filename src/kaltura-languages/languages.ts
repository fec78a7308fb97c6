/**
 * Caption languages. KalturaLanguage is a string enum of full names ("English",
 * "Portuguese (Brazil)"); "en" is INVALID_ENUM_VALUE. Users may write either a
 * full name in any case or an ISO 639 code, optionally with a region ("pt-BR").
 * Plain data with no dependencies, outside src/kaltura, so the config schema
 * validates caption languages without importing the Kaltura adapter.
 */
import { KALTURA_LANGUAGE_TABLE } from './language-table.js';

/** ISO codes people use that the enum keys spell differently. */
const ALIASES: Record<string, string> = { NB: 'Norwegian', NN: 'Norwegian' };

export interface LanguageIndex {
  /** Kaltura's spelling for a full name or code, or undefined if Kaltura has no such language. */
  resolve(language: string): string | undefined;
  /** Every name the enum accepts, in Kaltura's spelling. */
  readonly names: ReadonlySet<string>;
}

function buildIndex(): LanguageIndex {
  const byCode = new Map<string, string>(Object.entries(ALIASES));
  const byLowerName = new Map<string, string>();
  for (const [code, name] of KALTURA_LANGUAGE_TABLE) {
    if (!byCode.has(code)) byCode.set(code, name);
    byLowerName.set(name.toLowerCase(), name);
  }
  return {
    names: new Set(byLowerName.values()),
    resolve(language) {
      const trimmed = language.trim();
      const named = byLowerName.get(trimmed.toLowerCase());
      if (named) return named;
      if (!/^[A-Za-z]{2,3}([-_][A-Za-z]{2})?$/.test(trimmed)) return undefined;
      const code = trimmed.toUpperCase().replace('-', '_');
      // "pt-BR" is Kaltura's "Portuguese (Brazil)"; a region Kaltura lacks falls back to the language.
      return byCode.get(code) ?? byCode.get(code.split('_')[0]);
    },
  };
}

/** Built once per importer; immutable, so sharing it holds no mutable state. */
export const KALTURA_LANGUAGES: LanguageIndex = buildIndex();

/** Kaltura's spelling for a caption language; the value as typed if Kaltura has none (config validation rejects those). */
export function kalturaLanguage(language: string): string {
  return KALTURA_LANGUAGES.resolve(language) ?? language.trim();
}
