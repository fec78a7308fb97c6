/**
 * format=2 (XML), the real server's default when a request names no format:
 * the shape of kaltura/server api_v3/lib/KalturaXmlSerializer.php. Objects
 * start with <objectType>; arrays are <item>s; booleans are 1/0; an API
 * exception is <error> with code, message, objectType and <args> items of the
 * made-up type KalturaAPIExceptionArg. Null properties are already omitted by
 * the wire builders (ignoreNull), so they are not written as empty tags.
 */
import { isPlainObject } from './params.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const escapeXml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

function tag(name: string, inner: string): string {
  return `<${name}>${inner}</${name}>`;
}

function errorXml(e: Record<string, unknown>): string {
  const args = isPlainObject(e.args) ? Object.entries(e.args) : [];
  const items = args.map(([name, value]) => tag('item', tag('objectType', 'KalturaAPIExceptionArg') + tag('name', escapeXml(name)) + tag('value', escapeXml(String(value)))));
  return tag('error', tag('code', escapeXml(String(e.code))) + tag('message', escapeXml(String(e.message))) + tag('objectType', 'KalturaAPIException') + tag('args', items.join('')));
}

function valueXml(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number' || typeof v === 'string') return escapeXml(String(v));
  if (Array.isArray(v)) return v.map((x) => tag('item', valueXml(x))).join('');
  if (isPlainObject(v)) {
    if (v.objectType === 'KalturaAPIException') return errorXml(v);
    if (typeof v.objectType === 'string') {
      const props = Object.entries(v).filter(([k]) => k !== 'objectType');
      return tag('objectType', v.objectType) + props.map(([k, x]) => tag(k, valueXml(x))).join('');
    }
    // An associative array (KalturaAssociativeArray): items keyed by attribute.
    return Object.entries(v)
      .map(([k, x]) => `<item key="${escapeXml(k)}">${valueXml(x)}</item>`)
      .join('');
  }
  return escapeXml(String(v));
}

/** The whole response document for one call's (or a multirequest's) result. */
export function xmlDocument(result: unknown, executionTimeSec: number): string {
  return `<?xml version="1.0" encoding="utf-8"?><xml><result>${valueXml(result)}</result><executionTime>${executionTimeSec}</executionTime></xml>`;
}
