/**
 * The composition-root rules of README's Architecture table: the daemon and
 * the CLI share src/wiring instead of borrowing from each other, config needs
 * no adapter, and every layer logs through src/log/port.ts, never winston.
 */
import { describe, expect, test } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { inside, offending, src } from '../helpers/source-tree.js';

describe('layering of the composition roots', () => {
  test('src/daemon and src/wiring import nothing from src/cli; only the binaries import src/daemon', () => {
    expect(offending([src('daemon'), src('wiring')], inside(src('cli')))).toEqual([]);
    const notRoots = readdirSync(src(), { withFileTypes: true })
      .filter((e) => e.isDirectory() && !['cli', 'daemon'].includes(e.name))
      .map((e) => src(e.name));
    expect(offending(notRoots, inside(src('daemon')))).toEqual([]);
  });

  test('src/config imports no adapter and no store', () => {
    expect(offending([src('config')], (t) => inside(src('kaltura'))(t) || inside(src('zoom'))(t) || inside(src('store'))(t))).toEqual([]);
  });

  test('the domain and the adapters log through src/log/port.ts, never winston or src/log/logger.ts', () => {
    const layers = [src('ingest'), src('zoom'), src('kaltura'), src('wiring'), src('daemon')];
    expect(offending(layers, (t) => t === 'winston' || t === src('log', 'logger.js'))).toEqual([]);
  });
});
