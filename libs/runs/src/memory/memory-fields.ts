import type { PayloadCipher } from '@weaver/crypto';
import { runScope } from '../run-fields';
import type { StepMemoryWrites } from './memory-writes';

/**
 * Which memory columns hold tenant data, sealed under the tenant's data key (short-term under
 * the run's subject key when the run names one, so erasing the subject shreds it). Purposes
 * name the column. Ids, agent names, keys, times, sizes and dimensions stay plaintext: they
 * are what lookups, ordering, limits and the sweep use.
 */
export const MEMORY_PURPOSES = {
  shortTerm: 'runs.memory_short_term.value',
  longTerm: 'runs.memory_long_term.value',
  episodeText: 'runs.memory_episodic.text',
  episodeData: 'runs.memory_episodic.data',
  episodeEmbedding: 'runs.memory_episodic.embedding',
  factText: 'runs.memory_semantic.text',
  factMetadata: 'runs.memory_semantic.metadata',
  factEmbedding: 'runs.memory_semantic.embedding',
} as const;

/** An embedding as the bytes stored (float32, little-endian as the platform is). */
export const vectorBytes = (v: Float32Array): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

/** Bytes back to a vector (copied: a Buffer's offset need not be 4-aligned). */
export const bytesVector = (b: Buffer): Float32Array => new Float32Array(new Uint8Array(b).buffer);

/** Seals a step's memory writes before they are queued for the batch (no key round trip inside it). */
export async function sealMemoryWrites(cipher: PayloadCipher, tenantId: string, w: StepMemoryWrites, subjectId?: string | null): Promise<StepMemoryWrites> {
  if (!cipher.enabled) return w;
  const tenant = { tenantId };
  const run = runScope(tenantId, subjectId);
  const json = (scope: typeof tenant, purpose: string, v: unknown) => cipher.sealJson(scope, purpose, v);
  return {
    ...w,
    shortTerm: await Promise.all(w.shortTerm.map(async (e) => ({ ...e, value: e.deleted ? null : await json(run, MEMORY_PURPOSES.shortTerm, e.value) }))),
    longTerm: await Promise.all(w.longTerm.map(async (e) => ({ ...e, value: e.deleted ? null : await json(tenant, MEMORY_PURPOSES.longTerm, e.value) }))),
    episodes: await Promise.all(
      w.episodes.map(async (e) => ({
        ...e,
        text: await json(tenant, MEMORY_PURPOSES.episodeText, e.text),
        data: e.data === undefined ? undefined : await json(tenant, MEMORY_PURPOSES.episodeData, e.data),
        embedding: await cipher.seal(tenant, MEMORY_PURPOSES.episodeEmbedding, e.embedding),
      })),
    ),
    facts: await Promise.all(
      w.facts.map(async (e) => ({
        ...e,
        text: await json(tenant, MEMORY_PURPOSES.factText, e.text),
        metadata: await json(tenant, MEMORY_PURPOSES.factMetadata, e.metadata),
        embedding: await cipher.seal(tenant, MEMORY_PURPOSES.factEmbedding, e.embedding),
      })),
    ),
  };
}
