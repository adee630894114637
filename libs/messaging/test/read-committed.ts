import { readTopicsUntil, type InboundRecord, type KafkaConnection } from '../src';

/**
 * Reads a topic from the beginning as a read-committed consumer until `expected` records
 * arrived, then on to its end at that moment (so a duplicate committed by then is seen too).
 */
export function readAll(kafka: KafkaConnection, topic: string, expected: number, timeoutMs: number): Promise<InboundRecord[]> {
  return readTopicsUntil(kafka, [topic], (records) => records.length >= expected, timeoutMs);
}
