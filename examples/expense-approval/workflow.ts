import { Agent, agent, Workflow, z } from '@weaver/sdk';

const Expense = z.object({ employee: z.string().min(1), amountUsd: z.number().positive(), purpose: z.string().min(1) });
const Checked = Expense.extend({ policyNote: z.string() });
/** What a person decides on the approval screen (or what the checker decides for small amounts). */
export const Decision = z.object({ approved: z.boolean(), by: z.string().min(1), comment: z.string().default('') });
const Approval = z.object({ 'expense.checked': Checked, 'expense.decided': Decision });
const Outcome = z.object({ employee: z.string(), amountUsd: z.number(), status: z.enum(['paid', 'rejected']), decidedBy: z.string() });

/** Expenses up to this amount need no person. */
export const AUTO_APPROVE_UP_TO_USD = 100;

/**
 * Checks the expense against policy. Small ones it approves itself (it publishes the decision);
 * for the rest it publishes only the check, and the run waits — for hours if need be — until a
 * person's decision arrives on `expense.decided` (written by the approval service, any Kafka
 * producer with the run's id). Nothing polls: the waiting is a join stored in PostgreSQL.
 */
@agent({ name: 'expense-checker', requires: ['expense.requested'], publishes: ['expense.checked', 'expense.decided'], input: Expense })
export class ExpenseChecker extends Agent<z.infer<typeof Expense>> {
  async process(expense: z.infer<typeof Expense>) {
    const { text } = await this.llm.generate({ system: 'Check this expense against the travel policy.', prompt: `${expense.purpose}: ${expense.amountUsd} USD` });
    if (expense.amountUsd <= AUTO_APPROVE_UP_TO_USD) this.publish('expense.decided', { approved: true, by: 'policy:auto', comment: `up to ${AUTO_APPROVE_UP_TO_USD} USD` });
    return this.publish('expense.checked', { ...expense, policyNote: text });
  }
}

/** Runs once both the check and the decision are in, whichever came first. */
@agent({ name: 'expense-payer', requires: ['expense.checked', 'expense.decided'], publishes: ['expense.settled'], input: Approval, output: Outcome })
export class ExpensePayer extends Agent<z.infer<typeof Approval>> {
  async process(parts: z.infer<typeof Approval>) {
    const expense = parts['expense.checked'];
    const decision = parts['expense.decided'];
    return { employee: expense.employee, amountUsd: expense.amountUsd, status: decision.approved ? ('paid' as const) : ('rejected' as const), decidedBy: decision.by };
  }
}

export const expenseApproval = new Workflow('expense-approval').addAgents(ExpenseChecker, ExpensePayer);

export default [expenseApproval];
