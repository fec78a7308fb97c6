/** KalturaLanguage wants full names ("English"); "en" is INVALID_ENUM_VALUE. Map the common ISO codes. */
const ISO_TO_KALTURA: Record<string, string> = {
  ar: 'Arabic', zh: 'Chinese', cs: 'Czech', da: 'Danish', nl: 'Dutch', en: 'English', fi: 'Finnish', fr: 'French',
  de: 'German', el: 'Greek', he: 'Hebrew', hi: 'Hindi', hu: 'Hungarian', id: 'Indonesian', it: 'Italian', ja: 'Japanese',
  ko: 'Korean', no: 'Norwegian', nb: 'Norwegian', fa: 'Persian', pl: 'Polish', pt: 'Portuguese', ro: 'Romanian',
  ru: 'Russian', es: 'Spanish', sv: 'Swedish', th: 'Thai', tr: 'Turkish', uk: 'Ukrainian', vi: 'Vietnamese',
};

export function kalturaLanguage(language: string): string {
  const code = language.trim().toLowerCase().split(/[-_]/)[0];
  return ISO_TO_KALTURA[code] ?? language.trim();
}
