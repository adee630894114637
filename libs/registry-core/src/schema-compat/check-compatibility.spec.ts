import { z } from 'zod';
import { findIncompatibilities } from './check-compatibility';
import type { JsonSchema } from './json-schema';
import type { CompatibilityRule } from './schema-violation';

const input = (s: z.ZodType): JsonSchema => z.toJSONSchema(s, { io: 'input' }) as JsonSchema;
const output = (s: z.ZodType): JsonSchema => z.toJSONSchema(s, { io: 'output' }) as JsonSchema;
const backward = { writer: 'v1 input', reader: 'v2 input' };

type Expect = ReadonlyArray<readonly [path: string, rule: CompatibilityRule]>;
interface Case {
  readonly name: string;
  readonly writer: JsonSchema;
  readonly reader: JsonSchema;
  readonly expected: Expect;
}

function pairs(writer: JsonSchema, reader: JsonSchema): Expect {
  return findIncompatibilities(writer, reader, backward).map((v) => [v.path, v.rule] as const);
}

const base = z.object({ id: z.string(), count: z.number().int(), kind: z.enum(['a', 'b']) });

type Node = { v: number; next?: Node };
const recursive = (value: z.ZodType): z.ZodType<Node> => {
  const node: z.ZodType<Node> = z.object({ v: value, get next() { return node.optional(); } }) as z.ZodType<Node>;
  return node;
};

