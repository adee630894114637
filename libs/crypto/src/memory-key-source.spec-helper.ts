import type { DataKeySource, StoredDataKey } from './data-key-store';
import { scopeKey, type KeyScope } from './key-scope';
import type { WrappedKey } from './kms';

/** keys.data_keys in memory, for unit tests (the PostgreSQL one is covered by the int-spec). */
export class MemoryKeySource implements DataKeySource {
  readonly rows = new Map<string, StoredDataKey[]>();
  reads = 0;

  async active(scope: KeyScope): Promise<StoredDataKey | undefined> {
    this.reads++;
    return (this.rows.get(scopeKey(scope)) ?? []).filter((k) => k.state === 'active').sort((a, b) => b.version - a.version)[0];
  }

  async version(scope: KeyScope, version: number): Promise<StoredDataKey | undefined> {
    this.reads++;
    return (this.rows.get(scopeKey(scope)) ?? []).find((k) => k.version === version);
  }

  async createFirst(scope: KeyScope, wrapped: WrappedKey): Promise<StoredDataKey | undefined> {
    const list = this.rows.get(scopeKey(scope)) ?? [];
    if (!list.some((k) => k.version === 1)) list.push({ scope, version: 1, state: 'active', wrapped });
    this.rows.set(scopeKey(scope), list);
    return this.active(scope);
  }

  /** What rotateDataKey does in SQL. */
  rotate(scope: KeyScope, wrapped: WrappedKey): number {
    const list = (this.rows.get(scopeKey(scope)) ?? []).map((k): StoredDataKey => (k.state === 'active' ? { ...k, state: 'retired' } : k));
    const next = Math.max(0, ...list.map((k) => k.version)) + 1;
    list.push({ scope, version: next, state: 'active', wrapped });
    this.rows.set(scopeKey(scope), list);
    return next;
  }
}
