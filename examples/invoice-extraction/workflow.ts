import { Agent, agent, Workflow, z } from '@weaver/sdk';

const Email = z.object({ from: z.string().email(), body: z.string().min(1) });
/** What the model must extract: the schema is sent to the model and its answer is validated against it. */
export const Invoice = z.object({
  vendor: z.string().min(1),
  invoiceNumber: z.string().regex(/^[A-Z]{2,4}-\d+$/, 'like INV-1042'),
  totalUsd: z.number().nonnegative(),
  dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a YYYY-MM-DD date'),
});
const Booked = Invoice.extend({ from: z.string() });

/**
 * `this.llm.structured(schema, request)`: asks for JSON matching the schema (natively where the
 * model supports it, by instruction otherwise), validates the answer, and sends a bad answer
 * back once with what was wrong. Each attempt is a separately billed, idempotent model call.
 */
@agent({ name: 'invoice-extractor', requires: ['invoice-extraction.requested'], publishes: ['invoice.booked'], input: Email, output: Booked })
export class InvoiceExtractor extends Agent<z.infer<typeof Email>> {
  async process({ from, body }: z.infer<typeof Email>) {
    const { value } = await this.llm.structured(Invoice, { system: 'Extract the invoice from this e-mail.', prompt: body });
    return { ...value, from };
  }
}

export const invoiceExtraction = new Workflow('invoice-extraction').addAgents(InvoiceExtractor);

export default [invoiceExtraction];
