import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import * as api from '@weaver/api-schema';
import type { RouteResponse } from '@weaver/api-schema';
import type { FastifyRequest } from 'fastify';
import { GRPC_SERVICES, type audit } from '@weaver/contracts';
import { InjectGrpcClient, tenantMetadata, unary } from '@weaver/service-kit';
import { parseRequest } from './parse-request';
import { GatewayPolicyGuard, principalOfCall } from './policy.guard';

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
  async entries(@Req() req: FastifyRequest): Promise<RouteResponse<typeof api.listAuditEntries>> {
    const { params, query: q } = parseRequest(api.listAuditEntries, req);
    const { tenantId } = params;
    const res = await unary(
      this.auditClient.listEntries(
        { accessor: this.accessor(req), from: q.from ?? '', to: q.to ?? '', action: q.action ?? '', limit: q.limit ?? 0, ...(q.afterSeq !== undefined ? { afterSeq: q.afterSeq } : {}) },
        tenantMetadata(tenantId),
      ),
    );
    return { entries: res.entries, ...(res.nextAfterSeq !== undefined ? { nextAfterSeq: res.nextAfterSeq } : {}) };
  }

  /** The audit path of entry `seq` in checkpoint `?treeSize=` (default: the latest). */
  @Get('tenants/:tenantId/audit/entries/:seq/proof')
  async inclusion(@Req() req: FastifyRequest): Promise<RouteResponse<typeof api.getAuditInclusionProof>> {
    const { params, query } = parseRequest(api.getAuditInclusionProof, req);
    const res = await unary(this.auditClient.getInclusionProof({ accessor: this.accessor(req), seq: params.seq, treeSize: query.treeSize ?? 0 }, tenantMetadata(params.tenantId)));
    return { entry: res.entry ?? null, checkpoint: res.checkpoint ?? null, proof: res.proof };
  }

  /** That checkpoint `?from=` is a prefix of checkpoint `?to=` (default: the latest). */
  @Get('tenants/:tenantId/audit/consistency')
  async consistency(@Req() req: FastifyRequest): Promise<RouteResponse<typeof api.getAuditConsistencyProof>> {
    const { params, query } = parseRequest(api.getAuditConsistencyProof, req);
    const res = await unary(this.auditClient.getConsistencyProof({ accessor: this.accessor(req), fromSize: query.from, toSize: query.to ?? 0 }, tenantMetadata(params.tenantId)));
    return { from: res.from ?? null, to: res.to ?? null, proof: res.proof };
  }

  /** The signed bundle of entries `?fromSeq=` (default 0) to `?toSeq=` (exclusive; default: the latest checkpoint): `weaver audit verify` reads it. */
  @Get('tenants/:tenantId/audit/export')
  async exportBundle(@Req() req: FastifyRequest): Promise<RouteResponse<typeof api.exportAuditBundle>> {
    const { params, query } = parseRequest(api.exportAuditBundle, req);
    const res = await unary(this.auditClient.exportBundle({ accessor: this.accessor(req), fromSeq: query.fromSeq ?? 0, toSeq: query.toSeq ?? 0 }, tenantMetadata(params.tenantId)));
    return JSON.parse(res.bundleJson) as RouteResponse<typeof api.exportAuditBundle>; // tenancy's AuditBundle, relayed as it wrote it
  }

  /** The public key checkpoints are signed with: what `weaver audit verify --key` should trust. */
  @Get('audit/key')
  async signingKey(): Promise<RouteResponse<typeof api.getAuditSigningKey>> {
    const key = await unary(this.auditClient.getSigningKey({}));
    return { keyId: key.keyId, jwk: { kty: 'OKP', crv: 'Ed25519', x: key.x } };
  }
}
