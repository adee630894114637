import { Body, Controller, Get, Inject, Param, Put, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { router } from '@weaver/contracts';
import { ValidationError } from '@weaver/errors';
import { isUuid } from '@weaver/persistence';
import { parsePiiPolicy } from '@weaver/pii';
import { SERVICE_CONFIG, tenantMetadata, unary } from '@weaver/service-kit';
import { requireAdminToken } from './admin-token';
import { CredentialThrottle } from './credential-throttle';
import type { GatewayConfig } from './gateway.config';
import { GATEWAY_CLIENTS, type GatewayClients } from './gateway.tokens';

/** A policy as the admin API shows it (the router's wire form, JSON parsed). */
function policyView(tenantId: string, p: router.PiiPolicy | undefined) {
  return {
    tenantId,
    policy: p?.effectiveJson ? (JSON.parse(p.effectiveJson) as Record<string, string>) : {},
    stored: p?.storedJson ? (JSON.parse(p.storedJson) as Record<string, string>) : null,
    source: p?.source ?? 'installation',
    version: p?.version ?? 0,
    updatedAt: p?.updatedAtMs ? new Date(p.updatedAtMs).toISOString() : null,
  };
}

function expectedVersionOf(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new ValidationError([{ field: 'expectedVersion', rule: 'must be an integer >= 0 (0: the tenant has no policy yet)' }], 'PII policy');
  return v;
}

/**
 * A tenant's PII policy (docs/pii.md "Policies per tenant in the router"), stored and applied by
 * the router: `PUT {"policy": {"default": "mask", "email": "tokenise"}, "expectedVersion"?: n}`.
 * Validated here first so a bad policy answers 400 naming `policy.<type>` and the rule without a
 * round trip (the router validates again: it is the owner).
 */
@Controller('v1/admin/tenants/:tenantId/pii-policy')
export class PiiPolicyHttpController {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
    @Inject(GATEWAY_CLIENTS) private readonly clients: GatewayClients,
    @Inject(CredentialThrottle) private readonly throttle: CredentialThrottle,
  ) {}

  @Get()
  async get(@Req() req: FastifyRequest, @Param('tenantId') tenantId: string) {
    await requireAdminToken(this.config.GATEWAY_ADMIN_TOKEN, this.throttle, req);
    tenantIdOf(tenantId);
    const res = await unary(this.clients.router.getPiiPolicy({ tenantId }, tenantMetadata(tenantId)));
    return policyView(tenantId, res.policy);
  }

  @Put()
  async set(@Req() req: FastifyRequest, @Param('tenantId') tenantId: string, @Body() body: { policy?: unknown; expectedVersion?: unknown } | undefined) {
    await requireAdminToken(this.config.GATEWAY_ADMIN_TOKEN, this.throttle, req);
    tenantIdOf(tenantId);
    parsePiiPolicy(body?.policy, 'policy');
    const expectedVersion = expectedVersionOf(body?.expectedVersion);
    const res = await unary(this.clients.router.setPiiPolicy({ tenantId, policyJson: JSON.stringify(body?.policy), expectedVersion }, tenantMetadata(tenantId)));
    return policyView(tenantId, res.policy);
  }
}

function tenantIdOf(tenantId: string): void {
  if (!isUuid(tenantId)) throw new ValidationError([{ field: 'tenantId', rule: 'must be a UUID' }], 'path');
}
