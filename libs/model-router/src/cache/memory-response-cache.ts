import type { RoutedResult } from '../routed-result';
import type { ResponseCache } from './response-cache';

/** In-process cache (no Redis configured): bounded, oldest entry evicted first. */
export class MemoryResponseCache implements ResponseCache {
  private readonly entries = new Map<string, { value: RoutedResult; expires: number }>();

  constructor(private readonly maxEntries = 10_000) {}

  async get(key: string): Promise<RoutedResult | undefined> {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expires <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  async set(key: string, value: RoutedResult, ttlS: number): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { value, expires: Date.now() + ttlS * 1000 });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}
