import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AuditEvent, AuditRecorder } from '@weaver/governance';
import { AuditLogReader, type EntryPage, type EntryQuery } from './audit-log-reader';
import { AuditProofs } from './audit-proofs';
import type { AuditBundle } from './audit-bundle';
import type { ChainedEntry } from './audit-entry';
import type { AuditPublicKey } from './audit-signing-key';
import type { SignedCheckpoint } from './checkpoint';

/** Who reads the log, as the caller authenticated them (recorded in the read's own entry). */
export interface AuditAccessor {
  principalId: string;
  source: string;
  correlationId?: string;
}

/**
 * The audit log's read side as the AuditService serves it: every read is first recorded as an
 * `admin.audit.read` event (acked by Kafka before anything is answered: a read that cannot be
 * audited is not served), then answered from PostgreSQL under the tenant's row-level security.
 */
export class AuditLogAccess {
  private readonly reader: AuditLogReader;
  private readonly proofs: AuditProofs;

  constructor(
    ds: DataSource,
    private readonly recorder: AuditRecorder,
    readonly publicKey: AuditPublicKey,
  ) {
    this.reader = new AuditLogReader(ds);
    this.proofs = new AuditProofs(ds, [publicKey]);
  }

  async list(tenantId: string, who: AuditAccessor, q: EntryQuery): Promise<EntryPage> {
    await this.audited(tenantId, who, 'entries');
    return this.reader.list(tenantId, q);
  }

  async inclusion(tenantId: string, who: AuditAccessor, seq: number, treeSize?: number): Promise<{ entry: ChainedEntry; checkpoint: SignedCheckpoint; proof: string[] }> {
    await this.audited(tenantId, who, `inclusion:${seq}`);
    return this.proofs.inclusion(tenantId, seq, treeSize);
  }

  async consistency(tenantId: string, who: AuditAccessor, fromSize: number, toSize?: number): Promise<{ from: SignedCheckpoint; to: SignedCheckpoint; proof: string[] }> {
    await this.audited(tenantId, who, `consistency:${fromSize}`);
    return this.proofs.consistency(tenantId, fromSize, toSize);
  }

  async exportBundle(tenantId: string, who: AuditAccessor, range: { fromSeq?: number; toSeq?: number }): Promise<AuditBundle> {
    await this.audited(tenantId, who, 'export');
    return this.proofs.exportBundle(tenantId, range);
  }

  private audited(tenantId: string, who: AuditAccessor, what: string): Promise<void> {
    const event: AuditEvent = {
      id: `audit-read:${randomUUID()}`,
      tenantId,
      at: new Date().toISOString(),
      principal: { type: 'Admin', id: who.principalId || 'operator' },
      action: 'admin.audit.read',
      resource: { type: 'AuditLog', id: `${tenantId}/${what}` },
      decision: 'allow',
      reasons: ['grpc-access:weaver.audit.v1.AuditService'],
      source: who.source || 'unknown',
      ...(who.correlationId ? { correlationId: who.correlationId } : {}),
    };
    return this.recorder.record([event]);
  }
}
