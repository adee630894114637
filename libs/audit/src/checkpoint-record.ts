import { z } from '@weaver/config';
import { ValidationError } from '@weaver/errors';
import type { OutboundRecord } from '@weaver/messaging';
import type { AuditPublicKey } from './audit-signing-key';
import { canonicalJson } from './canonical-json';
import type { SignedCheckpoint } from './checkpoint';

/** Header naming the region that signed (MirrorMaker 2's topic prefix is the authority; this is for people reading the topic). */
export const REGION_HEADER = 'weaver-region';

/**
 * A signed checkpoint as it crosses regions on `weaver.audit-checkpoints.v1` (compacted, keyed
 * by tenant: only a tenant's newest checkpoint must survive compaction, since each one covers
 * the whole log before it). The public key travels with it so that a reader can verify offline;
 * whether that key is *trusted* is the receiver's configuration, never the record's say.
 */
export interface CheckpointRecord {
  v: 1;
  region: string;
  checkpoint: SignedCheckpoint;
  publicKey: AuditPublicKey;
}

const hex32 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 32 bytes of lower-case hex');
const b64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');
const recordSchema = z.object({
  v: z.literal(1),
  region: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/),
  checkpoint: z.object({
    tenantId: z.string().uuid(),
    treeSize: z.number().int().positive(),
    rootHash: hex32,
    chainHash: hex32,
    signedAt: z.string().datetime({ offset: true }),
    keyId: b64url.max(100),
    signature: b64url.max(200),
  }),
  publicKey: z.object({ keyId: b64url.max(100), jwk: z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: b64url.max(100) }) }),
});

export function checkpointRecordsOf(checkpoints: readonly SignedCheckpoint[], topic: string, region: string, publicKey: AuditPublicKey): OutboundRecord[] {
  return checkpoints.map((checkpoint) => {
    const record: CheckpointRecord = { v: 1, region, checkpoint, publicKey };
    return { topic, key: checkpoint.tenantId, value: Buffer.from(canonicalJson(record), 'utf8'), headers: { [REGION_HEADER]: region } };
  });
}

export function decodeCheckpointRecord(value: Buffer): CheckpointRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    throw new ValidationError([{ field: 'checkpointRecord', rule: 'must be JSON' }]);
  }
  const result = recordSchema.safeParse(parsed);
  if (!result.success) throw new ValidationError(result.error.issues.map((i) => ({ field: `checkpointRecord.${i.path.join('.')}`, rule: i.message })));
  return result.data;
}
