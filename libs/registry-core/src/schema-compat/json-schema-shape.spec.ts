import { z } from 'zod';
import { jsonSchemaViolations } from './json-schema-shape';

describe('jsonSchemaViolations', () => {
  it('accepts what zod emits', () => {
    const schema = z.object({ a: z.string().email(), b: z.array(z.tuple([z.number().int(), z.boolean()])).nullable(), c: z.record(z.string(), z.enum(['x'])) });
    expect(jsonSchemaViolations(z.toJSONSchema(schema), 'inputSchema')).toEqual([]);
    expect(jsonSchemaViolations(true, 'inputSchema')).toEqual([]);
  });

  it.each([
    ['not a schema', 'x', [{ field: 'inputSchema', rule: 'must be a JSON Schema (an object or a boolean)' }]],
    ['unknown type', { type: 'obj' }, [{ field: 'inputSchema.type', rule: 'must be one of string, number, integer, boolean, null, object, array or a non-empty array of them' }]],
    ['nested bad property', { properties: { email: { type: 5 } } }, [{ field: 'inputSchema.properties.email.type', rule: expect.stringMatching(/^must be one of/) }]],
    ['required not strings', { required: [1] }, [{ field: 'inputSchema.required', rule: 'must be an array of property names' }]],
    ['empty anyOf', { anyOf: [] }, [{ field: 'inputSchema.anyOf', rule: 'must be a non-empty array of schemas' }]],
    ['bad pattern', { type: 'string', pattern: '([a-' }, [{ field: 'inputSchema.pattern', rule: 'must be a valid regular expression' }]],
    ['negative length', { minLength: -1 }, [{ field: 'inputSchema.minLength', rule: 'must be a non-negative integer' }]],
    ['tuple item not a schema', { items: [{ type: 'string' }, 3] }, [{ field: 'inputSchema.items[1]', rule: 'must be a JSON Schema (an object or a boolean)' }]],
    ['zero multipleOf', { multipleOf: 0 }, [{ field: 'inputSchema.multipleOf', rule: 'must be greater than 0' }]],
  ])('%s', (_name, document, expected) => {
    expect(jsonSchemaViolations(document, 'inputSchema')).toEqual(expected);
  });

  it('refuses documents nested deeper than the limit', () => {
    let deep: object = { type: 'string' };
    for (let i = 0; i < 70; i++) deep = { type: 'array', items: deep };
    expect(jsonSchemaViolations(deep, 's')).toEqual([{ field: expect.stringMatching(/^s(\.items){65}$/), rule: 'must nest at most 64 levels deep' }]);
  });
});