// BACKWARD: the writer is the old input schema, the reader the new one.
const backwardCases: Case[] = [
  { name: 'identical schemas', writer: input(base), reader: input(base), expected: [] },
  { name: 'optional field added (open model)', writer: input(base), reader: input(base.extend({ note: z.string().optional() })), expected: [] },
  { name: 'optional field added (closed model)', writer: output(base), reader: output(base.extend({ note: z.string().optional() })), expected: [] },
  { name: 'required field added with a default (input io)', writer: input(base), reader: input(base.extend({ lang: z.string().default('en') })), expected: [] },
  { name: 'required field added with a default (output io lists it required)', writer: output(base), reader: output(base.extend({ lang: z.string().default('en') })), expected: [] },
  { name: 'field removed from an open model', writer: input(base), reader: input(base.omit({ kind: true })), expected: [] },
  { name: 'integer widened to number', writer: input(base), reader: input(base.extend({ count: z.number() })), expected: [] },
  { name: 'string widened to nullable', writer: input(base), reader: input(base.extend({ id: z.string().nullable() })), expected: [] },
  { name: 'enum value added', writer: input(base), reader: input(base.extend({ kind: z.enum(['a', 'b', 'c']) })), expected: [] },
  { name: 'enum widened to string', writer: input(base), reader: input(base.extend({ kind: z.string() })), expected: [] },
  { name: 'required made optional', writer: input(base), reader: input(base.partial({ id: true })), expected: [] },
  { name: 'minLength relaxed', writer: input(z.object({ s: z.string().min(5) })), reader: input(z.object({ s: z.string().min(2) })), expected: [] },
  { name: 'string widened to a union', writer: input(base), reader: input(base.extend({ id: z.union([z.string(), z.number()]) })), expected: [] },
  { name: 'union of objects widened', writer: input(z.object({ u: z.union([z.object({ a: z.string() }), z.object({ b: z.number() })]) })), reader: input(z.object({ u: z.union([z.object({ a: z.string() }), z.object({ b: z.number() }), z.object({ c: z.boolean() })]) })), expected: [] },
  { name: 'record values widened', writer: input(z.object({ m: z.record(z.string(), z.number().int()) })), reader: input(z.object({ m: z.record(z.string(), z.number()) })), expected: [] },
  { name: 'tuple kept, array items widened', writer: input(z.object({ p: z.tuple([z.string(), z.number()]), t: z.array(z.literal('x')) })), reader: input(z.object({ p: z.tuple([z.string(), z.number()]), t: z.array(z.string()) })), expected: [] },
  { name: 'only descriptions changed', writer: input(base), reader: input(base.extend({ id: z.string().describe('the id') })), expected: [] },
  { name: 'recursive schema unchanged', writer: input(recursive(z.number())), reader: input(recursive(z.number())), expected: [] },
  { name: 'recursive schema widened', writer: input(recursive(z.number().int())), reader: input(recursive(z.number())), expected: [] },
  { name: 'literal kept inside its enum', writer: input(z.object({ k: z.literal('a') })), reader: input(z.object({ k: z.enum(['a', 'b']) })), expected: [] },
  { name: 'writer enum values all satisfy reader length', writer: input(z.object({ k: z.enum(['ab', 'cd']) })), reader: input(z.object({ k: z.string().min(2) })), expected: [] },
  { name: 'bounds relaxed', writer: input(z.object({ n: z.number().gt(0).lte(10) })), reader: input(z.object({ n: z.number().gte(0) })), expected: [] },
  { name: 'multipleOf a multiple', writer: { type: 'number', multipleOf: 4 }, reader: { type: 'number', multipleOf: 2 }, expected: [] },
  { name: 'boolean true reader', writer: { type: 'string' }, reader: true, expected: [] },
  { name: 'boolean false writer', writer: false, reader: { type: 'string' }, expected: [] },

  { name: 'required field added without default', writer: input(base), reader: input(base.extend({ email: z.string() })), expected: [['email', 'required-added']] },
  { name: 'optional made required', writer: input(base.extend({ note: z.string().optional() })), reader: input(base.extend({ note: z.string() })), expected: [['note', 'required-added']] },
  { name: 'number narrowed to integer', writer: input(base.extend({ count: z.number() })), reader: input(base), expected: [['count', 'type-narrowed']] },
  { name: 'string changed to number', writer: input(base), reader: input(base.extend({ id: z.number() })), expected: [['id', 'type-narrowed']] },
  { name: 'enum value removed', writer: input(base), reader: input(base.extend({ kind: z.enum(['a']) })), expected: [['kind', 'enum-narrowed']] },
  { name: 'string narrowed to enum', writer: input(base.extend({ kind: z.string() })), reader: input(base), expected: [['kind', 'enum-narrowed']] },
  { name: 'const changed', writer: input(z.object({ k: z.literal('a') })), reader: input(z.object({ k: z.literal('b') })), expected: [['k', 'enum-narrowed']] },
  { name: 'nullable made non-null', writer: input(base.extend({ id: z.string().nullable() })), reader: input(base), expected: [['id', 'type-narrowed']] },
  {
    name: 'nested field type changed',
    writer: input(z.object({ customer: z.object({ address: z.object({ zip: z.string() }) }) })),
    reader: input(z.object({ customer: z.object({ address: z.object({ zip: z.number() }) }) })),
    expected: [['customer.address.zip', 'type-narrowed']],
  },
  { name: 'array item type changed', writer: input(z.object({ tags: z.array(z.string()) })), reader: input(z.object({ tags: z.array(z.number()) })), expected: [['tags[]', 'type-narrowed']] },
  { name: 'tuple element narrowed', writer: input(z.object({ pair: z.tuple([z.string(), z.number()]) })), reader: input(z.object({ pair: z.tuple([z.string(), z.boolean()]) })), expected: [['pair[1]', 'type-narrowed']] },
  { name: 'property removed from a closed model', writer: output(base), reader: output(base.omit({ kind: true })), expected: [['kind', 'property-removed-from-closed-model']] },
  { name: 'open model closed', writer: input(z.looseObject({ a: z.string() })), reader: input(z.strictObject({ a: z.string() })), expected: [['(root)', 'additional-properties-closed']] },
  { name: 'minLength tightened', writer: input(z.object({ s: z.string().min(2) })), reader: input(z.object({ s: z.string().min(5) })), expected: [['s', 'constraint-tightened']] },
  { name: 'integer bounds tightened', writer: input(z.object({ n: z.number().int() })), reader: input(z.object({ n: z.number().int().min(1) })), expected: [['n', 'constraint-tightened']] },
  { name: 'maximum tightened', writer: input(z.object({ n: z.number().max(10) })), reader: input(z.object({ n: z.number().max(5) })), expected: [['n', 'constraint-tightened']] },
  { name: 'inclusive minimum made exclusive', writer: input(z.object({ n: z.number().gte(0) })), reader: input(z.object({ n: z.number().gt(0) })), expected: [['n', 'constraint-tightened']] },
  { name: 'draft-4 boolean exclusiveMinimum', writer: { type: 'number', minimum: 0 }, reader: { type: 'number', minimum: 0, exclusiveMinimum: true }, expected: [['(root)', 'constraint-tightened']] },
  { name: 'pattern added', writer: input(z.object({ s: z.string() })), reader: input(z.object({ s: z.string().regex(/^[a-z]+$/) })), expected: [['s', 'constraint-tightened']] },
  { name: 'format added', writer: input(z.object({ s: z.string() })), reader: { type: 'object', properties: { s: { type: 'string', format: 'uuid' } } }, expected: [['s', 'constraint-tightened']] },
  { name: 'union alternative removed', writer: input(z.object({ u: z.union([z.string(), z.number()]) })), reader: input(z.object({ u: z.string() })), expected: [['u', 'type-narrowed']] },
  {
    name: 'discriminated union branch removed',
    writer: input(z.object({ e: z.discriminatedUnion('t', [z.object({ t: z.literal('a') }), z.object({ t: z.literal('b') })]) })),
    reader: input(z.object({ e: z.discriminatedUnion('t', [z.object({ t: z.literal('a') })]) })),
    expected: [['e.t', 'enum-narrowed']],
  },
  {
    name: 'object branch of a reader union narrowed',
    writer: input(z.object({ u: z.union([z.object({ a: z.string() }), z.number()]) })),
    reader: input(z.object({ u: z.union([z.object({ a: z.number() }), z.number()]) })),
    expected: [['u.a', 'type-narrowed']],
  },
  { name: 'boolean value no alternative takes', writer: { anyOf: [{ type: 'string' }, { type: 'boolean' }] }, reader: { anyOf: [{ type: 'string' }, { type: 'number' }] }, expected: [['(root)', 'union-branch-unmatched']] },
  { name: 'record values narrowed', writer: input(z.object({ scores: z.record(z.string(), z.number()) })), reader: input(z.object({ scores: z.record(z.string(), z.number().int()) })), expected: [['scores.*', 'type-narrowed']] },
  { name: 'recursive schema narrowed', writer: input(recursive(z.number())), reader: input(recursive(z.string() as unknown as z.ZodNumber)), expected: [['v', 'type-narrowed']] },
  { name: 'reader uses an unsupported keyword', writer: { type: 'object' }, reader: { type: 'object', not: { required: ['x'] } }, expected: [['(root)', 'unsupported-keyword']] },
  { name: 'multipleOf added', writer: { type: 'number' }, reader: { type: 'number', multipleOf: 2 }, expected: [['(root)', 'constraint-tightened']] },
  { name: 'uniqueItems added', writer: { type: 'array' }, reader: { type: 'array', uniqueItems: true }, expected: [['(root)', 'constraint-tightened']] },
  { name: 'any value narrowed to string', writer: input(z.object({ x: z.unknown() })), reader: input(z.object({ x: z.string() })), expected: [['x', 'type-narrowed']] },
  { name: 'writer enum value fails reader pattern', writer: { enum: ['ok', 'NO'] }, reader: { type: 'string', pattern: '^[a-z]+$' }, expected: [['(root)', 'constraint-tightened']] },
  { name: 'dangling reader $ref', writer: { type: 'object' }, reader: { $ref: '#/$defs/missing' }, expected: [['(root)', 'unresolvable-ref']] },
  {
    name: '$defs refs compared through both roots',
    writer: { type: 'object', properties: { a: { $ref: '#/$defs/A' } }, $defs: { A: { type: 'string' } } },
    reader: { type: 'object', properties: { a: { $ref: '#/$defs/A' } }, $defs: { A: { type: 'number' } } },
    expected: [['a', 'type-narrowed']],
  },
  { name: 'false reader', writer: { type: 'string' }, reader: false, expected: [['(root)', 'type-narrowed']] },
];

