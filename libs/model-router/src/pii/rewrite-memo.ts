import { createHash } from 'node:crypto';
import type { PiiFinding } from '@weaver/pii';

/** One text's outcome under one tenant policy version: the rewritten text (never the original), what was found, whether it was refused. */
export interface MemoisedRewrite {
  readonly text: string;
  readonly findings: readonly PiiFinding[];
  readonly refused: boolean;
}

/**
 * Conversations resend their history on every call, so the same system prompt and earlier turns
 * are scanned again and again (names cost ~4 ms per KB). This keeps each text's outcome, keyed
 * by a SHA-256 of (tenant, policy version, text) — the key holds no text and the value only the
 * rewritten one — for `ttlMs`, bounded to `maxEntries` (oldest out first). A policy change is a
 * new version, so a new key; the TTL bounds how long tokens of a rotated data key are reused.
 */
export class RewriteMemo {
  private readonly entries = new Map<string, { value: MemoisedRewrite; until: number }>();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly maxEntries = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  keyOf(tenantId: string, policyVersion: string, text: string): string {
    return createHash('sha256').update(tenantId).update('\0').update(policyVersion).update('\0').update(text).digest('base64');
  }

  get(key: string): MemoisedRewrite | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until > this.now()) return e.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: MemoisedRewrite): void {
    this.entries.delete(key);
    // Map iteration order is insertion order: the first key is the oldest entry.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, until: this.now() + this.ttlMs });
  }
}
