import type { Metadata } from '@grpc/grpc-js';
import { Controller, Inject } from '@nestjs/common';
import { audit } from '@weaver/contracts';
import { FailedPreconditionError, ValidationError } from '@weaver/errors';
import { isAction } from '@weaver/governance';
import { AuditLogAccess, type AuditAccessor, type ChainedEntry, type SignedCheckpoint } from '@weaver/audit';
import { tenantOf } from '@weaver/service-kit';

/** Null when AUDIT_ENABLED is off: the service then refuses every call (a read it cannot audit is not served). */
export const AUDIT_ACCESS = Symbol('weaver.tenancy.audit-access');

const entryOf = (e: ChainedEntry): audit.Entry => ({ seq: e.seq, entry: e.entry, leafHash: e.leafHash, chainHash: e.chainHash });
const checkpointOf = (c: SignedCheckpoint): audit.Checkpoint => ({ ...c });
const accessorOf = (a: audit.Accessor | undefined): AuditAccessor => ({ principalId: a?.principalId ?? '', source: a?.source ?? '', ...(a?.correlationId ? { correlationId: a.correlationId } : {}) });
const optionalSize = (n: number): number | undefined => (n > 0 ? n : undefined);

/**
 * weaver.audit.v1.AuditService, served by tenancy next to the chainer. The tenant is the call's
 * authenticated tenant (tenantOf; GRPC_ACCESS_RULES lets only the gateway and operators call).
 */
@Controller()
@audit.AuditServiceControllerMethods()
export class AuditGrpcController implements audit.AuditServiceController {
  constructor(@Inject(AUDIT_ACCESS) private readonly access: AuditLogAccess | null) {}

  private get enabled(): AuditLogAccess {
    if (!this.access) throw new FailedPreconditionError('the audit trail is not enabled on this tenancy service (AUDIT_ENABLED=false)');
    return this.access;
  }

  async listEntries(req: audit.ListEntriesRequest, metadata?: Metadata): Promise<audit.ListEntriesResponse> {
    if (req.action && !isAction(req.action)) throw new ValidationError([{ field: 'action', rule: 'must be an action of the governance vocabulary (ACTIONS)' }]);
    const page = await this.enabled.list(tenantOf(metadata), accessorOf(req.accessor), {
      ...(req.from ? { from: req.from } : {}),
      ...(req.to ? { to: req.to } : {}),
      ...(req.action && isAction(req.action) ? { action: req.action } : {}),
      ...(req.afterSeq !== undefined && req.afterSeq >= 0 ? { afterSeq: req.afterSeq } : {}),
      ...(req.limit ? { limit: req.limit } : {}),
    });
    return { entries: page.entries.map(entryOf), ...(page.nextAfterSeq !== undefined ? { nextAfterSeq: page.nextAfterSeq } : {}) };
  }

  async getInclusionProof(req: audit.GetInclusionProofRequest, metadata?: Metadata): Promise<audit.GetInclusionProofResponse> {
    const r = await this.enabled.inclusion(tenantOf(metadata), accessorOf(req.accessor), req.seq, optionalSize(req.treeSize));
    return { entry: entryOf(r.entry), checkpoint: checkpointOf(r.checkpoint), proof: r.proof };
  }

  async getConsistencyProof(req: audit.GetConsistencyProofRequest, metadata?: Metadata): Promise<audit.GetConsistencyProofResponse> {
    const r = await this.enabled.consistency(tenantOf(metadata), accessorOf(req.accessor), req.fromSize, optionalSize(req.toSize));
    return { from: checkpointOf(r.from), to: checkpointOf(r.to), proof: r.proof };
  }

  async exportBundle(req: audit.ExportBundleRequest, metadata?: Metadata): Promise<audit.ExportBundleResponse> {
    const bundle = await this.enabled.exportBundle(tenantOf(metadata), accessorOf(req.accessor), { fromSeq: req.fromSeq, ...(req.toSeq > 0 ? { toSeq: req.toSeq } : {}) });
    return { bundleJson: JSON.stringify(bundle) };
  }

  async getSigningKey(): Promise<audit.GetSigningKeyResponse> {
    const key = this.enabled.publicKey;
    return { keyId: key.keyId, x: key.jwk.x };
  }
}
