import { describe, expect, test } from '@jest/globals';
import { csvField, formatCsv } from '../../src/ops/csv.js';
import { formatAge, formatTable } from '../../src/ops/format.js';
import { parseSince } from '../../src/ops/since.js';
import { EXIT, FatalError } from '../../src/errors.js';

const NOW = Date.parse('2024-06-10T12:00:00Z');

describe('formatting helpers', () => {
  test('csv quoting', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(formatCsv(['x', 'y'], [[1, 'a,b']])).toBe('x,y\r\n1,"a,b"\r\n');
  });

  test('table columns align', () => {
    expect(formatTable(['A', 'BB'], [['long', 'x'], ['s', 'yy']])).toBe('A     BB\nlong  x\ns     yy\n');
  });

  test('ages', () => {
    expect(formatAge(45_000)).toBe('45s');
    expect(formatAge(26 * 3_600_000)).toBe('1d 2h');
  });

  test('--since: durations, dates, times', () => {
    expect(parseSince('7d', NOW)).toBe(NOW - 7 * 86_400_000);
    expect(parseSince('2024-05-01', NOW)).toBe(Date.parse('2024-05-01T00:00:00Z'));
    expect(parseSince('2024-05-01T10:00', NOW)).toBe(Date.parse('2024-05-01T10:00:00Z'));
    expect(parseSince('2024-05-01T10:00:00+02:00', NOW)).toBe(Date.parse('2024-05-01T08:00:00Z'));
    for (const bad of ['yesterday', '7', '2024-13-45']) {
      try {
        parseSince(bad, NOW);
        throw new Error(`accepted ${bad}`);
      } catch (err) {
        expect(err).toBeInstanceOf(FatalError);
        expect((err as FatalError).exitCode).toBe(EXIT.USAGE);
        expect((err as FatalError).message).toContain(`"${bad}"`);
      }
    }
  });
});
