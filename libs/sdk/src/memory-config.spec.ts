import { ValidationError } from '@weaver/errors';
import { AnalystMemory, CoordinatorMemory, definePreset, Memory, type MemoryOptions } from './index';
import { MEMORY_DEFAULTS } from './internal';
import { memorySpecOf } from './memory-config';

const MB = 1024 * 1024;
const GB = 1024 * MB;
const MIN = 60_000;
const DAY = 86_400_000;

/** The violations a call threw (it must throw a ValidationError). */
function violationsOf(call: () => unknown): Array<{ field: string; rule: string }> {
  try {
    call();
  } catch (err) {
    if (err instanceof ValidationError) return err.violations;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('Memory(...)', () => {
  it('defaults to the plan: 100 short-term items, 60-minute TTL, 1024 MB long-term; episodic 30 days / 10,000, semantic 1 GB', () => {
    expect(Memory().spec).toEqual({
      shortTerm: { maxItems: 100, ttlMs: 60 * MIN },
      longTerm: { maxBytes: 1024 * MB },
      episodic: { ttlMs: 30 * DAY, maxItems: 10_000 },
      semantic: { maxBytes: GB },
    });
    expect(Memory({}).spec).toEqual(MEMORY_DEFAULTS);
  });

  it("reads the plan's one-liners", () => {
    expect(Memory({ semantic_size: '10GB', episodic_ttl: '7d' }).spec).toEqual({ ...MEMORY_DEFAULTS, semantic: { maxBytes: 10 * GB }, episodic: { ttlMs: 7 * DAY, maxItems: 10_000 } });
    expect(Memory({ semantic: 'large' }).spec.semantic.maxBytes).toBe(10 * GB);
    expect(Memory({ episodic: '7d' }).spec.episodic.ttlMs).toBe(7 * DAY);
  });

  it("reads the plan's config names (max_short_term_items, max_long_term_mb, ttl_minutes) and their camelCase forms", () => {
    const snake = Memory({ max_short_term_items: 1000, max_long_term_mb: 10240, ttl_minutes: 90 }).spec;
    expect(snake.shortTerm).toEqual({ maxItems: 1000, ttlMs: 90 * MIN });
    expect(snake.longTerm.maxBytes).toBe(10 * GB);
    expect(Memory({ maxShortTermItems: 1000, maxLongTermMb: 10240, ttlMinutes: 90 }).spec).toEqual(snake);
  });

  it('gives every limit a shorthand and an explicit name, in snake_case and camelCase', () => {
    const cases: Array<[MemoryOptions, (s: ReturnType<typeof Memory>['spec']) => number, number]> = [
      [{ short_term: 5 }, (s) => s.shortTerm.maxItems, 5],
      [{ short_term_items: '7' }, (s) => s.shortTerm.maxItems, 7],
      [{ shortTermItems: 8 }, (s) => s.shortTerm.maxItems, 8],
      [{ short_term_ttl: '12h' }, (s) => s.shortTerm.ttlMs, 12 * 60 * MIN],
      [{ shortTermTtl: '30s' }, (s) => s.shortTerm.ttlMs, 30_000],
      [{ long_term: '512MB' }, (s) => s.longTerm.maxBytes, 512 * MB],
      [{ longTermSize: '1.5GB' }, (s) => s.longTerm.maxBytes, 1.5 * GB],
      [{ episodicTtl: '60m' }, (s) => s.episodic.ttlMs, 60 * MIN],
      [{ episodic_items: 50 }, (s) => s.episodic.maxItems, 50],
      [{ episodicItems: 60 }, (s) => s.episodic.maxItems, 60],
      [{ semanticSize: 'small' }, (s) => s.semantic.maxBytes, 256 * MB],
      [{ semantic: 'Medium' }, (s) => s.semantic.maxBytes, GB],
    ];
    for (const [options, pick, expected] of cases) expect([options, pick(Memory(options).spec)]).toEqual([options, expected]);
  });

  it('accepts sizes with any unit case, a space, binary units and decimals; durations in ms..weeks', () => {
    expect(Memory({ semantic_size: '10 gb' }).spec.semantic.maxBytes).toBe(10 * GB);
    expect(Memory({ semantic_size: '64KiB' }).spec.semantic.maxBytes).toBe(64 * 1024);
    expect(Memory({ semantic_size: '2TB' }).spec.semantic.maxBytes).toBe(2048 * GB);
    expect(Memory({ semantic_size: '100B' }).spec.semantic.maxBytes).toBe(100);
    expect(Memory({ episodic_ttl: '1.5h' }).spec.episodic.ttlMs).toBe(90 * MIN);
    expect(Memory({ episodic_ttl: '2w' }).spec.episodic.ttlMs).toBe(14 * DAY);
    expect(Memory({ episodic_ttl: '250ms' }).spec.episodic.ttlMs).toBe(250);
  });

  it('names an unknown field, suggests the closest one, and lists what is allowed', () => {
    const [v] = violationsOf(() => Memory({ semantic_sise: '10GB' } as MemoryOptions));
    expect(v?.field).toBe('semantic_sise');
    expect(v?.rule).toMatch(/^unknown field \(did you mean "semantic_size"\?\); allowed: short_term, short_term_items, .*semantic_size \(or their camelCase forms\)$/);
    expect(violationsOf(() => Memory({ zzzzzzzzzz: 1 } as MemoryOptions))[0]?.rule).toMatch(/^unknown field; allowed:/);
  });

  it('refuses a bad unit, a bare number, a negative, zero and a non-number, naming field and rule', () => {
    expect(violationsOf(() => Memory({ semantic_size: '10GiGa' }))).toEqual([{ field: 'semantic_size', rule: 'must be a size like "512MB", "1.5GB", "10GB" (units B, KB, MB, GB, TB) or one of small, medium, large, got "10GiGa"' }]);
    expect(violationsOf(() => Memory({ semantic: 'huge' }))[0]?.rule).toMatch(/or one of small, medium, large, got "huge"$/);
    expect(violationsOf(() => Memory({ semantic_size: 1024 as unknown as string }))[0]?.rule).toMatch(/a bare number has no unit, got 1024$/);
    expect(violationsOf(() => Memory({ episodic_ttl: '7 days' }))).toEqual([{ field: 'episodic_ttl', rule: 'must be a duration like "7d", "12h", "60m", "30s" (units ms, s, m, h, d, w), got "7 days"' }]);
    expect(violationsOf(() => Memory({ episodic: 7 as unknown as string }))[0]?.rule).toMatch(/a bare number has no unit, got 7$/);
    expect(violationsOf(() => Memory({ episodic_ttl: '0s' }))[0]?.rule).toBe('must be longer than 0, got "0s"');
    expect(violationsOf(() => Memory({ semantic_size: '0MB' }))[0]?.rule).toBe('must be more than 0 bytes, got "0MB"');
    expect(violationsOf(() => Memory({ max_short_term_items: -5 }))).toEqual([{ field: 'max_short_term_items', rule: 'must not be negative, got -5' }]);
    expect(violationsOf(() => Memory({ max_short_term_items: 2.5 }))[0]?.rule).toBe('must be a whole number of items, at least 1, got 2.5');
    expect(violationsOf(() => Memory({ short_term: 0 }))[0]?.rule).toBe('must be a whole number of items, at least 1, got 0');
    expect(violationsOf(() => Memory({ max_long_term_mb: -1 }))[0]?.rule).toBe('must not be negative, got -1');
    expect(violationsOf(() => Memory({ max_long_term_mb: 0 }))[0]?.rule).toBe('must be more than 0 MB');
    expect(violationsOf(() => Memory({ ttl_minutes: '60' as unknown as number }))[0]?.rule).toBe('must be a number of minutes, got "60"');
  });

  it('refuses one limit given twice (any spellings), and reports every problem at once', () => {
    expect(violationsOf(() => Memory({ semantic: 'large', semantic_size: '1GB' }))).toEqual([{ field: 'semantic_size', rule: 'sets the same limit as "semantic" (semantic.maxBytes); give it once' }]);
    expect(violationsOf(() => Memory({ ttl_minutes: 5, shortTermTtl: '5m' }))[0]?.rule).toMatch(/same limit as "ttl_minutes"/);
    const all = violationsOf(() => Memory({ semantic_sise: '1GB', episodic: 'soon', short_term: -1 } as MemoryOptions));
    expect(all.map((v) => v.field)).toEqual(['semantic_sise', 'episodic', 'short_term']);
  });

  it('refuses options that are not an object, and says what replaced memory kinds', () => {
    expect(violationsOf(() => Memory('large' as unknown as MemoryOptions))).toEqual([{ field: '(options)', rule: `must be an object like { semantic_size: '10GB', episodic_ttl: '7d' }, got "large"` }]);
    expect(violationsOf(() => memorySpecOf({ kind: 'run' }, 'memory'))[0]).toMatchObject({ field: 'kind', rule: expect.stringMatching(/memory kinds are no longer chosen.*Memory\(\{\.\.\.\}\)/) });
  });

  it('names the call in the error message', () => {
    expect(() => Memory({ episodic: 'x' })).toThrow('Memory(...) is invalid: episodic: must be a duration');
  });

  it('parses each option set once and freezes the spec (a class field runs Memory on every step)', () => {
    const a = Memory({ semantic: 'large' });
    const b = Memory({ semantic: 'large' });
    expect(a).not.toBe(b);
    expect(a.spec).toBe(b.spec);
    expect(Object.isFrozen(a.spec.semantic)).toBe(true);
  });

  it('stands in for this.memory outside a step, and says so when used', async () => {
    const declared = Memory();
    await expect(declared.get('k')).rejects.toThrow('this.memory is only available inside process()');
    await expect(declared.set('k', 1)).rejects.toThrow('only available inside process()');
    expect(() => declared.semantic).toThrow('only available inside process()');
    expect(() => declared.shortTerm).toThrow('only available inside process()');
  });
});

describe('memory presets', () => {
  it("gives the plan's analyst 10 GB long-term and the coordinator 1,000 short-term items, the rest default", () => {
    expect(AnalystMemory().spec).toEqual({ ...MEMORY_DEFAULTS, longTerm: { maxBytes: 10 * GB } });
    expect(CoordinatorMemory().spec).toEqual({ ...MEMORY_DEFAULTS, shortTerm: { maxItems: 1000, ttlMs: 60 * MIN } });
    expect(AnalystMemory.presetName).toBe('AnalystMemory');
    expect(AnalystMemory.spec).toEqual(AnalystMemory().spec);
  });

  it('takes overrides: a limit given replaces the preset\'s whatever the spelling, others stay', () => {
    const spec = AnalystMemory({ long_term: '20GB', episodic: '7d' }).spec;
    expect(spec.longTerm.maxBytes).toBe(20 * GB);
    expect(spec.episodic.ttlMs).toBe(7 * DAY);
    expect(spec.shortTerm).toEqual(MEMORY_DEFAULTS.shortTerm);
  });

  it('defines a preset, validating it at definition and its overrides at use, naming the preset', () => {
    const Curator = definePreset('CuratorMemory', { semantic: 'large', episodic_items: 50_000 });
    expect(Curator().spec).toMatchObject({ semantic: { maxBytes: 10 * GB }, episodic: { maxItems: 50_000 } });
    expect(Curator({ semantic: 'small' }).spec.semantic.maxBytes).toBe(256 * MB);
    expect(() => Curator({ semantic: 'tiny' })).toThrow(/^CuratorMemory\(\.\.\.\) is invalid: semantic: must be a size/);
    expect(() => definePreset('Bad', { episodic: 'soon' })).toThrow(/^definePreset\("Bad", \.\.\.\) is invalid: episodic: must be a duration/);
    expect(violationsOf(() => definePreset('not a name', {}))).toEqual([{ field: 'name', rule: 'must be an identifier like "AnalystMemory", got "not a name"' }]);
  });
});
