import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { looksSealed, PLAINTEXT, type KeyScope, type PayloadCipher } from '@weaver/crypto';
import { NotFoundError, PermissionDeniedError, ValidationError, WeaverError, type FieldViolation } from '@weaver/errors';
import { canonicalClassification, classificationViolations } from '@weaver/governance';
import { withTenant } from '@weaver/persistence';

import { CAPABILITY_AUDIENCES, RESULT_READ, type CapabilityTokens } from './capability-token';
import { claimResult, countStoredBytes, storedBytesExceeded } from './stored-bytes';
import { keyViolations, objectKeyOf, parseResultUri, resultUriOf, type ResultKey } from './result-key';
import type { ResultStore } from './result-store';
import { ResultEntity } from './result.entity';

export interface PutResultInput extends ResultKey {
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly classification?: readonly string[];
  /** The run's data subject: the object is sealed under the subject's key (erasing the subject shreds it). */
  readonly subjectId?: string;
}

/** The AAD purpose of a result object's bytes. */
export const RESULT_OBJECT_PURPOSE = 'publisher.results.object';

/**
 * What consumers get: where the result is and a token to read it (events.v1.ResultRef). The
 * token is only ever issued to the put that stored the result; a repeated put gets '' (see put).
 */
export interface ResultRef {
  readonly uri: string;
  readonly capabilityToken: string;
  readonly contentType: string;
  readonly sizeBytes: number;
  readonly sha256: string;
}

export interface ResultPublisherOptions {
  /** Largest result accepted, in bytes; default 4 MiB - 64 KiB (inside gRPC's default message limit). */
  readonly maxBytes?: number;
  /**
   * Seals the object bytes under the tenant's (or the run's subject's) data key before the
   * store writes them, filesystem or S3 alike (large ones deflated first); `get` opens them.
   * sha256 and size in the row describe the plaintext. Default PLAINTEXT.
   */
  readonly cipher?: PayloadCipher;
  /**
   * The tenant's `stored_bytes` quota (tenancy GetQuotas through an in-process cache: no round
   * trip on the steady state). Unset: bytes are counted, not limited.
   */
  readonly quotas?: (tenantId: string) => Promise<{ readonly storedBytes: number }>;
}

const SUBJECT = /^[A-Za-z0-9._:@-]{1,200}$/;
const CONTENT_TYPE = /^[\w.+-]+\/[\w.+-]+(\s*;.{0,200})?$/;

/**
 * Stores step results, exactly once per (tenant, run, step), and serves them to holders of a
 * capability token. The key is claimed by inserting the row first, in the same transaction
 * that then writes the object: a concurrent put of the same key waits on that row and returns
 * the first result, and a failed write rolls the claim back. The object is stored sealed
 * (per-tenant envelope encryption, `cipher`), so neither the disk nor the bucket holds it in clear.
 */
export class ResultPublisher {
  private readonly maxBytes: number;
  private readonly cipher: PayloadCipher;
  private readonly quotas: ResultPublisherOptions['quotas'];

  constructor(
    private readonly ds: DataSource,
    private readonly store: ResultStore,
    private readonly tokens: CapabilityTokens,
    options: ResultPublisherOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? 4 * 1024 * 1024 - 64 * 1024;
    this.cipher = options.cipher ?? PLAINTEXT;
    this.quotas = options.quotas;
  }

