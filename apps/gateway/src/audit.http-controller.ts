import { Controller, Get, Param, Query, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { GRPC_SERVICES, type audit } from '@weaver/contracts';
import { ValidationError } from '@weaver/errors';
import { InjectGrpcClient, tenantMetadata, unary } from '@weaver/service-kit';
import { GatewayPolicyGuard, principalOfCall } from './policy.guard';

/** A non-negative integer query parameter, or undefined when absent. */
function count(value: string | undefined, field: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,15}$/.test(value)) throw new ValidationError([{ field, rule: 'must be a non-negative integer' }], 'audit query');
  return Number(value);
}

/**
 * The audit log over the admin API (docs/audit.md): a tenant's entries, inclusion and
 * consistency proofs, signed export bundles, and the checkpoint public key. Each route is
 * decided by the policy engine (GatewayPolicyGuard, `admin.audit.read`; the decision is itself
 * audited by the gateway) and is one AuditService call to tenancy, which records the read
 * (`admin.audit.read`, with this principal and address) before answering — so a read that
 * bypasses the gateway (an operator calling tenancy) is in the log too.
 */
@Controller('v1/admin')
@UseGuards(GatewayPolicyGuard)
export class AuditHttpController {
  constructor(@InjectGrpcClient(GRPC_SERVICES.audit) private readonly auditClient: audit.AuditServiceClient) {}

  private accessor(req: FastifyRequest): audit.Accessor {
    return { principalId: principalOfCall(req)?.id ?? 'unknown', source: req.ip, correlationId: String(req.id) };
  }

  /** `?from=&to=` (ISO times), `action=`, `afterSeq=` (the previous page's nextAfterSeq), `limit=` (1..1000). */
  @Get('tenants/:tenantId/audit/entries')
  async entries(@Req() req: FastifyRequest, @Param('tenantId') tenantId: string, @Query() q: Record<string, string | undefined>) {
    const afterSeq = count(q['afterSeq'], 'afterSeq');
    const res = await unary(
      this.auditClient.listEntries(
        { accessor: this.accessor(req), from: q['from'] ?? '', to: q['to'] ?? '', action: q['action'] ?? '', limit: count(q['limit'], 'limit') ?? 0, ...(afterSeq !== undefined ? { afterSeq } : {}) },
        tenantMetadata(tenantId),
      ),
    );
    return { entries: res.entries, ...(res.nextAfterSeq !== undefined ? { nextAfterSeq: res.nextAfterSeq } : {}) };
  }

  /** The audit path of entry `seq` in checkpoint `?treeSize=` (default: the latest). */
  @Get('tenants/:tenantId/audit/entries/:seq/proof')
  async inclusion(@Req() req: FastifyRequest, @Param('tenantId') tenantId: string, @Param('seq') seq: string, @Query('treeSize') treeSize?: string) {
    return unary(this.auditClient.getInclusionProof({ accessor: this.accessor(req), seq: count(seq, 'seq') ?? 0, treeSize: count(treeSize, 'treeSize') ?? 0 }, tenantMetadata(tenantId)));
  }

  /** That checkpoint `?from=` is a prefix of checkpoint `?to=` (default: the latest). */
  @Get('tenants/:tenantId/audit/consistency')
  async consistency(@Req() req: FastifyRequest, @Param('tenantId') tenantId: string, @Query('from') from?: string, @Query('to') to?: string) {
    const fromSize = count(from, 'from');
    if (fromSize === undefined) throw new ValidationError([{ field: 'from', rule: 'is required: the tree size of the earlier checkpoint' }], 'audit query');
    return unary(this.auditClient.getConsistencyProof({ accessor: this.accessor(req), fromSize, toSize: count(to, 'to') ?? 0 }, tenantMetadata(tenantId)));
  }

  /** The signed bundle of entries `?fromSeq=` (default 0) to `?toSeq=` (exclusive; default: the latest checkpoint): `weaver audit verify` reads it. */
  @Get('tenants/:tenantId/audit/export')
  async exportBundle(@Req() req: FastifyRequest, @Param('tenantId') tenantId: string, @Query('fromSeq') fromSeq?: string, @Query('toSeq') toSeq?: string) {
    const res = await unary(this.auditClient.exportBundle({ accessor: this.accessor(req), fromSeq: count(fromSeq, 'fromSeq') ?? 0, toSeq: count(toSeq, 'toSeq') ?? 0 }, tenantMetadata(tenantId)));
    return JSON.parse(res.bundleJson) as unknown;
  }

  /** The public key checkpoints are signed with: what `weaver audit verify --key` should trust. */
  @Get('audit/key')
  async signingKey() {
    const key = await unary(this.auditClient.getSigningKey({}));
    return { keyId: key.keyId, jwk: { kty: 'OKP', crv: 'Ed25519', x: key.x } };
  }
}
