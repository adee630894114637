import { createHash } from 'node:crypto';

/** Weaver's namespace for name-based run ids (a fixed random UUID). */
const NAMESPACE = Buffer.from('5f0c6a1e8b7d4c2f9a3e1d6b0c4f7a29', 'hex');

/**
 * A name-based (RFC 9562 version 5) UUID: the same name always gives the same run id. Triggers
 * that may be written twice (a scheduler retrying a tick, a redelivered Kafka record) derive
 * their run id from what they are, so the second write lands on the same run.
 */
export function runIdFromName(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The run of a scheduled tick, for one tenant. */
export const scheduledRunId = (tenantId: string, workflow: string, tickAt: Date): string => runIdFromName(`schedule/${tenantId.toLowerCase()}/${workflow}/${tickAt.toISOString()}`);

/**
 * The run of a record on a Kafka trigger topic. The record's timestamp is part of the name, so a
 * topic deleted and created again (offsets restart at 0) does not collide with old runs.
 */
export const kafkaRunId = (record: { topic: string; partition: number; offset: string; timestamp: string }): string =>
  runIdFromName(`kafka/${record.topic}/${record.partition}/${record.offset}/${record.timestamp}`);
