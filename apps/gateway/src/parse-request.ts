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
