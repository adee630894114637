import type { KafkaMessage } from 'kafkajs';
import { decodeHeaders, type InboundRecord } from '../records';

/** A fetched kafkajs message as Weaver's `InboundRecord` (the one place this conversion is written). */
export function toInboundRecord(topic: string, partition: number, message: KafkaMessage): InboundRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ? message.key.toString('utf8') : null,
    value: message.value ?? Buffer.alloc(0),
    headers: decodeHeaders(message.headers),
    timestamp: message.timestamp,
  };
}
