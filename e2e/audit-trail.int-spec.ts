import { randomUUID } from 'node:crypto';
import { auditPublicKeyOf, fromHex, KafkaAuditRecorder, parseEntry, verifyBundle, verifyConsistency, verifyInclusion, type AuditBundle, type AuditPublicKey } from '@weaver/audit';
import type { AuditEvent } from '@weaver/governance';
import { createKafka, EventProducer, TopicNames } from '@weaver/messaging';
import { type RunningStack, startTestStack } from '@weaver/stack';
import { createPublicKey } from 'node:crypto';

/**
 * The audit trail through the whole platform: events recorded to weaver.audit.v1 are chained by
 * tenancy's chainer, listed, proven and exported over the gateway's admin API, the export
 * verifies offline against the published key, and every one of those admin reads is itself in
 * the log (admin.audit.read, with the admin and its address).
 */
describe('the audit trail end to end', () => {
  let stack: RunningStack & { namespace: string };
  let tenant: { tenantId: string; apiKey: string };
  let producer: EventProducer;
  const admin = (path: string, token?: string) => fetch(`${stack.gatewayUrl}${path}`, { headers: { 'x-admin-token': token ?? stack.adminToken } });
  const json = async <T>(path: string): Promise<T> => {
    const res = await admin(path);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = await probe();
      if (got !== undefined) return got;
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  beforeAll(async () => {
    stack = await startTestStack('audit-trail', { env: { tenancy: { AUDIT_CHECKPOINT_INTERVAL_MS: '300', AUDIT_CHECKPOINT_EVERY: '8' } } });
    tenant = await stack.createTenant('audited');
    producer = new EventProducer(createKafka({ brokers: [process.env['WEAVER_TEST_KAFKA_BROKERS']!], clientId: 'audit-e2e' }));
  }, 180_000);
  afterAll(async () => {
    await producer?.disconnect();
    await stack?.stop();
  });

  it('chains recorded events, serves them, proves them and exports a bundle that verifies offline; each admin read is audited', async () => {
    const recorder = new KafkaAuditRecorder(producer, new TopicNames(stack.namespace));
    const events: AuditEvent[] = Array.from({ length: 12 }, (_, i) => ({
      id: `e2e-${randomUUID()}`,
      tenantId: tenant.tenantId,
      at: new Date().toISOString(),
      principal: { type: 'ApiKey', id: 'key-1', tenantId: tenant.tenantId },
      action: 'run.read',
      resource: { type: 'Run', id: `run-${i}` },
      decision: i === 3 ? 'deny' : 'allow',
      reasons: [i === 3 ? 'default-deny' : 'policy0'],
      source: '203.0.113.7',
    }));
    await Promise.all(events.map((e) => recorder.record([e])));

    const listed = await until('the 12 events are listed', async () => {
      const page = await json<{ entries: { seq: number; entry: string }[] }>(`/v1/admin/tenants/${tenant.tenantId}/audit/entries?action=run.read&limit=100`);
      return page.entries.length === 12 ? page.entries : undefined;
    });
    expect(new Set(listed.map((e) => parseEntry(e.entry)?.event.id))).toEqual(new Set(events.map((e) => e.id)));

    const published = await json<AuditPublicKey>('/v1/admin/audit/key');
    const key = auditPublicKeyOf(createPublicKey({ key: published.jwk, format: 'jwk' }));
    expect(key.keyId).toBe(published.keyId);

    // Admin reads keep adding entries; wait until a checkpoint covers the recorded events.
    const lastSeq = Math.max(...listed.map((e) => e.seq));
    const bundle = await until('a checkpoint covers every recorded event', async () => {
      const res = await admin(`/v1/admin/tenants/${tenant.tenantId}/audit/export`);
      if (res.status !== 200) return undefined;
      const b = (await res.json()) as AuditBundle;
      return b.checkpoint.treeSize > lastSeq ? b : undefined;
    });
    expect(verifyBundle(bundle, { trustedKeys: [key] })).toMatchObject({ ok: true, issues: [] });

    const proof = await json<{ entry: { leafHash: string }; checkpoint: { treeSize: number; rootHash: string }; proof: string[] }>(`/v1/admin/tenants/${tenant.tenantId}/audit/entries/${lastSeq}/proof`);
    expect(verifyInclusion(fromHex(proof.entry.leafHash), lastSeq, proof.checkpoint.treeSize, proof.proof.map(fromHex), fromHex(proof.checkpoint.rootHash))).toBe(true);
    const first = bundle.earlierCheckpoints[0]?.checkpoint ?? bundle.checkpoint;
    const consistency = await json<{ from: { treeSize: number; rootHash: string }; to: { treeSize: number; rootHash: string }; proof: string[] }>(`/v1/admin/tenants/${tenant.tenantId}/audit/consistency?from=${first.treeSize}`);
    expect(verifyConsistency(consistency.from.treeSize, consistency.to.treeSize, fromHex(consistency.from.rootHash), fromHex(consistency.to.rootHash), consistency.proof.map(fromHex))).toBe(true);

    // The reads above are in the log themselves, with who and from where.
    const reads = await until('the admin reads are chained', async () => {
      const page = await json<{ entries: { entry: string }[] }>(`/v1/admin/tenants/${tenant.tenantId}/audit/entries?action=admin.audit.read&limit=1000`);
      const kinds = new Set(page.entries.map((e) => String(parseEntry(e.entry)?.event.resource?.id).split('/')[1]?.split(':')[0]));
      return ['entries', 'export', 'inclusion', 'consistency'].every((k) => kinds.has(k)) ? page.entries : undefined;
    });
    expect(parseEntry(reads[0]!.entry)?.event).toMatchObject({ action: 'admin.audit.read', principal: { type: 'Admin', id: 'admin-token' }, decision: 'allow', resource: { type: 'AuditLog' } });
  });

  it('refuses the audit routes without the admin token', async () => {
    expect((await fetch(`${stack.gatewayUrl}/v1/admin/tenants/${tenant.tenantId}/audit/entries`)).status).toBe(401);
    expect((await admin(`/v1/admin/tenants/${tenant.tenantId}/audit/export`, 'wrong-token-wrong-token')).status).toBe(403);
  });
});
