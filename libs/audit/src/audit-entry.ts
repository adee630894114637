import type { AuditEvent } from '@weaver/governance';
import { canonicalJson } from './canonical-json';

/**
 * What one position of a tenant's log holds. `entry` is the exact text the hashes cover:
 * the canonical JSON of `{ event, seq }`. The seq is inside it so an entry moved to another
 * position (reordered, or shifted by an insertion) names itself: its text disagrees with its place.
 */
export interface ChainedEntry {
  seq: number;
  entry: string;
  /** Hex RFC 6962 leaf hash, SHA-256(0x00 || entry). */
  leafHash: string;
  /** Hex SHA-256(previous chain hash || leaf hash). */
  chainHash: string;
}

export function entryText(seq: number, event: AuditEvent): string {
  return canonicalJson({ event, seq });
}

/** The event and seq an entry's text claims (verifiers compare them with where the entry sits). */
export function parseEntry(entry: string): { seq: unknown; event: Partial<AuditEvent> } | null {
  try {
    const parsed = JSON.parse(entry) as { seq?: unknown; event?: Partial<AuditEvent> };
    return typeof parsed === 'object' && parsed !== null && parsed.event ? { seq: parsed.seq, event: parsed.event } : null;
  } catch {
    return null;
  }
}