describe('findIncompatibilities (BACKWARD: old input read by new input)', () => {
  it.each(backwardCases)('$name', ({ writer, reader, expected }) => {
    expect(pairs(writer, reader)).toEqual(expected);
  });
});

// FORWARD for consumers: the writer is a producer's new output, the reader a consumer's input.
const consumerInput = input(z.object({ title: z.string(), words: z.number().int(), lang: z.enum(['en', 'de']).optional(), meta: z.object({ source: z.string() }) }));
const producerV1 = z.object({ title: z.string(), words: z.number().int(), lang: z.enum(['en', 'de']), meta: z.object({ source: z.string() }) });

const forwardCases: Case[] = [
  { name: 'producer adds a field', writer: output(producerV1.extend({ extra: z.boolean() })), reader: consumerInput, expected: [] },
  { name: 'producer drops a field the consumer only reads optionally', writer: output(producerV1.omit({ lang: true })), reader: consumerInput, expected: [] },
  { name: 'producer narrows an enum the consumer reads', writer: output(producerV1.extend({ lang: z.literal('en') })), reader: consumerInput, expected: [] },
  { name: 'producer removes a field the consumer requires', writer: output(producerV1.omit({ title: true })), reader: consumerInput, expected: [['title', 'required-added']] },
  { name: 'producer makes a required field optional', writer: output(producerV1.extend({ words: z.number().int().optional() })), reader: consumerInput, expected: [['words', 'required-added']] },
  { name: 'producer changes a field type', writer: output(producerV1.extend({ title: z.number() })), reader: consumerInput, expected: [['title', 'type-narrowed']] },
  { name: 'producer widens integer to number', writer: output(producerV1.extend({ words: z.number() })), reader: consumerInput, expected: [['words', 'type-narrowed']] },
  { name: 'producer adds an enum value consumers do not know', writer: output(producerV1.extend({ lang: z.enum(['en', 'de', 'fr']) })), reader: consumerInput, expected: [['lang', 'enum-narrowed']] },
  { name: 'producer changes a nested field', writer: output(producerV1.extend({ meta: z.object({ source: z.array(z.string()) }) })), reader: consumerInput, expected: [['meta.source', 'type-narrowed']] },
];

