import { z } from 'zod';

/** The gateway's UUID rule (any version: run ids may be chosen by clients). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const Uuid = z.string().regex(UUID_PATTERN, 'must be a UUID');
/** An ISO 8601 / RFC 3339 time as the gateway writes it (`Date#toISOString`). */
export const IsoTime = z.string().describe('RFC 3339 time, e.g. 2026-12-01T10:00:00.000Z');
/** A non-negative integer in a query string or path (`?limit=50`). */
export const QueryCount = z.coerce.number({ error: 'must be a non-negative integer' }).int('must be a non-negative integer').min(0, 'must be a non-negative integer');

export const FieldViolation = z.object({ field: z.string(), rule: z.string() });

/**
 * Every error answer: `code` is the WeaverError code (INVALID_ARGUMENT, NOT_FOUND, ...);
 * `details.violations` names each bad field and its rule on 400; quota refusals (429) carry
 * `details.quota`, `limit`, `retryAfterSeconds`.
 */
export const ErrorEnvelope = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.looseObject({ violations: z.array(FieldViolation).optional() }).optional(),
    correlationId: z.string().optional().describe('the request\'s id in the gateway\'s log and trace'),
  }),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

/** Path parameter `{tenantId}` of the admin routes. */
export const TenantParams = z.object({ tenantId: Uuid });
