import { Agent, agent, Workflow, z } from '@weaver/sdk';

const Ticket = z.object({ id: z.string().min(1), subject: z.string().min(1), body: z.string() });
const Handled = z.object({ id: z.string(), queue: z.enum(['engineering', 'billing', 'support']), answer: z.string() });

/** Keyword rules first (free), the model only for what they cannot place. */
const RULES: Array<[RegExp, 'ticket.bug' | 'ticket.billing']> = [
  [/\b(error|crash|exception|stack trace|500)\b/i, 'ticket.bug'],
  [/\b(invoice|refund|charge|billing)\b/i, 'ticket.billing'],
];

/**
 * Branching: the classifier publishes exactly one of three event types, and only the agent
 * consuming that type runs. `return this.publish(type, value)` chooses the branch and makes
 * `value` the step's output.
 */
@agent({ name: 'ticket-classifier', requires: ['ticket-triage.requested'], publishes: ['ticket.bug', 'ticket.billing', 'ticket.question'], input: Ticket })
export class TicketClassifier extends Agent<z.infer<typeof Ticket>> {
  async process(ticket: z.infer<typeof Ticket>) {
    const text = `${ticket.subject} ${ticket.body}`;
    const rule = RULES.find(([pattern]) => pattern.test(text));
    if (rule) return this.publish(rule[1], ticket);
    const { text: answer } = await this.llm.generate({ system: 'Answer with one word: BUG, BILLING or QUESTION.', prompt: text, maxTokens: 3 });
    // Anything but a clear BUG or BILLING goes to the people who answer questions.
    const label = answer.trim().toUpperCase();
    const type = label.startsWith('BUG') ? 'ticket.bug' : label.startsWith('BILLING') ? 'ticket.billing' : 'ticket.question';
    return this.publish(type, ticket);
  }
}

function handler(name: string, consumes: string, queue: z.infer<typeof Handled>['queue'], system: string) {
  @agent({ name, requires: [consumes], publishes: [`${consumes}.handled`], input: Ticket, output: Handled })
  class Handler extends Agent<z.infer<typeof Ticket>> {
    async process({ id, body }: z.infer<typeof Ticket>) {
      const { text } = await this.llm.generate({ system, prompt: body });
      return { id, queue, answer: text };
    }
  }
  return Handler;
}
export const BugHandler = handler('bug-handler', 'ticket.bug', 'engineering', 'Open an engineering issue.');
export const BillingHandler = handler('billing-handler', 'ticket.billing', 'billing', 'Draft a billing reply.');
export const QuestionHandler = handler('question-handler', 'ticket.question', 'support', 'Answer the question.');

export const ticketTriage = new Workflow('ticket-triage').addAgents(TicketClassifier, BugHandler, BillingHandler, QuestionHandler);

export default [ticketTriage];
