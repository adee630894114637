import { ValidationError } from '@weaver/errors';
import { Agent, agent, ToolDeniedError, ToolFailedError, Workflow, z, type AgentEvent, type Input, type WorkflowRunner } from './index';
import { testAgent } from './testing';

const Order = z.object({ id: z.string().min(1), amount: z.number().positive(), currency: z.string().default('EUR') });
const Receipt = z.object({ id: z.string(), total: z.string() });

@agent({ name: 'cashier', requires: ['order.placed'], publishes: ['order.paid', 'order.flagged'], input: Order, output: Receipt, tools: ['ledger/*'] })
class Cashier extends Agent<typeof Order, typeof Receipt> {
  override canProcess(event: AgentEvent<Input<this>>): boolean {
    return event.payload.id !== 'skip-me';
  }
  async process({ id, amount, currency }: Input<this>) {
    if (amount > 1000) this.publish('order.flagged', { id });
    if (id === 'bad-publish') this.publish('order.lost', { id });
    if (id === 'book') await this.tools.call('ledger/book', { id });
    if (id === 'audit') await this.tools.call('audit/log', { id });
    const { text } = await this.llm.generate({ prompt: `format ${amount} ${currency}` });
    return { id, total: id === 'bad-output' ? (amount as unknown as string) : text };
  }
}

describe('testAgent', () => {
  it('returns the output, the publishes and the model calls, with the schema defaults applied', async () => {
    const run = await testAgent(Cashier, { id: 'o-1', amount: 1200 }, { llm: (r) => `${r.prompt} ok` });
    expect(run).toEqual({
      declined: false,
      output: { id: 'o-1', total: 'format 1200 EUR ok' },
      published: [{ type: 'order.flagged', payload: { id: 'o-1' } }],
      llmCalls: [{ method: 'generate', request: { prompt: 'format 1200 EUR' } }],
    });
  });

  it('refuses input that fails the input schema, naming the field and rule, before process runs', async () => {
    const calls: string[] = [];
    const err = await testAgent(Cashier, { id: '', amount: -1 }, { llm: (r) => (calls.push(r.prompt ?? ''), 'x') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).violations.map((v) => v.field)).toEqual(['input.id', 'input.amount']);
    expect(calls).toEqual([]);
  });

  it('refuses an output that fails the output schema', async () => {
    const err = await testAgent(Cashier, { id: 'bad-output', amount: 3 }, { llm: () => 'x' }).catch((e: unknown) => e);
    expect((err as ValidationError).violations).toEqual([{ field: 'output.total', rule: expect.stringMatching(/string/) }]);
  });

  it('asks canProcess first: a declined event runs nothing', async () => {
    expect(await testAgent(Cashier, { id: 'skip-me', amount: 3 })).toEqual({ declined: true, output: undefined, published: [], llmCalls: [] });
  });

  it('refuses a publish of a type the agent does not declare, as the runtime does', async () => {
    await expect(testAgent(Cashier, { id: 'bad-publish', amount: 3 }, { llm: () => 'x' })).rejects.toThrow(/"order.lost" is not among the agent's publishes \(order.paid, order.flagged\)/);
  });

  it('gives the agent only the fake tools it is granted', async () => {
    const booked: unknown[] = [];
    const tools = { 'ledger/book': (args: Record<string, unknown>) => (booked.push(args), { content: [{ type: 'text', text: 'booked' }] }), 'audit/log': () => ({ content: [] }) };
    await testAgent(Cashier, { id: 'book', amount: 3 }, { llm: () => 'x', tools });
    expect(booked).toEqual([{ id: 'book' }]);
    await expect(testAgent(Cashier, { id: 'audit', amount: 3 }, { llm: () => 'x', tools })).rejects.toBeInstanceOf(ToolDeniedError);
    const failing = { 'ledger/book': () => ({ content: [{ type: 'text', text: 'ledger closed' }], isError: true }) };
    await expect(testAgent(Cashier, { id: 'book', amount: 3 }, { llm: () => 'x', tools: failing })).rejects.toEqual(expect.any(ToolFailedError));
  });

  it('says how to give a model when the agent calls one without it', async () => {
    await expect(testAgent(Cashier, { id: 'o-2', amount: 3 })).rejects.toThrow('testAgent: the agent called the model; pass one');
  });

  it('types the input from the schema (checked by the type-check, not at run time)', async () => {
    // @ts-expect-error amount must be a number, as Order says
    await expect(testAgent(Cashier, { id: 'o-3', amount: 'three' })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('Workflow typing', () => {
  @agent({ name: 'receipt-printer', requires: ['order.paid'], publishes: ['receipt.printed'], input: Receipt })
  class Printer extends Agent<typeof Receipt, z.ZodString> {
    async process({ id, total }: Input<this>) {
      return `${id}: ${total}`;
    }
  }
  const runner: WorkflowRunner = { run: async (_workflow, input) => `printed ${JSON.stringify(input)}` };

  it('takes the entry agent\'s input and resolves with the exit agent\'s result', async () => {
    const shop = new Workflow('shop').addAgents(Cashier, Printer);
    const printed: string = await shop.run({ id: 'o-9', amount: 5 }, { runner });
    expect(printed).toBe('printed {"id":"o-9","amount":5}');
    // @ts-expect-error the entry agent's schema needs an amount
    await shop.run({ id: 'o-9' }, { runner });
  });

  it('refuses an order that would make those types lie', () => {
    expect(() => new Workflow('shop').addAgents(Printer, Cashier)).toThrow('workflow "shop": list the entry agent first: "receipt-printer" does not consume the run\'s input ("order.placed"); list an exit agent last: the run does not end with "cashier" (exit agents: "receipt-printer")');
  });
});
