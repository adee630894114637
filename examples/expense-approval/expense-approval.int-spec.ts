import { ExampleStack } from '../test/example-stack';
import { expenseApproval } from './workflow';

describe('expense-approval example (human in the loop as a join) on the real broker and database', () => {
  const stack = new ExampleStack();
  beforeAll(() => stack.start([expenseApproval]));
  afterAll(() => stack.stop());

  it('approves a small expense by policy, with no person involved', async () => {
    const outcome = await expenseApproval.run({ employee: 'ana', amountUsd: 42, purpose: 'taxi' }, { runner: stack.runner });
    expect(outcome).toEqual({ employee: 'ana', amountUsd: 42, status: 'paid', decidedBy: 'policy:auto' });
  });

  it('waits for a person on a large expense, then settles on their decision', async () => {
    const runId = await stack.trigger('expense-approval', { employee: 'bo', amountUsd: 1800, purpose: 'conference' });
    await stack.notice((n) => n.runId === runId && n.kind === 'step.completed' && n.step === 'expense-checker');
    // The checker is done and the run is still running: it waits for the decision, nothing else happens.
    expect((await stack.store.getRun(stack.tenantId, runId))?.status).toBe('running');
    await stack.emit(runId, 'expense-approval', 'expense.decided', { approved: false, by: 'manager:carla', comment: 'use the online pass' }, 'approval-screen');
    const run = await stack.finished(runId);
    expect(run).toMatchObject({ status: 'completed', result: { employee: 'bo', amountUsd: 1800, status: 'rejected', decidedBy: 'manager:carla' } });
    expect(run.steps.map((s) => s.step)).toEqual(['expense-checker', 'expense-payer']);
  });

  it('refuses a decision without who made it, naming the field; the run fails at the payer', async () => {
    const runId = await stack.trigger('expense-approval', { employee: 'cy', amountUsd: 500, purpose: 'hotel' });
    // As the approval screen does: decide on an expense once it is waiting for a decision.
    await stack.notice((n) => n.runId === runId && n.kind === 'step.completed' && n.step === 'expense-checker');
    await stack.emit(runId, 'expense-approval', 'expense.decided', { approved: true }, 'approval-screen');
    const run = await stack.finished(runId);
    expect(run).toMatchObject({ status: 'failed', failedStep: 'expense-payer' });
    expect(run.error).toContain('input.expense.decided.by: Invalid input: expected string, received undefined');
  });
});
