/** KalturaLanguage wants full names ("English"); "en" is INVALID_ENUM_VALUE. Map the common ISO codes. */
const ISO_TO_KALTURA: Record<string, string> = {
  ar: 'Arabic', zh: 'Chinese', cs: 'Czech', da: 'Danish', nl: 'Dutch', en: 'English', fi: 'Finnish', fr: 'French',
  de: 'German', el: 'Greek', he: 'Hebrew', hi: 'Hindi', hu: 'Hungarian', id: 'Indonesian', it: 'Italian', ja: 'Japanese',
  ko: 'Korean', no: 'Norwegian', nb: 'Norwegian', fa: 'Persian', pl: 'Polish', pt: 'Portuguese', ro: 'Romanian',
  ru: 'Russian', es: 'Spanish', sv: 'Swedish', th: 'Thai', tr: 'Turkish', uk: 'Ukrainian', vi: 'Vietnamese',
};

/** Full names typed in another case ("spanish") get Kaltura's spelling: the enum is case-sensitive. */
const BY_LOWER_NAME = new Map(Object.values(ISO_TO_KALTURA).map((name) => [name.toLowerCase(), name]));

export function kalturaLanguage(language: string): string {
  const trimmed = language.trim();
  const code = trimmed.toLowerCase().split(/[-_]/)[0];
  return ISO_TO_KALTURA[code] ?? BY_LOWER_NAME.get(trimmed.toLowerCase()) ?? trimmed;
}
