import type { Message, Producer, TopicMessages, Transaction } from 'kafkajs';
import type { OutboundRecord } from '../records';

/**
 * Runs `work` in one Kafka transaction of `producer` and commits it; on any error aborts (an
 * abort that fails too is dropped: the broker aborts the transaction at its timeout or when
 * the transactional id is initialised again) and rethrows the original error.
 */
export async function inTransaction<T>(producer: Producer, work: (txn: Transaction) => Promise<T>): Promise<T> {
  const txn = await producer.transaction();
  try {
    const result = await work(txn);
    await txn.commit();
    return result;
  } catch (error) {
    await txn.abort().catch(() => undefined);
    throw error;
  }
}

/** Outbound records grouped by topic, in order, as kafkajs' `sendBatch` takes them. */
export function topicMessagesOf(records: readonly OutboundRecord[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const r of records) {
    const list = byTopic.get(r.topic) ?? [];
    list.push({ key: r.key, value: r.value, headers: r.headers });
    byTopic.set(r.topic, list);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
