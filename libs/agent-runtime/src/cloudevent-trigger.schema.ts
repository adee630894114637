import { z } from 'zod';

/** The CloudEvents `type` of a run request. */
export const RUN_REQUESTED_TYPE = 'dev.weaver.run.requested';
/**
 * The extension attribute naming the tenant (CloudEvents extension names are lowercase
 * letters and digits, at most 20 characters). It is a claim, not proof: the record must be
 * signed with a key of that tenant (`weaver-signature`), as a `kafka:` trigger record is.
 */
export const TENANT_ATTRIBUTE = 'weavertenant';

/** A rule text for a missing attribute (`required`) or one of the wrong kind (`must be ...`). */
const rule = (what: string) => ({ error: (issue: { input?: unknown }) => (issue.input === undefined ? 'required' : `must be ${what}`) });
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/; // no flag: JSON Schema's pattern keeps none
const uuid = (what: string) => z.string(rule(what)).regex(UUID, `must be ${what}`);

/** What a run request asks for: the CloudEvent's `data`. Unknown fields are refused (a typo must not pass silently). */
export const runRequestData = z.strictObject(
  {
    workflow: z.string(rule('a workflow name (string)')).min(1, 'must not be empty').describe('The workflow to run, as the runner hosts it.'),
    input: z
      .unknown()
      .refine((v) => v !== undefined, 'required')
      .describe("The run's input (any JSON; validated by the entry agent's schema)."),
    runId: uuid('a UUID').optional().describe('The run id; default derived from (tenant, source, id), so the same event sent twice is one run.'),
    classification: z.array(z.string(rule('a string')), rule('a list of labels')).optional().describe('Classification labels, e.g. ["confidential"]; checked like a REST request\'s.'),
    subjectId: z.string(rule('a string')).min(1, 'must not be empty').max(256, 'must be at most 256 characters').optional().describe('The data subject the run is about (erasure/export find runs by it).'),
  },
  rule('an object (the run request)'),
);

/**
 * A run request as a CloudEvent in structured JSON mode (CloudEvents 1.0, JSON event format):
 * the required context attributes, Weaver's tenant extension, and `data`. Other attributes
 * (`subject`, `time`, `dataschema`, further extensions) are allowed and ignored.
 */
export const cloudEventTrigger = z
  .looseObject(
    {
      specversion: z.literal('1.0', rule('"1.0" (CloudEvents 1.0)')),
      id: z.string(rule('a string')).min(1, 'must not be empty').max(256, 'must be at most 256 characters').describe('Unique per source; (source, id) names the run.'),
      source: z.string(rule('a URI-reference (string)')).min(1, 'must not be empty').max(1024, 'must be at most 1024 characters').describe('Who sent it, e.g. "urn:acme:billing" or "/orders/service".'),
      type: z.literal(RUN_REQUESTED_TYPE, rule(`"${RUN_REQUESTED_TYPE}"`)),
      datacontenttype: z.literal('application/json', rule('"application/json" when given')).optional(),
      [TENANT_ATTRIBUTE]: uuid('a tenant id (UUID)').describe('The tenant; the record must be signed by one of its trigger keys.'),
      data: runRequestData,
    },
    rule('a JSON object (a CloudEvent)'),
  )
  .describe('A Weaver run request as a CloudEvent (structured JSON mode) on weaver.triggers.v1');

export type CloudEventTrigger = z.infer<typeof cloudEventTrigger>;

/** The JSON Schema (2020-12) of a run request CloudEvent, as producers must write it: docs/triggers.md shows it. */
export function cloudEventTriggerJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(cloudEventTrigger, { io: 'input' }) as Record<string, unknown>;
}
