import { createPublicKey, type KeyObject } from 'node:crypto';
import { PermissionDeniedError } from '@weaver/errors';
import type { InboundRecord } from '@weaver/messaging';
import { TRIGGER_SIGNATURE_HEADER, type PublicJwk } from '@weaver/sdk';
import { parseTriggerSignature, verifyParsedSignature } from '@weaver/sdk/internal';
import { ResolutionCache } from '@weaver/tenancy-core';

/** Where tenants and their trigger-signing keys come from (the tenancy service, or its store in tests). */
export interface TenantKeys {
  /** The tenant's active trigger keys; null when no such tenant exists. */
  triggerKeys(tenantId: string): Promise<ReadonlyArray<{ keyId: string; publicJwk: PublicJwk }> | null>;
}

/**
 * Why a trigger was refused: not retriable, so it goes to the dead-letter topic at once with this
 * message in `weaver-dlq-error-message`, and no run is created (there is no verified tenant to
 * create it for).
 */
export class TriggerRefusedError extends PermissionDeniedError {
  constructor(reason: string, where: string) {
    super(`trigger refused (${where}): ${reason}`, { reason });
  }
}

type Known = { keys: ReadonlyMap<string, KeyObject> } | null;

export interface TenantGateOptions {
  /** How long an answer (a tenant's keys, or "no such tenant") is trusted; default 10 s. */
  ttlMs?: number;
  maxTenants?: number;
}

/**
 * Checks a trigger's tenant before it becomes a run: the tenant must exist, and a record from a
 * tenant's `kafka:` topic must be signed with one of the tenant's registered keys. Thousands of
 * triggers a second pass here, so the answers are cached in-process (public keys imported once)
 * for a short TTL, and concurrent misses for one tenant share one lookup: on the steady state a
 * trigger costs one Ed25519 verification and no round trip. A revoked key or an erased tenant
 * is refused by every runner at most `ttlMs` later.
 */
export class TenantGate {
  private readonly cache: ResolutionCache<Known>;
  private readonly pending = new Map<string, Promise<Known>>();

  constructor(
    private readonly source: TenantKeys,
    options: TenantGateOptions = {},
  ) {
    this.cache = new ResolutionCache<Known>(options.ttlMs ?? 10_000, options.maxTenants ?? 10_000);
  }

  /** Throws TriggerRefusedError unless the tenant exists. */
  async assertTenant(tenantId: string, where: string): Promise<void> {
    if ((await this.known(tenantId)) === null) throw new TriggerRefusedError(`unknown tenant ${tenantId}`, where);
  }

  /** Throws TriggerRefusedError unless the record is signed over its value and topic by a key of its tenant. */
  async assertSigned(record: InboundRecord, tenantId: string, where: string): Promise<void> {
    const known = await this.known(tenantId);
    if (known === null) throw new TriggerRefusedError(`unknown tenant ${tenantId}`, where);
    const parsed = parseTriggerSignature(record.headers[TRIGGER_SIGNATURE_HEADER]);
    if (!parsed.ok) throw new TriggerRefusedError(parsed.reason, where);
    const key = known.keys.get(parsed.kid);
    if (key === undefined) throw new TriggerRefusedError(`unknown key id "${parsed.kid}" for tenant ${tenantId} (not registered, or revoked)`, where);
    const check = verifyParsedSignature(parsed, record.value, record.topic, key);
    if (!check.ok) throw new TriggerRefusedError(check.reason, where);
  }

  private async known(tenantId: string): Promise<Known> {
    const hit = this.cache.get(tenantId);
    if (hit !== undefined) return hit;
    let lookup = this.pending.get(tenantId);
    if (lookup === undefined) {
      lookup = this.source
        .triggerKeys(tenantId)
        .then((keys) => {
          const known: Known = keys === null ? null : { keys: new Map(keys.map((k) => [k.keyId, createPublicKey({ key: { ...k.publicJwk }, format: 'jwk' })])) };
          this.cache.set(tenantId, known);
          return known;
        })
        .finally(() => this.pending.delete(tenantId));
      this.pending.set(tenantId, lookup);
    }
    return lookup;
  }
}
