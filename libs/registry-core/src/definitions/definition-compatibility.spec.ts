import { z } from 'zod';
import type { JsonSchema } from '../schema-compat/json-schema';
import { definitionIncompatibilities } from './definition-compatibility';
import { IncompatibleSchemaError } from './incompatible-schema.error';

const input = (s: z.ZodType): JsonSchema => z.toJSONSchema(s, { io: 'input' }) as JsonSchema;
const output = (s: z.ZodType): JsonSchema => z.toJSONSchema(s, { io: 'output' }) as JsonSchema;

const article = z.object({ url: z.string(), text: z.string() });
const summary = z.object({ url: z.string(), summary: z.string(), words: z.number().int() });

const summarizer = (version: string, inSchema: z.ZodType, outSchema: z.ZodType) => ({
  name: 'summarizer',
  version,
  requires: ['article.fetched'],
  publishes: ['article.summarized'],
  inputSchema: input(inSchema),
  outputSchema: output(outSchema),
});
const indexer = {
  name: 'indexer',
  version: '2.1.0',
  requires: ['article.summarized'],
  publishes: [],
  inputSchema: input(z.object({ url: z.string(), summary: z.string() })),
  outputSchema: true,
};
const unrelated = { ...indexer, name: 'auditor', requires: ['other.event'], inputSchema: input(z.object({ x: z.string() })) };

describe('definitionIncompatibilities', () => {
  it('accepts a compatible new version', () => {
    const v1 = summarizer('1.0.0', article, summary);
    const v2 = summarizer('1.1.0', article.extend({ lang: z.string().optional() }), summary.extend({ lang: z.string() }));
    expect(definitionIncompatibilities(v2, v1, [indexer, unrelated])).toEqual([]);
  });

  it('refuses a new required input field (BACKWARD) and names the previous version', () => {
    const v1 = summarizer('1.0.0', article, summary);
    const v2 = summarizer('2.0.0', article.extend({ lang: z.string() }), summary);
    expect(definitionIncompatibilities(v2, v1, [indexer])).toEqual([
      {
        field: 'inputSchema.lang',
        rule: 'required-added',
        message: 'summarizer 2.0.0 input requires "lang" (with no default) but it is absent from summarizer 1.0.0 input',
        check: 'BACKWARD',
        against: 'summarizer 1.0.0',
      },
    ]);
  });

  it('refuses an output that drops a field a consumer requires (FORWARD), even for a first version', () => {
    const v1 = summarizer('1.0.0', article, summary.omit({ summary: true }));
    expect(definitionIncompatibilities(v1, undefined, [indexer, unrelated])).toEqual([
      expect.objectContaining({ field: 'outputSchema.summary', rule: 'required-added', check: 'FORWARD', against: 'consumer indexer 2.1.0 (article.summarized)' }),
    ]);
  });

  it('checks a self-consuming agent against its own new input', () => {
    const loop = { ...summarizer('1.0.0', summary, summary.extend({ words: z.string() })), requires: ['article.summarized'] };
    expect(definitionIncompatibilities(loop, undefined, [])).toEqual([expect.objectContaining({ field: 'outputSchema.words', rule: 'type-narrowed', against: 'consumer summarizer 1.0.0 (article.summarized)' })]);
  });

  it('builds a refusal that names agent, version, field path and rule', () => {
    const v1 = summarizer('1.0.0', article, summary);
    const v3 = summarizer('3.0.0', article.extend({ text: z.number() }), summary);
    const error = new IncompatibleSchemaError('summarizer', '3.0.0', definitionIncompatibilities(v3, v1, []));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.violations).toEqual([{ field: 'inputSchema.text', rule: 'type-narrowed (BACKWARD against summarizer 1.0.0): summarizer 1.0.0 input allows string but summarizer 3.0.0 input accepts only number' }]);
    expect(error.message).toBe(
      'agent "summarizer" version 3.0.0 refused, its schemas are incompatible: inputSchema.text: type-narrowed (BACKWARD against summarizer 1.0.0): summarizer 1.0.0 input allows string but summarizer 3.0.0 input accepts only number',
    );
  });
});
