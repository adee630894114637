import { generateKeyPairSync } from 'node:crypto';
import type { AuditEvent } from '@weaver/governance';
import { auditPublicKeyOf, loadAuditSigningKey, type AuditSigningKey } from '../src';

/** The test run's checkpoint key (global setup makes it), or a fresh one when run alone. */
export function testSigningKey(): AuditSigningKey {
  const file = process.env['WEAVER_TEST_AUDIT_KEY_FILE'];
  if (file) return loadAuditSigningKey(file);
  const { privateKey } = generateKeyPairSync('ed25519');
  const publicKey = auditPublicKeyOf(privateKey);
  return { keyId: publicKey.keyId, privateKey, publicKey };
}

export function auditEvent(tenantId: string, i: number, over: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: `evt-${tenantId.slice(0, 8)}-${i}`,
    tenantId,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    principal: { type: 'ApiKey', id: `key-${i % 3}`, tenantId },
    action: i % 2 === 0 ? 'run.read' : 'result.read',
    resource: { type: 'Run', id: `run-${i}`, classification: ['internal'] },
    decision: i % 5 === 0 ? 'deny' : 'allow',
    reasons: [i % 5 === 0 ? 'default-deny' : 'policy0'],
    source: '127.0.0.1',
    correlationId: `corr-${i}`,
    ...over,
  };
}

/** Waits for a condition (never a fixed sleep), failing with its name after `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
