import { ValidationError } from '@weaver/errors';
import { parseAgentDefinition } from './agent-definition';

const valid = {
  name: 'summarizer',
  version: '1.0.0',
  capabilities: ['summarise', 'summarise'],
  requires: ['article.fetched'],
  publishes: ['article.summarized'],
  inputSchema: { type: 'object' },
  outputSchema: true,
};

function violations(raw: unknown): string[] {
  try {
    parseAgentDefinition(raw);
  } catch (error) {
    if (error instanceof ValidationError) return error.violations.map((v) => `${v.field}: ${v.rule}`);
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('parseAgentDefinition', () => {
  it('fills defaults and de-duplicates lists', () => {
    expect(parseAgentDefinition(valid)).toEqual({
      ...valid,
      tenantId: null,
      description: '',
      capabilities: ['summarise'],
      maxConcurrency: 0,
      timeoutMs: 0,
    });
  });

  it('names every bad field and its rule', () => {
    expect(
      violations({ ...valid, name: 'Summ Arizer', version: '1.0', requires: ['Bad Type'], inputSchema: { type: 'obj' }, outputSchema: undefined, timeoutMs: -1 }),
    ).toEqual([
      'definition.name: must be 1-63 lower-case letters, digits or "-", starting with a letter',
      'definition.version: must be a semantic version MAJOR.MINOR.PATCH[-PRERELEASE], e.g. "1.2.0"',
      'definition.requires.0: must be lower-case words of letters and digits joined by ".", "_" or "-", at most 200 characters, or a pattern such as "content.*"',
      'definition.timeoutMs: must be >= 0',
      'definition.inputSchema.type: must be one of string, number, integer, boolean, null, object, array or a non-empty array of them',
      'definition.outputSchema: is required (use {} or true to accept any value)',
    ]);
  });

  it('refuses a non-object', () => {
    expect(violations('summarizer')).toEqual(['definition: must be an object']);
  });
});
