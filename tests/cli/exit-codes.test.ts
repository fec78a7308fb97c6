/**
 * The exit codes are described once (EXIT_CODES in src/cli/exit.ts): README's
 * table must say the same, every code zk uses must be in it, and both
 * binaries' --help print the paragraph derived from it (compiled dist/).
 */
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXIT } from '../../src/errors.js';
import { EXIT_CODES, exitCodesHelp } from '../../src/cli/exit.js';

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');

/** The rows of README's "### Exit codes" table, as [code, meaning]. */
function readmeExitCodes(): Array<[number, string]> {
  const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');
  const start = lines.indexOf('### Exit codes');
  expect(start).toBeGreaterThan(-1);
  const rows: Array<[number, string]> = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('#')) break;
    const row = /^\| (\d+) \| (.*) \|$/.exec(line);
    if (row) rows.push([Number(row[1]), row[2]]);
  }
  return rows;
}

describe('exit codes', () => {
  test("README's exit-code table is EXIT_CODES, row for row", () => {
    expect(readmeExitCodes()).toEqual(EXIT_CODES.map((c) => [c.code, c.meaning]));
  });

  test('every EXIT value is described exactly once', () => {
    expect(EXIT_CODES.map((c) => c.code).sort((a, b) => a - b)).toEqual(Object.values(EXIT).sort((a, b) => a - b));
  });

  test.each(['zk', 'zk-daemon'] as const)('%s --help prints the paragraph derived from the table', (binary) => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', `${binary}.js`), '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    const paragraph = exitCodesHelp(binary).trim();
    expect(r.stdout).toContain(paragraph);
    for (const c of EXIT_CODES) expect(paragraph).toContain(`${c.code} ${binary === 'zk-daemon' && c.daemonLabel ? c.daemonLabel : c.label}`);
  });
});