  async put(input: PutResultInput): Promise<{ ref: ResultRef; created: boolean }> {
    const key: ResultKey = { tenantId: String(input.tenantId).toLowerCase(), runId: input.runId, step: input.step };
    const violations: FieldViolation[] = keyViolations(key);
    const contentType = input.contentType === '' ? 'application/octet-stream' : input.contentType;
    if (!CONTENT_TYPE.test(contentType)) violations.push({ field: 'content_type', rule: 'must be a MIME type like application/json' });
    if (input.data.length > this.maxBytes) violations.push({ field: 'data', rule: `must be at most ${this.maxBytes} bytes` });
    const labelViolations = classificationViolations(input.classification ?? []);
    violations.push(...labelViolations);
    const classification = labelViolations.length ? [] : canonicalClassification(input.classification ?? []);
    const subject = input.subjectId === undefined || input.subjectId === '' ? undefined : input.subjectId;
    if (subject !== undefined && !SUBJECT.test(subject)) violations.push({ field: 'subject_id', rule: 'must be 1-200 characters of A-Z a-z 0-9 . _ : @ -' });
    if (violations.length > 0) throw new ValidationError(violations);

    const data = Buffer.from(input.data.buffer, input.data.byteOffset, input.data.byteLength);
    const row: ResultEntity = Object.assign(new ResultEntity(), {
      ...key,
      uri: resultUriOf(key),
      contentType,
      sizeBytes: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
      classification,
      store: this.store.kind,
      createdAt: new Date(),
    });
    // Sealed before the transaction: the key comes from the cipher's cache, no row lock held for it.
    const scope: KeyScope = subject === undefined ? { tenantId: key.tenantId } : { tenantId: key.tenantId, subject };
    const bytes = await this.cipher.seal(scope, RESULT_OBJECT_PURPOSE, data);
    const limit = this.quotas ? (await this.quotas(key.tenantId)).storedBytes : undefined;
    const { stored, created } = await withTenant(this.ds, key.tenantId, async (em) => {
      const claim = await claimResult(em, row);
      if (!claim.claimed) {
        const first = await em.findOneByOrFail(ResultEntity, { tenantId: key.tenantId, runId: key.runId, step: key.step });
        return { stored: first, created: false };
      }
      // Refused before the write when what is already stored leaves no room (rolls the claim back).
      if (limit !== undefined && claim.storedBefore + row.sizeBytes > limit) throw storedBytesExceeded(key.tenantId, limit, claim.storedBefore, row.sizeBytes);
      await this.store.write(objectKeyOf(key), bytes, contentType);
      // Exact across replicas: the counter's row lock orders the tenant's puts from here to commit.
      const storedNow = await countStoredBytes(em, key.tenantId, row.sizeBytes);
      if (limit !== undefined && storedNow > limit) {
        // Still holding the claim: no other put of this key can have written the object meanwhile.
        await this.store.delete(objectKeyOf(key));
        throw storedBytesExceeded(key.tenantId, limit, storedNow - row.sizeBytes, row.sizeBytes);
      }
      return { stored: row, created: true };
    });
    // A repeated put for a stored result gets its metadata but no token. Minting one would hand a
    // working grant to whoever can name (tenant, run, step) — the attack of issue 8. The put that
    // stored the result got the only token; an idempotent retry of it (the runner's sink after a
    // lost answer) needs only the uri, which it still gets.
    const token = created ? await this.tokens.issue(key) : '';
    return { ref: this.refOf(stored, token), created };
  }

  async get(input: { tenantId: string; uri: string; capabilityToken: string }): Promise<{ data: Buffer; ref: ResultRef }> {
    const key = parseResultUri(input.uri);
    const tenantId = String(input.tenantId).toLowerCase();
    await this.tokens.verify(input.capabilityToken, { audience: CAPABILITY_AUDIENCES.publisher, purpose: RESULT_READ, tenantId, result: key });
    if (key.tenantId !== tenantId) throw new PermissionDeniedError('capability token does not grant this result to this tenant');
    const row = await withTenant(this.ds, tenantId, (em) => em.findOneBy(ResultEntity, { tenantId, runId: key.runId, step: key.step }));
    if (row === null) throw new NotFoundError('result', input.uri);
    const data = await this.open(tenantId, await this.store.read(objectKeyOf(key)));
    if (createHash('sha256').update(data).digest('hex') !== row.sha256) {
      // Someone changed the object behind our back: refuse to hand on bytes nobody published.
      throw new WeaverError('INTERNAL', `result ${input.uri} failed its integrity check`, { retriable: false });
    }
    return { data, ref: this.refOf(row, input.capabilityToken) };
  }

  /** A stored object's plaintext (objects written before encryption was on pass as they are). */
  async open(tenantId: string, stored: Buffer): Promise<Buffer> {
    return looksSealed(stored) ? this.cipher.open(tenantId, RESULT_OBJECT_PURPOSE, stored) : stored;
  }

  async check(): Promise<boolean> {
    return this.store.check();
  }

  private refOf(row: ResultEntity, capabilityToken: string): ResultRef {
    return { uri: row.uri, capabilityToken, contentType: row.contentType, sizeBytes: row.sizeBytes, sha256: row.sha256 };
  }
}
