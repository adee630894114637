import { parseRequestParts, type ApiRoute, type ParsedRequest, type RawRequest } from '@weaver/api-schema';
import { violationsOf, z } from '@weaver/config';
import { ValidationError } from '@weaver/errors';

/**
 * The gateway's one request check: parses a request's path parameters, query and body with its
 * route's schemas in @weaver/api-schema (the same ones the OpenAPI document and the SDK use) and
 * answers 400 INVALID_ARGUMENT naming every bad field and its rule at once. Called first thing in
 * a handler (after GatewayPolicyGuard: a caller without credentials hears 401/403, not 400):
 *
 *   @Put('admin/tenants/:tenantId/quotas')
 *   async setQuotas(@Req() req: FastifyRequest): Promise<RouteResponse<typeof setQuotas>> {
 *     const { params, body } = parseRequest(setQuotas, req);   // typed from the route's schemas
 *
 * Fields are named as the caller wrote them: a path or query parameter by its name, a body field
 * by its JSON path (`policy.email`, `grants.2`). Cost: one zod parse per part, microseconds.
 */
export function parseRequest<R extends ApiRoute>(route: R, req: RawRequest): ParsedRequest<R> {
  const parsed = parseRequestParts(route, req);
  if (parsed.ok) return parsed.value;
  throw new ValidationError(violationsOf(new z.ZodError(parsed.issues.map((i) => i.issue))), `${route.method} ${route.path}`);
}

/**
 * One part checked with its schema when there is no whole request to hand `parseRequest`: a gRPC
 * message (REST and gRPC then refuse the same input with the same field and rule), or a part an
 * admin handler parses on its own. A ValidationError names each field and rule.
 */
export function parsePart<S extends z.ZodType>(schema: S, value: unknown, context: string): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new ValidationError(violationsOf(parsed.error), context);
  return parsed.data;
}

/** A time given as RFC 3339 or a date (already checked by the route's schema). */
export const timeOf = (v: string | undefined): Date | undefined => (v === undefined ? undefined : new Date(v));
