import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { auditPublicKeyOf, type AuditSigningKey } from './audit-signing-key';
import { signCheckpoint } from './checkpoint';
import { checkpointRecordsOf, decodeCheckpointRecord } from './checkpoint-record';
import { RemoteCheckpointStore, trustedPeerKeysOf } from './remote-checkpoints';

function key(): AuditSigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  const publicKey = auditPublicKeyOf(privateKey);
  return { keyId: publicKey.keyId, privateKey, publicKey };
}

describe('RemoteCheckpointStore.check (the trust rule of peer checkpoints)', () => {
  const a = key();
  const forger = key();
  const body = { tenantId: randomUUID(), treeSize: 3, rootHash: 'ab'.repeat(32), chainHash: 'cd'.repeat(32), signedAt: new Date().toISOString() };
  const store = new RemoteCheckpointStore({} as DataSource, trustedPeerKeysOf([`a:${a.keyId}`]));
  const recordOf = (signer: AuditSigningKey, region = 'a', carried = signer.publicKey) => decodeCheckpointRecord(checkpointRecordsOf([signCheckpoint(body, signer)], 't', region, carried)[0]!.value);

  it('accepts a checkpoint signed by the key trusted for its region, after a round trip through the record codec', () => {
    expect(store.check('a', recordOf(a))).toBeNull();
  });

  it('refuses a self-signed checkpoint, one of another region, a key id that is not the carried key, and an altered one', () => {
    expect(store.check('a', recordOf(forger))).toBe('refused-untrusted-key');
    expect(store.check('c', recordOf(a, 'c'))).toBe('refused-untrusted-key');
    expect(store.check('c', recordOf(a))).toBe('refused-wrong-region');
    expect(store.check('a', recordOf(forger, 'a', { ...forger.publicKey, keyId: a.keyId }))).toBe('refused-untrusted-key');
    const altered = recordOf(a);
    altered.checkpoint.rootHash = 'ef'.repeat(32);
    expect(store.check('a', altered)).toBe('refused-bad-signature');
  });

  it('refuses records that do not decode, naming the field', () => {
    expect(() => decodeCheckpointRecord(Buffer.from('{"v":1}'))).toThrow(/checkpointRecord\.region/);
    expect(() => decodeCheckpointRecord(Buffer.from('not json'))).toThrow();
  });
});
