import { ValidationError } from '@weaver/errors';
import { dlqTopic, groupOfDlq } from '@weaver/messaging';

/** A dead letter's id in the API: `<group>~<partition>~<offset>` (a group name never holds `~`). */
export function letterId(topic: string, partition: number, offset: string): string {
  return `${groupOfDlq(topic) ?? topic}~${partition}~${offset}`;
}

const ID = /^([a-zA-Z0-9._-]+)~(\d{1,9})~(\d{1,19})$/;

export function parseLetterId(id: string, field = 'id'): { group: string; topic: string; partition: number; offset: string } {
  const m = ID.exec(id);
  if (!m) throw new ValidationError([{ field, rule: 'must be a dead letter id (<group>~<partition>~<offset>) this API returned' }], 'dead letter');
  return { group: m[1]!, topic: dlqTopic(m[1]!), partition: Number(m[2]), offset: BigInt(m[3]!).toString() };
}

/** Where a dead-letter list continues: a topic and the next offset per partition. */
export interface LetterCursor {
  topic: string;
  from: Map<number, bigint>;
}

export function encodeLetterCursor(c: LetterCursor): string {
  return Buffer.from(JSON.stringify({ t: c.topic, f: Object.fromEntries([...c.from].map(([p, o]) => [p, o.toString()])) }), 'utf8').toString('base64url');
}

export function decodeLetterCursor(cursor: string): LetterCursor {
  const bad = (): never => {
    throw new ValidationError([{ field: 'cursor', rule: 'must be a nextCursor this API returned' }], 'dead-letter list');
  };
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { t?: unknown; f?: unknown };
    if (typeof v.t !== 'string' || groupOfDlq(v.t) === undefined || v.f === null || typeof v.f !== 'object') return bad();
    const from = new Map<number, bigint>();
    for (const [p, o] of Object.entries(v.f as Record<string, unknown>)) {
      if (!/^\d+$/.test(p) || typeof o !== 'string' || !/^\d+$/.test(o)) return bad();
      from.set(Number(p), BigInt(o));
    }
    return { topic: v.t, from };
  } catch {
    return bad();
  }
}
