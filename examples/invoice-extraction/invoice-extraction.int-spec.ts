import type { LlmRequest, LlmResponse } from '@weaver/sdk';
import { llmClientFrom } from '@weaver/sdk/testing';
import { ExampleStack } from '../test/example-stack';
import { invoiceExtraction } from './workflow';

const answer = (text: string): LlmResponse => ({ text, toolCalls: [], model: 'scripted-extractor', usage: { inputTokens: 1, outputTokens: 1 }, costUsd: 0, replayed: false });

/**
 * A scripted extraction model that makes a typical first mistake (the total as a string with a
 * currency sign) and fixes it when told what was wrong; it never finds a due date in a body
 * without one.
 */
const requests: LlmRequest[] = [];
const extractor = llmClientFrom({
  generate: async (req) => {
    requests.push(req);
    const text = req.prompt ?? req.messages?.[0]?.content ?? '';
    const repaired = req.messages?.some((m) => m.content.includes('does not match the JSON Schema')) ?? false;
    const total = /total:? \$?([\d.]+)/i.exec(text)?.[1] ?? '0';
    return answer(JSON.stringify({
      vendor: /from (\w+)/i.exec(text)?.[1] ?? '',
      invoiceNumber: /(INV-\d+)/.exec(text)?.[1] ?? '',
      totalUsd: repaired ? Number(total) : `$${total}`,
      dueDate: /due (\d{4}-\d{2}-\d{2})/.exec(text)?.[1] ?? 'soon',
    }));
  },
});

describe('invoice-extraction example (structured output, validated and repaired) on the real broker and database', () => {
  const stack = new ExampleStack();
  beforeAll(() => stack.start([invoiceExtraction], { llm: extractor }));
  afterAll(() => stack.stop());

  it('extracts a typed invoice; the bad first answer is sent back once with the violation, then accepted', async () => {
    requests.length = 0;
    const booked = await invoiceExtraction.run({ from: 'billing@globex.test', body: 'Invoice INV-1042 from Globex. Total: $1250.50, due 2026-12-31.' }, { runner: stack.runner });
    expect(booked).toEqual({ vendor: 'Globex', invoiceNumber: 'INV-1042', totalUsd: 1250.5, dueDate: '2026-12-31', from: 'billing@globex.test' });
    expect(requests).toHaveLength(2);
    expect(requests[0]?.system).toContain('Answer with JSON only, matching this JSON Schema');
    expect(requests[1]?.messages?.at(-1)?.content).toContain('totalUsd: Invalid input: expected number, received string');
  });

  it('fails the step naming the field when the answer is still wrong after the repair', async () => {
    await expect(invoiceExtraction.run({ from: 'ap@initech.test', body: 'Invoice INV-7 from Initech. Total: 80.' }, { runner: stack.runner })).rejects.toMatchObject({
      step: 'invoice-extractor',
      reason: expect.stringContaining('dueDate: a YYYY-MM-DD date'),
    });
  });
});
