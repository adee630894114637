import type { DataSource } from 'typeorm';
import { z } from '@weaver/config';
import { withTenant } from '@weaver/persistence';
import { auditKeyIdOf } from './audit-signing-key';
import { verifyCheckpointSignature } from './checkpoint';
import type { CheckpointRecord } from './checkpoint-record';

/**
 * Which signing keys each peer region's checkpoints must be signed by:
 * `AUDIT_PEER_KEY_IDS=a:<keyId>,a:<next keyId>,c:<keyId>` (a key id is the base64url SHA-256 of
 * the Ed25519 public key, `weaver audit key-id`-style, so naming the id pins the key itself).
 * Configured, not taken from the record: the record carries a public key, but anyone who can
 * write to the topic (or to a lost region's broker) could sign with a key of their own, and a
 * checkpoint that verifies against the key it brings proves nothing.
 */
export const auditPeerKeysConfigField = {
  AUDIT_PEER_KEY_IDS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[a-z][a-z0-9-]{0,31}:[A-Za-z0-9_-]{43}$/, 'each must be <region>:<key id> (43 base64url characters)'))),
};

export type TrustedPeerKeys = ReadonlyMap<string, ReadonlySet<string>>;

export function trustedPeerKeysOf(entries: readonly string[]): TrustedPeerKeys {
  const trusted = new Map<string, Set<string>>();
  for (const entry of entries) {
    const [region, keyId] = entry.split(':') as [string, string];
    trusted.set(region, (trusted.get(region) ?? new Set()).add(keyId));
  }
  return trusted;
}

export type RemoteCheckpointOutcome = 'stored' | 'duplicate' | 'refused-wrong-region' | 'refused-untrusted-key' | 'refused-bad-signature' | 'conflict';

/**
 * Stores the checkpoints peer regions signed (`audit.remote_checkpoints`, append-only, RLS by
 * tenant) after checking them:
 *
 * | check                                                    | fails →                 |
 * | -------------------------------------------------------- | ----------------------- |
 * | record's region = the topic's MirrorMaker 2 prefix         | refused-wrong-region    |
 * | key id = SHA-256 of the carried key, and trusted for region | refused-untrusted-key   |
 * | Ed25519 signature over the checkpoint statement          | refused-bad-signature   |
 * | (region, tenant, tree size) new                          | duplicate (same root) / conflict (another root: the peer signed two logs — kept out, logged by the caller) |
 */
export class RemoteCheckpointStore {
  constructor(
    private readonly ds: DataSource,
    private readonly trusted: TrustedPeerKeys,
  ) {}

  check(topicRegion: string, record: CheckpointRecord): RemoteCheckpointOutcome | null {
    const { checkpoint: cp, publicKey } = record;
    if (record.region !== topicRegion) return 'refused-wrong-region';
    if (publicKey.keyId !== cp.keyId || auditKeyIdOf(publicKey.jwk) !== cp.keyId || !this.trusted.get(topicRegion)?.has(cp.keyId)) return 'refused-untrusted-key';
    if (!verifyCheckpointSignature(cp, publicKey)) return 'refused-bad-signature';
    return null;
  }

  async apply(topicRegion: string, record: CheckpointRecord): Promise<RemoteCheckpointOutcome> {
    const refused = this.check(topicRegion, record);
    if (refused) return refused;
    const cp = record.checkpoint;
    const root = Buffer.from(cp.rootHash, 'hex');
    return withTenant(this.ds, cp.tenantId, async (em) => {
      const inserted = (await em.query(
        `INSERT INTO audit.remote_checkpoints (region, tenant_id, tree_size, root_hash, chain_hash, signed_at, key_id, public_key, signature)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING tree_size`,
        [topicRegion, cp.tenantId, cp.treeSize, root, Buffer.from(cp.chainHash, 'hex'), cp.signedAt, cp.keyId, Buffer.from(record.publicKey.jwk.x, 'base64url'), Buffer.from(cp.signature, 'base64url')],
      )) as unknown[];
      if (inserted.length > 0) return 'stored';
      const [held] = (await em.query('SELECT root_hash FROM audit.remote_checkpoints WHERE region = $1 AND tenant_id = $2 AND tree_size = $3', [topicRegion, cp.tenantId, cp.treeSize])) as { root_hash: Buffer }[];
      return held?.root_hash.equals(root) ? 'duplicate' : 'conflict';
    });
  }
}
