import { randomBytes } from 'node:crypto';
import { Coalescer } from '@weaver/resilience';
import type { DataKey } from './aead';
import { DecryptionFailedError, KeyDestroyedError } from './crypto.errors';
import type { DataKeySource, StoredDataKey } from './data-key-store';
import { scopeKey, type KeyScope } from './key-scope';
import type { Kms } from './kms';

export interface DataKeyCacheOptions {
  /** Unwrapped keys kept (LRU beyond that); default 10,000 (≈ 1 MB). */
  readonly maxEntries?: number;
  /**
   * How long an unwrapped key is used before it is read again; default 5 min. It bounds how
   * long a rotated-away active key keeps sealing new data in a process and how long a
   * destroyed key stays usable in memory (`forget` drops it at once where the process knows).
   */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

interface Entry {
  readonly key: DataKey;
  readonly expiresAt: number;
}

/**
 * Unwrapped data keys per (tenant, subject, version) in process memory, so a step in the
 * steady state seals and opens without a database or KMS round trip. Misses for the same key
 * at the same moment share one fetch (a Coalescer with one group per key: the ops waiting
 * behind a fetch find the cache filled when their group runs).
 */
export class DataKeyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly misses: Coalescer<() => Promise<DataKey>, DataKey>;
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: DataKeySource,
    private readonly kms: Kms,
    opts: DataKeyCacheOptions = {},
  ) {
    this.maxEntries = opts.maxEntries ?? 10_000;
    this.ttlMs = opts.ttlMs ?? 5 * 60_000;
    this.now = opts.now ?? Date.now;
    this.misses = new Coalescer(
      async (key, ops) => {
        const cached = this.get(key);
        const fetched = cached ?? (await ops[0]!());
        if (!cached) this.put(key, fetched);
        return ops.map(() => fetched);
      },
      { maxInFlight: 16, maxInFlightPerKey: 1 },
    );
  }

  /** The key new data of `scope` is sealed with (created on first use). */
  active(scope: KeyScope): Promise<DataKey> {
    const key = `${scopeKey(scope)}#active`;
    const hit = this.get(key);
    return hit ? Promise.resolve(hit) : this.misses.submit(key, () => this.fetchActive(scope));
  }

  /** The key a ciphertext names. */
  version(scope: KeyScope, version: number): Promise<DataKey> {
    const key = `${scopeKey(scope)}@${version}`;
    const hit = this.get(key);
    return hit ? Promise.resolve(hit) : this.misses.submit(key, () => this.fetchVersion(scope, version));
  }

  /** Drops every cached key of a scope (after rotation or shredding in this process). */
  forget(scope: KeyScope): void {
    const prefix = scopeKey(scope);
    for (const k of [...this.entries.keys()]) if (k.startsWith(`${prefix}#`) || k.startsWith(`${prefix}@`)) this.entries.delete(k);
  }

  private get(key: string): DataKey | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    this.entries.delete(key); // re-insert: Map order is the LRU order
    this.entries.set(key, e);
    return e.key;
  }

  private put(key: string, dk: DataKey): void {
    this.entries.set(key, { key: dk, expiresAt: this.now() + this.ttlMs });
    this.entries.set(`${scopeKey(dk.scope)}@${dk.version}`, { key: dk, expiresAt: this.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  private async unwrap(stored: StoredDataKey): Promise<DataKey> {
    if (!stored.wrapped) throw new KeyDestroyedError(scopeKey(stored.scope), stored.version);
    return { scope: stored.scope, version: stored.version, key: await this.kms.unwrap(stored.wrapped, stored.scope) };
  }

  private async fetchActive(scope: KeyScope): Promise<DataKey> {
    const found = await this.store.active(scope);
    if (found) return this.unwrap(found);
    const fresh = randomBytes(32);
    const wrapped = await this.kms.wrap(fresh, scope);
    const winner = await this.store.createFirst(scope, wrapped);
    if (!winner) throw new KeyDestroyedError(scopeKey(scope), 0);
    // Ours landed, or another process's did first: then its key is the one to use.
    if (winner.version === 1 && winner.wrapped?.wrapped.equals(wrapped.wrapped)) return { scope, version: 1, key: fresh };
    return this.unwrap(winner);
  }

  private async fetchVersion(scope: KeyScope, version: number): Promise<DataKey> {
    const stored = await this.store.version(scope, version);
    if (!stored) throw new DecryptionFailedError(`no data key ${scopeKey(scope)} v${version}`);
    return this.unwrap(stored);
  }
}
