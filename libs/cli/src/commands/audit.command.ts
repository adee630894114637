import { readFileSync } from 'node:fs';
import type { AuditBundle, AuditPublicKey } from '@weaver/audit';
import { EXIT, type ExitCode } from '../cli-error';
import { usageError } from '../cli-error';
import type { CommandContext } from './command-context';

function readJson(path: string, field: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw usageError(field, `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw usageError(field, `${path} is not JSON`, 'export a bundle with GET /v1/admin/audit/tenants/<tenant>/export');
  }
}

/**
 * `weaver audit verify <bundle.json> [--key <key.json>]`: checks an exported audit bundle with
 * no network — checkpoint signatures, every entry's hash, the chain, inclusion proofs, the
 * recomputed Merkle root and the consistency of earlier checkpoints — and prints each problem
 * with the seq (or checkpoint) it is at. Exit 0 when it verifies, 1 when it does not.
 * Without --key the bundle's own key is used, and the report says so: a forger could have
 * replaced it, so compare the key id with the one your operator publishes.
 */
export async function auditVerifyCommand(ctx: CommandContext, file: string, flags: { key?: string }): Promise<ExitCode> {
  // Loaded here, not at start-up: the rest of the CLI never pays for the audit library.
  const { auditKeyIdOf, describeIssue, verifyBundle } = await import('@weaver/audit');
  const bundle = readJson(file, '<bundle.json>') as AuditBundle;
  let trustedKeys: AuditPublicKey[] | undefined;
  if (flags.key) {
    const key = readJson(flags.key, '--key') as Partial<AuditPublicKey>;
    if (!key.jwk || typeof key.jwk.x !== 'string') throw usageError('--key', 'must be a JSON public key {"keyId": ..., "jwk": {"kty": "OKP", "crv": "Ed25519", "x": ...}}');
    // The id is recomputed from the key, never taken from the file.
    trustedKeys = [{ keyId: auditKeyIdOf(key.jwk), jwk: { kty: 'OKP', crv: 'Ed25519', x: key.jwk.x } }];
  }
  let result: ReturnType<typeof verifyBundle>;
  try {
    result = verifyBundle(bundle, trustedKeys ? { trustedKeys } : {});
  } catch (err) {
    // A hand-edited file can break any field's shape: that is a failed verification, not a crash.
    result = { ok: false, issues: [{ check: 'format', message: `the bundle is malformed: ${(err as Error).message}` }], entries: 0, checkpoints: 0, keyIds: [] };
  }
  if (ctx.output.json) {
    ctx.json({ ok: result.ok, tenantId: bundle.tenantId, fromSeq: bundle.fromSeq, toSeq: bundle.toSeq, keyIds: result.keyIds, trustedKey: Boolean(trustedKeys), issues: result.issues });
    return result.ok ? EXIT.ok : EXIT.failed;
  }
  const what = `tenant ${String(bundle.tenantId)}, entries ${bundle.fromSeq}..${bundle.toSeq - 1} (${result.entries}), ${result.checkpoints} checkpoint(s)`;
  if (!trustedKeys) ctx.err(`note: trusting the key in the bundle (${result.keyIds.join(', ') || 'none'}); pass --key to check against the key your operator publishes\n`);
  if (result.ok) {
    ctx.out(`verified: ${what}, signed by ${bundle.checkpoint.keyId}\n`);
    return EXIT.ok;
  }
  ctx.out(`NOT verified: ${what}: ${result.issues.length} problem(s)\n`);
  for (const issue of result.issues) ctx.out(`  ${describeIssue(issue)}\n`);
  return EXIT.failed;
}
