/**
 * Which Kaltura service.actions zk's adapter calls, read from its source, so
 * the contract suite can prove it exercised each one through the official
 * client: a new call in src/kaltura without a contract test fails the suite.
 */
import { readdirSync, readFileSync } from 'node:fs';

const KALTURA_SRC = new URL('../../src/kaltura/', import.meta.url);

/** Service ids the official client knows (lower-case, as sent on the wire). */
function officialServiceIds(): Set<string> {
  const text = readFileSync(new URL('../../node_modules/kaltura-client/KalturaServices.js', import.meta.url), 'utf8');
  return new Set([...text.matchAll(/new kaltura\.RequestBuilder\('([a-z_]+)'/g)].map((m) => m[1]));
}

export function zkKalturaActions(): string[] {
  const services = officialServiceIds();
  const out = new Set<string>();
  for (const name of readdirSync(KALTURA_SRC).filter((f) => f.endsWith('.ts'))) {
    const src = readFileSync(new URL(name, KALTURA_SRC), 'utf8');
    // read('media', 'get', …), create<…>('user', 'add', …), client.call('media', 'delete', …), exchange('uploadtoken', 'upload', …)
    for (const m of src.matchAll(/\(\s*'([a-z_]+)',\s*'([a-zA-Z]+)'/g)) if (services.has(m[1])) out.add(`${m[1]}.${m[2]}`.toLowerCase());
    // listAll('groupuser', filter) pages through '<service>.list'.
    for (const m of src.matchAll(/listAll(?:<[^>]*>)?\(\s*'([a-z_]+)'/g)) out.add(`${m[1]}.list`);
    // setContentOrRemove('caption_captionasset', …) calls setContent, and delete when that fails.
    for (const m of src.matchAll(/setContentOrRemove\(\s*'([a-z_]+)'/g)) {
      out.add(`${m[1]}.setcontent`);
      out.add(`${m[1]}.delete`);
    }
  }
  return [...out].sort();
}
