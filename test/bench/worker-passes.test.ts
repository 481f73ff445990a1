// When the worker's passes ran, read from its log (bench/worker-passes.ts): the live bench tells
// the page loads that shared the machine with a pass from the others.
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { followPasses, overlapsAPass, passOfLine } from '../../bench/worker-passes';

const passLine = (t: string, ms: number) =>
  JSON.stringify({ t, level: 'info', msg: 'pass', pass: 3, pairs: 30000, ok: 29000, ms });

describe('passOfLine', () => {
  test('a pass line: the pass ended at its time and began its ms before', () => {
    expect(passOfLine(passLine('2026-12-07T10:34:17.500Z', 2500))).toEqual({
      start: Date.parse('2026-12-07T10:34:15.000Z'),
      end: Date.parse('2026-12-07T10:34:17.500Z'),
    });
  });

  test('any other line is no pass', () => {
    expect(passOfLine(JSON.stringify({ t: '2026-12-07T10:34:17.500Z', msg: 'pair recovered', ms: 5 }))).toBeUndefined();
    expect(passOfLine(JSON.stringify({ t: 'not a time', msg: 'pass', ms: 5 }))).toBeUndefined();
    expect(passOfLine(JSON.stringify({ t: '2026-12-07T10:34:17.500Z', msg: 'pass' }))).toBeUndefined();
    expect(passOfLine('{"t":"2026-12-07T10:34')).toBeUndefined();
    expect(passOfLine('null')).toBeUndefined();
  });
});

describe('followPasses', () => {
  test('collects the passes of a stream as its lines arrive', async () => {
    const stdout = new PassThrough();
    const passes = followPasses(stdout);
    stdout.write(`${passLine('2026-12-07T10:00:10.000Z', 1000)}\n{"msg":"worker started"}\n`);
    stdout.end(`${passLine('2026-12-07T10:00:25.000Z', 2000)}\n`);
    await new Promise((resolve) => stdout.on('close', resolve).on('end', resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(passes.map((pass) => new Date(pass.start).toISOString())).toEqual([
      '2026-12-07T10:00:09.000Z',
      '2026-12-07T10:00:23.000Z',
    ]);
  });
});

describe('overlapsAPass', () => {
  const passes = [
    { start: 1_000, end: 3_000 },
    { start: 16_000, end: 18_000 },
  ];
  test('a load that began, ended or lay within a pass overlaps it', () => {
    expect(overlapsAPass(500, 1_500, passes)).toBe(true);
    expect(overlapsAPass(2_500, 4_000, passes)).toBe(true);
    expect(overlapsAPass(15_000, 19_000, passes)).toBe(true);
    expect(overlapsAPass(1_500, 2_000, passes)).toBe(true);
  });
  test('a load between passes, or touching one only at its end, does not', () => {
    expect(overlapsAPass(3_000, 4_000, passes)).toBe(false);
    expect(overlapsAPass(5_000, 15_999, passes)).toBe(false);
    expect(overlapsAPass(0, 1_000, passes)).toBe(false);
    expect(overlapsAPass(5_000, 6_000, [])).toBe(false);
  });
});
