import { ValidationError } from '@weaver/errors';
import { z } from '@weaver/config';
import { REGION_NAME } from './region';

/**
 * One tenant as the regions' directory carries it (topic `weaver.directory.v1`, compacted, key =
 * tenant id, so the latest record per tenant is the directory). What crosses regions: identity,
 * tier, home and serving region, and API key *hashes* — so another region can tell a caller
 * where its tenant lives and can authenticate it after a failover. Never plaintext keys, run
 * data, results or encryption keys (docs/regions.md: data residency).
 */
const region = z.string().regex(REGION_NAME);
const directoryRecordSchema = z.object({
  v: z.literal(1),
  tenantId: z.string().uuid(),
  name: z.string().min(1).max(200),
  tier: z.enum(['standard', 'isolated']),
  homeRegion: region,
  servedBy: region,
  /** Bumped by every failover; a replica applies a record only if its epoch is not older. */
  servingEpoch: z.number().int().min(0),
  createdAt: z.string().datetime(),
  keys: z.array(
    z.object({
      keyId: z.string().uuid(),
      name: z.string().min(1).max(100),
      prefix: z.string().max(16),
      keyHash: z.string().regex(/^[0-9a-f]{64}$/),
      roles: z.array(z.string()).min(1).max(16),
      revoked: z.boolean(),
    }),
  ),
});

export type DirectoryRecord = z.infer<typeof directoryRecordSchema>;
export type DirectoryKey = DirectoryRecord['keys'][number];

export function encodeDirectoryRecord(record: DirectoryRecord): Buffer {
  return Buffer.from(JSON.stringify(directoryRecordSchema.parse(record)));
}

export function decodeDirectoryRecord(value: Buffer): DirectoryRecord {
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch {
    throw new ValidationError([{ field: 'directoryRecord', rule: 'must be JSON' }]);
  }
  const parsed = directoryRecordSchema.safeParse(json);
  if (!parsed.success) throw new ValidationError(parsed.error.issues.map((i) => ({ field: `directoryRecord.${i.path.join('.')}`, rule: i.message })));
  return parsed.data;
}
