import { deadLetterTopics, dlqTopic, readDeadLetters, type InboundRecord, type KafkaConnection, type TopicNames } from '@weaver/messaging';

/**
 * Which dead letters a bulk replay takes: `ids`; or a group's letters (all groups' without one),
 * narrowed by DLQ offsets (`fromOffset`..`toOffset`, both inclusive) and/or by when they were
 * dead-lettered (`from` inclusive, `to` exclusive).
 */
export interface LetterSelection {
  group?: string;
  ids?: string[];
  fromOffset?: bigint;
  toOffset?: bigint;
  from?: Date;
  to?: Date;
}

export async function selectLetters(kafka: KafkaConnection, names: TopicNames, sel: LetterSelection, readById: (id: string) => Promise<InboundRecord | undefined>): Promise<InboundRecord[]> {
  if (sel.ids?.length) return (await Promise.all([...new Set(sel.ids)].map(readById))).filter((r): r is InboundRecord => r !== undefined);
  const existing = await deadLetterTopics(kafka, names);
  const topics = sel.group ? existing.filter((t) => t === dlqTopic(sel.group!)) : existing;
  const out: InboundRecord[] = [];
  const to = sel.toOffset === undefined ? undefined : sel.toOffset + 1n;
  for (const topic of topics) {
    let from: Map<number, bigint> | bigint | undefined = sel.fromOffset;
    for (;;) {
      const read = await readDeadLetters(kafka, topic, { from, to, max: 5_000, settle: true });
      out.push(...read.records.filter((r) => (!sel.from || Number(r.timestamp) >= sel.from.getTime()) && (!sel.to || Number(r.timestamp) < sel.to.getTime())));
      if (read.done) break;
      from = read.ends;
    }
  }
  return out;
}
