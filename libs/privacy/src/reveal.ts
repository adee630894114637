import { isSealedJson, looksSealed, type PayloadCipher } from '@weaver/crypto';
import { RESULT_OBJECT_PURPOSE } from '@weaver/publisher-core';

/**
 * Sealed columns are sealed for the purpose `<schema>.<table>.<column>` (runs.steps.output,
 * router.idempotency_records.response, …: see RUN_PURPOSES and the stores); join parts are
 * sealed one by one as `runs.joins.part`. So an export can open any row without a list of
 * sealed columns: a value that is a sealed wrapper is opened for its column's purpose.
 */
const JOIN_PARTS = 'runs.joins';

/** A value whose key was destroyed (an erased subject's, say) stays out of the bundle, marked. */
const unreadable = (error: unknown) => ({ $unreadable: error instanceof Error ? error.message : String(error) });

async function open(cipher: PayloadCipher, tenantId: string, purpose: string, value: unknown): Promise<unknown> {
  try {
    return await cipher.openJson(tenantId, purpose, value);
  } catch (error) {
    return unreadable(error);
  }
}

export async function revealRow(cipher: PayloadCipher, table: string, row: Record<string, unknown>, tenantId: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    if (table === JOIN_PARTS && column === 'parts' && value && typeof value === 'object') {
      const parts: Record<string, unknown> = {};
      for (const [type, part] of Object.entries(value as Record<string, unknown>)) parts[type] = await open(cipher, tenantId, 'runs.joins.part', part);
      out[column] = parts;
    } else out[column] = isSealedJson(value) ? await open(cipher, tenantId, `${table}.${column}`, value) : value;
  }
  return out;
}

/** A published object's plaintext (objects written before encryption pass through). */
export async function revealObject(cipher: PayloadCipher, tenantId: string, stored: Buffer): Promise<Buffer> {
  return looksSealed(stored) ? cipher.open(tenantId, RESULT_OBJECT_PURPOSE, stored) : stored;
}