describe('findIncompatibilities (FORWARD: new output read by consumer input)', () => {
  it.each(forwardCases)('$name', ({ writer, reader, expected }) => {
    expect(pairs(writer, reader)).toEqual(expected);
  });
});

describe('violation messages', () => {
  it('say which side allows what, in the caller\'s labels', () => {
    const [v] = findIncompatibilities(input(base), input(base.extend({ kind: z.enum(['a']) })), backward);
    expect(v).toEqual({ path: 'kind', rule: 'enum-narrowed', message: 'v1 input allows "b", which v2 input no longer accepts' });
  });

  it('name the required field and that it has no default', () => {
    const [v] = findIncompatibilities(output(producerV1.omit({ title: true })), consumerInput, { writer: 'summarizer 2.0.0 output', reader: 'consumer indexer 1.0.0 input' });
    expect(v?.message).toBe('consumer indexer 1.0.0 input requires "title" (with no default) but it is absent from summarizer 2.0.0 output');
  });

  it('quote property names that are not identifiers', () => {
    const w = { type: 'object', properties: { 'a-b': { type: 'string' } } };
    const r = { type: 'object', properties: { 'a-b': { type: 'number' } } };
    expect(pairs(w, r)).toEqual([['"a-b"', 'type-narrowed']]);
  });
});
