import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../cli-error';
import { readRunInput } from './run-input';
import { parseLimit } from './runs.command';

describe('readRunInput', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'weaver-input-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const usage = (fn: () => unknown): CliError => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(CliError);
      expect((err as CliError).exitCode).toBe(2);
      return err as CliError;
    }
    throw new Error('expected a usage error');
  };

  it('reads --input JSON, a file relative to the working directory, or defaults to {}', () => {
    writeFileSync(join(dir, 'in.json'), '{"topic": "AI"}');
    expect(readRunInput({ input: '[1, "a"]' }, dir)).toEqual([1, 'a']);
    expect(readRunInput({ inputFile: 'in.json' }, dir)).toEqual({ topic: 'AI' });
    expect(readRunInput({}, dir)).toEqual({});
  });

  it('names the flag and the rule for bad input', () => {
    expect(usage(() => readRunInput({ input: '{topic: 1}' }, dir)).message).toMatch(/^--input: must be valid JSON \(/);
    expect(usage(() => readRunInput({ input: '{}', inputFile: 'x' }, dir)).message).toBe('--input/--input-file: give one of them, not both');
    expect(usage(() => readRunInput({ inputFile: 'missing.json' }, dir)).message).toMatch(/^--input-file: cannot read .*missing\.json \(ENOENT\)$/);
    writeFileSync(join(dir, 'bad.json'), '{');
    expect(usage(() => readRunInput({ inputFile: 'bad.json' }, dir)).hint).toMatch(/fix the JSON in .*bad\.json/);
  });
});

describe('parseLimit', () => {
  it('accepts 1..500 and names the rule otherwise', () => {
    expect(parseLimit('1')).toBe(1);
    expect(parseLimit('500')).toBe(500);
    for (const bad of ['0', '501', '2.5', 'ten', '-3', '']) expect(() => parseLimit(bad)).toThrow(/--limit: must be a whole number from 1 to 500/);
  });
});
