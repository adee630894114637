import { Controller, Get } from '@nestjs/common';
import { API_ROUTES, openApiDocument, type getOpenApi, type RouteResponse } from '@weaver/api-schema';

/** What `GET /openapi.json` answers: made once per process from API_ROUTES (the routes are static). */
export const GATEWAY_OPENAPI = openApiDocument(API_ROUTES, {
  title: 'Weaver gateway API',
  version: '1.0.0',
  description: 'The REST API of the Weaver gateway: runs, catalogues and the admin API. Generated from @weaver/api-schema (docs/api.md).',
}) as RouteResponse<typeof getOpenApi>;

/**
 * The gateway's OpenAPI 3.1 document, public (no credentials: it describes the API, not a
 * tenant's data), so tools and generators can read it from a running gateway. Not behind
 * GatewayPolicyGuard: there is no action to decide (gateway-access.table.spec.ts lists it as public).
 */
@Controller()
export class OpenApiHttpController {
  @Get('openapi.json')
  document(): RouteResponse<typeof getOpenApi> {
    return GATEWAY_OPENAPI;
  }
}
