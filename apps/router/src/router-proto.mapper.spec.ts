import { toModelCall } from './router-proto.mapper';
// The agent runner's side of the same proto: what this.llm sends is what the router reads.
// eslint-disable-next-line @nx/enforce-module-boundaries -- another app's client, paired with this mapper
import { toRequest } from '../../agent-runner/src/router-llm.client';

const scope = { tenantId: '5b0a3a8e-4f0b-4e8c-9d7e-0c1f2a3b4c5d', runId: 'run-1', workflow: 'wf', agent: 'a', step: 's', classification: [] };

describe('this.llm requests through the router proto', () => {
  it('keeps a tool-use round intact both ways: tools, assistant tool calls, tool results with their call ids', () => {
    const call = { id: 'call_1', name: 'lookup', arguments: '{"q":"oslo"}' };
    const parameters = { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] };
    const wire = toRequest(scope, {
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: '', toolCalls: [call] },
        { role: 'tool', content: 'rain', toolCallId: 'call_1' },
      ],
      tools: [{ name: 'lookup', parameters }],
    }, 'k/1');
    const model = toModelCall(wire);
    expect(model.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'weather?' },
      { role: 'assistant', content: '', toolCalls: [call] },
      { role: 'tool', content: 'rain', toolCallId: 'call_1' },
    ]);
    expect(model.tools).toEqual([{ name: 'lookup', description: '', parameters }]);
    expect(model.idempotencyKey).toBe('k/1');
  });

  it('carries a structured-output schema as json_schema (implying JSON mode), and names a bad one', () => {
    const schema = { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] };
    const model = toModelCall(toRequest(scope, { prompt: 'x', jsonSchema: { name: 'summary', schema } }, 'k/2'));
    expect(model).toMatchObject({ jsonMode: true, jsonSchema: { name: 'summary', schema } });
    expect(toModelCall(toRequest(scope, { prompt: 'x' }, 'k/3')).jsonSchema).toBeUndefined();
    expect(() => toModelCall({ ...toRequest(scope, { prompt: 'x' }, 'k/4'), jsonSchema: '[1]' })).toThrow('json_schema: must be a JSON object (a JSON Schema)');
  });
});
