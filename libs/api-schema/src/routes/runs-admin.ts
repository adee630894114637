import { z } from 'zod';
import { defineRoute, json, type ApiRoute } from '../route';
import { Run, RUN_STATUSES } from '../schemas/run';

/**
 * Runs admin and dead letters (issue 12 item 2): list runs with filters and keyset pages,
 * cancel, retry from the failed step; list, inspect, replay (once) and discard dead letters.
 */

const UUID = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID');
const TIME = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an RFC 3339 time or a date (e.g. 2026-12-02T10:00:00Z)');
const GROUP = z.string().regex(/^[a-zA-Z0-9._-]+$/, 'must be a consumer group name ([a-zA-Z0-9._-]+)');
const LETTER_ID = z.string().regex(/^[a-zA-Z0-9._-]+~\d{1,9}~\d{1,19}$/, 'must be a dead letter id (<group>~<partition>~<offset>)');
const OFFSET = z.string().regex(/^\d{1,19}$/, 'must be a non-negative offset (decimal digits)');
const limit = (max: number) => z.coerce.number().int('must be an integer').min(1, 'must be at least 1').max(max, `must be at most ${max}`).default(50);

/** A run as lists and run admin answer it: the one run schema (schemas/run.ts). */
export const RunAdminRunSchema = Run;

/** The filters of both run lists (`GET /v1/runs` for a tenant's key, `GET /v1/admin/runs` across tenants). */
export const RunListQuery = z
  .object({
    workflow: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'must be a workflow name').optional(),
    status: z.enum(RUN_STATUSES, { message: `must be one of ${RUN_STATUSES.join(', ')}` }).optional(),
    from: TIME.optional().describe('created at or after (inclusive)'),
    to: TIME.optional().describe('created before (exclusive)'),
    subjectId: z.string().regex(/^[A-Za-z0-9._:@-]{1,200}$/, 'must be 1-200 characters of A-Z a-z 0-9 . _ : @ -').optional(),
    cursor: z.string().min(1, 'must be a nextCursor this API returned').optional(),
    limit: limit(500),
  });
// Not strict: other parameters are ignored (a tenant's `?tenantId=` of another tenant lists its own runs, as before).

export const AdminRunListQuery = RunListQuery.extend({ tenantId: UUID.optional() }).strict();
export const RunPageSchema = z.object({ runs: z.array(RunAdminRunSchema), nextCursor: z.string().optional() });
const RunOnly = z.object({ run: RunAdminRunSchema });
const RunIdParams = z.object({ runId: UUID });

export const DeadLetterSchema = z.object({
  id: z.string(),
  group: z.string(),
  topic: z.string(),
  partition: z.number(),
  offset: z.string(),
  tenantId: z.string().nullable(),
  runId: z.string().nullable(),
  eventType: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string(), violations: z.array(z.object({ field: z.string(), rule: z.string() })).optional() }),
  attempts: z.number(),
  source: z.object({ topic: z.string(), partition: z.number(), offset: z.string() }).nullable(),
  deadLetteredAt: z.string(),
  /** dead: waiting; replaying: claimed, its send cut short (never sent twice); replayed; discarded. */
  state: z.enum(['dead', 'replaying', 'replayed', 'discarded']),
});
export const DeadLetterListQuery = z.object({ group: GROUP.optional(), tenantId: UUID.optional(), cursor: z.string().min(1).optional(), limit: limit(500) }).strict();
const LetterParams = z.object({ id: LETTER_ID });

