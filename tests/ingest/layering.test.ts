import { describe, expect, test } from '@jest/globals';
import { inside, offending, sources, src } from '../helpers/source-tree.js';

describe('layering', () => {
  // The domain depends on its ports only: the SQLite store implements src/ingest/store-port, never the other way round.
  test('src/ingest imports nothing from src/store', () => {
    expect(sources(src('ingest')).length).toBeGreaterThan(20);
    expect(offending([src('ingest')], inside(src('store')))).toEqual([]);
  });
});
