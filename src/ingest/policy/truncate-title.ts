/**
 * Entry names are bounded; a topic cut in the middle of a surrogate pair or
 * of a base letter + combining marks (or an emoji ZWJ sequence) shows up as
 * mojibake in KMC. Cut only between grapheme clusters.
 */

/** The longest prefix of `topic` of at most `maxCodePoints` code points that ends on a grapheme boundary. */
export function truncateTitle(topic: string, maxCodePoints: number): string {
  if (maxCodePoints <= 0) return '';
  const codePoints = Array.from(topic);
  if (codePoints.length <= maxCodePoints) return topic;

  let out = '';
  let used = 0;
  for (const grapheme of graphemes(topic)) {
    const size = Array.from(grapheme).length;
    if (used + size > maxCodePoints) break;
    out += grapheme;
    used += size;
  }
  // A single cluster longer than the whole budget (e.g. "zalgo" text): keep
  // whole code points rather than return an empty name.
  return out === '' ? codePoints.slice(0, maxCodePoints).join('') : out;
}

function graphemes(text: string): Iterable<string> {
  if (typeof Intl.Segmenter === 'function') {
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    return Array.from(segmenter.segment(text), (s) => s.segment);
  }
  // Without ICU segmentation: a code point followed by its combining marks / joiners.
  return text.match(/\P{M}[\p{M}\u200d\ufe0f]*|[\p{M}\u200d\ufe0f]+/gu) ?? [];
}
