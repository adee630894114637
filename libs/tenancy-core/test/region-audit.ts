/** Region A's audit chainer and region B's checkpoint replica for regions.int-spec.ts (docs/regions.md, "Audit checkpoints"). */
import { generateKeyPairSync } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AuditChainer, CheckpointPublisher, auditPublicKeyOf, checkpointRecordsOf, signCheckpoint, startCheckpointReplication, trustedPeerKeysOf, verifyCheckpointSignature, type AuditSigningKey, type SignedCheckpoint } from '@weaver/audit';
import type { BatchConsumer, EventProducer, KafkaConnection, TopicNames } from '@weaver/messaging';
import { Metrics, type Logger } from '@weaver/observability';
import { withTenant } from '@weaver/persistence';

/** A fresh Ed25519 key (not the suite's shared one: the forger's key must differ from A's). */
export function freshSigningKey(): AuditSigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  const publicKey = auditPublicKeyOf(privateKey);
  return { keyId: publicKey.keyId, privateKey, publicKey };
}

/** A's chainer, publishing its checkpoints to A's weaver.audit-checkpoints.v1 (signs every 3 entries). */
export function regionChainer(o: { kafka: KafkaConnection; ds: DataSource; names: TopicNames; producer: EventProducer; key: AuditSigningKey; region: string; logger: Logger }): AuditChainer {
  const checkpoints = new CheckpointPublisher(o.producer, o.names.auditCheckpoints, o.region, o.key.publicKey, o.logger);
  return new AuditChainer({ kafka: o.kafka, topics: o.names, ds: o.ds, signingKey: o.key, checkpointEvery: 3, checkpointIntervalMs: 60_000, logger: o.logger, metrics: new Metrics('regions-a'), checkpoints });
}

export interface CheckpointReplica {
  consumer: BatchConsumer;
  metrics: Metrics;
  /** How many mirrored records ended with `outcome` (the replica's counter). */
  outcomes(outcome: string): Promise<number>;
}

/** B's replica of A's checkpoints, trusting only `trustedKeyId` for region "a". */
export async function checkpointReplica(o: { kafka: KafkaConnection; ds: DataSource; names: TopicNames; trustedKeyId: string; logger: Logger }): Promise<CheckpointReplica> {
  const metrics = new Metrics('regions-b');
  const consumer = await startCheckpointReplication({ kafka: o.kafka, ds: o.ds, names: o.names, peers: ['a'], trusted: trustedPeerKeysOf([`a:${o.trustedKeyId}`]), logger: o.logger, metrics });
  const outcomes = async (outcome: string): Promise<number> => {
    const { body } = await metrics.text();
    const line = body.split('\n').find((l) => l.startsWith('weaver_audit_remote_checkpoints_total{') && l.includes(`outcome="${outcome}"`));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  return { consumer, metrics, outcomes };
}

interface RemoteRow {
  region: string;
  tree_size: string;
  root_hash: Buffer;
  chain_hash: Buffer;
  signed_at: Date;
  key_id: string;
  public_key: Buffer;
  signature: Buffer;
}

/** The peer checkpoints region B holds for a tenant, as SignedCheckpoints, and whether each still verifies against the key stored with it. */
export async function remoteCheckpoints(ds: DataSource, tenantId: string): Promise<{ region: string; checkpoint: SignedCheckpoint; verifies: boolean }[]> {
  const rows = (await withTenant(ds, tenantId, (em) => em.query('SELECT * FROM audit.remote_checkpoints ORDER BY tree_size'))) as RemoteRow[];
  return rows.map((r) => {
    const checkpoint: SignedCheckpoint = { tenantId, treeSize: Number(r.tree_size), rootHash: r.root_hash.toString('hex'), chainHash: r.chain_hash.toString('hex'), signedAt: r.signed_at.toISOString(), keyId: r.key_id, signature: r.signature.toString('base64url') };
    const verifies = verifyCheckpointSignature(checkpoint, { keyId: r.key_id, jwk: { kty: 'OKP', crv: 'Ed25519', x: r.public_key.toString('base64url') } });
    return { region: r.region, checkpoint, verifies };
  });
}

/** Forgeries written straight into A's checkpoint topic (what someone with write access to A's broker could do). */
export function forgedCheckpointRecords(names: TopicNames, genuine: SignedCheckpoint, aKey: AuditSigningKey): ReturnType<typeof checkpointRecordsOf> {
  const forger = freshSigningKey();
  // 1: a bigger tree signed by a key of the forger's own, carrying that key (it verifies against itself).
  const selfSigned = signCheckpoint({ ...genuine, treeSize: genuine.treeSize + 1, rootHash: 'ee'.repeat(32) }, forger);
  // 2: A's genuine checkpoint with its root swapped (names A's trusted key, signature no longer matches).
  const altered: SignedCheckpoint = { ...genuine, treeSize: genuine.treeSize + 2, rootHash: 'ff'.repeat(32) };
  return [...checkpointRecordsOf([selfSigned], names.auditCheckpoints, 'a', forger.publicKey), ...checkpointRecordsOf([altered], names.auditCheckpoints, 'a', aKey.publicKey)];
}