export const DeadLetterReplayBody = z
  .object({
    group: GROUP.optional(),
    ids: z.array(LETTER_ID).min(1, 'must name at least one id').max(1_000, 'must name at most 1000 ids').optional(),
    fromOffset: OFFSET.optional().describe('first DLQ offset (inclusive); needs group'),
    toOffset: OFFSET.optional().describe('last DLQ offset (inclusive); needs group'),
    from: TIME.optional().describe('dead-lettered at or after'),
    to: TIME.optional().describe('dead-lettered before'),
  })
  .strict()
  .superRefine((b, ctx) => {
    if ((b.fromOffset !== undefined || b.toOffset !== undefined) && !b.group) ctx.addIssue({ code: 'custom', path: ['group'], message: 'is required with fromOffset/toOffset (offsets are per DLQ topic)' });
    if (b.ids && (b.group || b.fromOffset || b.toOffset || b.from || b.to)) ctx.addIssue({ code: 'custom', path: ['ids'], message: 'cannot be combined with group, offsets or times' });
    if (b.fromOffset && b.toOffset && BigInt(b.fromOffset) > BigInt(b.toOffset)) ctx.addIssue({ code: 'custom', path: ['toOffset'], message: 'must be at or after fromOffset' });
  });

const tags = ['runs-admin'];
const letterTags = ['dead-letters'];

export const RUNS_ADMIN_ROUTES: readonly ApiRoute[] = [
  defineRoute({ operationId: 'listAdminRuns', method: 'GET', path: '/v1/admin/runs', summary: "List runs across tenants (or one tenant's), newest first, by keyset pages", tags, auth: 'admin', roles: ['admin'], query: AdminRunListQuery, status: 200, response: json(RunPageSchema) }),
  defineRoute({
    operationId: 'cancelRun',
    method: 'POST',
    path: '/v1/runs/{runId}/cancel',
    summary: 'Cancel a pending or running run (idempotent; exactly one run.cancelled)',
    description: 'Steps already in flight finish, but their outputs are not emitted. 409 naming the state when the run already completed or failed.',
    tags,
    auth: 'apiKey',
    params: RunIdParams,
    status: 200,
    response: json(RunOnly),
    errors: [404, 409, 503],
  }),
  defineRoute({ operationId: 'retryRun', method: 'POST', path: '/v1/runs/{runId}/retry', summary: "Retry a failed run from its failed step (re-drives that step's dead letter once)", tags, auth: 'apiKey', params: RunIdParams, status: 200, response: json(RunOnly), errors: [404, 409] }),
  defineRoute({ operationId: 'listDeadLetters', method: 'GET', path: '/v1/admin/dead-letters', summary: 'List dead letters with their errors (oldest first per group)', tags: letterTags, auth: 'admin', roles: ['admin'], query: DeadLetterListQuery, status: 200, response: json(z.object({ deadLetters: z.array(DeadLetterSchema), nextCursor: z.string().optional() })) }),
  defineRoute({ operationId: 'getDeadLetter', method: 'GET', path: '/v1/admin/dead-letters/{id}', summary: 'Inspect one dead letter, with its payload', tags: letterTags, auth: 'admin', roles: ['admin'], params: LetterParams, status: 200, response: json(z.object({ deadLetter: DeadLetterSchema.extend({ key: z.string().nullable(), payload: z.unknown() }) })), errors: [404] }),
  defineRoute({ operationId: 'replayDeadLetter', method: 'POST', path: '/v1/admin/dead-letters/{id}/replay', summary: 'Re-drive one dead letter to its source topic (at most once; again: replayed 0)', tags: letterTags, auth: 'admin', roles: ['admin'], params: LetterParams, status: 200, response: json(z.object({ deadLetter: DeadLetterSchema, replayed: z.number() })), errors: [404, 409] }),
  defineRoute({ operationId: 'replayDeadLetters', method: 'POST', path: '/v1/admin/dead-letters:replay', summary: "Re-drive dead letters by ids, or a group's (all groups') letters in an offset or time range; each at most once", tags: letterTags, auth: 'admin', roles: ['admin'], body: DeadLetterReplayBody, status: 200, response: json(z.object({ replayed: z.number() })) }),
  defineRoute({ operationId: 'discardDeadLetter', method: 'DELETE', path: '/v1/admin/dead-letters/{id}', summary: 'Discard a dead letter (never re-driven; idempotent)', tags: letterTags, auth: 'admin', roles: ['admin'], params: LetterParams, status: 200, response: json(z.object({ deadLetter: DeadLetterSchema })), errors: [404] }),
];
