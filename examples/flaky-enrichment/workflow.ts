import { Agent, agent, Workflow, z } from '@weaver/sdk';

const Lead = z.object({ email: z.string().email(), company: z.string().min(1) });
const Enriched = z.object({ email: z.string(), company: z.string(), employees: z.number() });

/**
 * A stand-in for a flaky third-party API: the first call for a company fails with a 503, the
 * next succeeds; a company it does not know fails every time. (Module state, as a remote
 * service's would be: it outlives the step's attempts.)
 */
export const enrichmentApi = {
  calls: new Map<string, number>(),
  async lookup(company: string): Promise<{ employees: number }> {
    const n = (this.calls.get(company) ?? 0) + 1;
    this.calls.set(company, n);
    if (company === 'unknown-co') throw new Error(`enrichment API: 404 no such company "${company}"`);
    if (n === 1) throw new Error('enrichment API: 503 service unavailable');
    return { employees: company.length * 100 };
  },
};

/**
 * A step that throws is retried with backoff (the runner's STEP_MAX_ATTEMPTS); after the last
 * attempt its event goes to the agent's dead-letter topic with the error, and the run fails
 * naming the step — nothing is lost, and an operator can replay it once the cause is fixed.
 */
@agent({ name: 'lead-enricher', requires: ['flaky-enrichment.requested'], publishes: ['lead.enriched'], input: Lead, output: Enriched })
export class LeadEnricher extends Agent<z.infer<typeof Lead>> {
  async process({ email, company }: z.infer<typeof Lead>) {
    const { employees } = await enrichmentApi.lookup(company);
    return { email, company, employees };
  }
}

export const flakyEnrichment = new Workflow('flaky-enrichment').addAgents(LeadEnricher);

export default [flakyEnrichment];
