/**
 * README's Architecture rule for the Zoom adapter: every Zoom failure becomes
 * a zk error in src/zoom/classify.ts, so which Zoom failures are retried, fail
 * the item or stop zk is read in one file. The other files throw what it makes.
 */
import { expect, test } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ZOOM = resolve(new URL('.', import.meta.url).pathname, '..', '..', 'src', 'zoom');
const ERROR_CLASS = /\bnew\s+(?:ZkError|RetryableError|PermanentError|FatalError|MissingPermissionError|ConfigError|Zoom\w*Error|ZoomRetriesExhausted)\s*\(|\bextends\s+(?:ZkError|RetryableError|PermanentError|FatalError|MissingPermissionError)\b/;

test('zk errors are made only in src/zoom/classify.ts', () => {
  const files = readdirSync(ZOOM).filter((f) => f.endsWith('.ts'));
  expect(files).toContain('classify.ts');
  const offending = files
    .filter((f) => f !== 'classify.ts')
    .flatMap((f) =>
      readFileSync(join(ZOOM, f), 'utf8')
        .split('\n')
        .map((line, i) => ({ at: `src/zoom/${f}:${i + 1}`, line: line.trim() }))
        .filter(({ line }) => ERROR_CLASS.test(line) && !line.startsWith('*') && !line.startsWith('//')),
    );
  expect(offending).toEqual([]);
  // The rule has something to hold: classify.ts does make them.
  expect(ERROR_CLASS.test(readFileSync(join(ZOOM, 'classify.ts'), 'utf8'))).toBe(true);
});
