import { chainHash, entryText, fromHex, hex, leafHash, parseEntry, type AuditBundle, type ChainedEntry } from '../src';
import type { AuditEvent } from '@weaver/governance';

export type BundleTamper = 'modify' | 'modify-rehashed' | 'delete' | 'reorder' | 'swap-texts' | 'insert';

/** A copy of `bundle` changed at `seq` the way an attacker holding the file could (shared by the tamper spec and the CLI spec). */
export function tamperBundle(bundle: AuditBundle, kind: BundleTamper, seq: number): AuditBundle {
  const b = structuredClone(bundle);
  const i = b.entries.findIndex((e) => e.seq === seq);
  const flipDecision = (text: string): string => (text.includes('"decision":"allow"') ? text.replace('"decision":"allow"', '"decision":"deny"') : text.replace('"decision":"deny"', '"decision":"allow"'));
  switch (kind) {
    case 'modify':
      b.entries[i]!.entry = flipDecision(b.entries[i]!.entry);
      break;
    case 'modify-rehashed':
      b.entries[i]!.entry = flipDecision(b.entries[i]!.entry);
      rehashFrom(b, i);
      break;
    case 'delete':
      b.entries.splice(i, 1);
      break;
    case 'reorder':
      [b.entries[i], b.entries[i + 1]] = [b.entries[i + 1]!, b.entries[i]!];
      break;
    case 'swap-texts': {
      const [x, y] = [b.entries[i]!, b.entries[i + 1]!];
      [x.entry, y.entry, x.leafHash, y.leafHash] = [y.entry, x.entry, y.leafHash, x.leafHash];
      break;
    }
    case 'insert': {
      const event = parseEntry(b.entries[i]!.entry)!.event as AuditEvent;
      const forged: ChainedEntry = { seq: seq + 1, entry: entryText(seq + 1, { ...event, id: 'forged', action: 'admin.erasure' }), leafHash: '', chainHash: '' };
      b.entries.splice(i + 1, 0, forged);
      for (const e of b.entries.slice(i + 2)) e.seq += 1;
      rehashFrom(b, i + 1);
      b.toSeq += 1;
      break;
    }
  }
  return b;
}

/** Recomputes leaf and chain hashes from entry i on, as a careful forger would. */
function rehashFrom(b: AuditBundle, i: number): void {
  let chain = i === 0 ? fromHex(b.previousChainHash) : fromHex(b.entries[i - 1]!.chainHash);
  for (const e of b.entries.slice(i)) {
    const leaf = leafHash(e.entry);
    chain = chainHash(chain, leaf);
    e.leafHash = hex(leaf);
    e.chainHash = hex(chain);
  }
}
