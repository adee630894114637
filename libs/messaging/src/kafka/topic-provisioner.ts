import type { TopicSpec } from '../topics';
import { kafkaClient, type KafkaConnection } from './connection';

/**
 * Creates the topics Weaver needs, idempotently (existing topics are left alone). This is the
 * only place topics come from: the broker refuses auto-creation.
 */
export async function provisionTopics(connection: KafkaConnection, specs: TopicSpec[]): Promise<{ created: string[]; existing: string[] }> {
  const admin = kafkaClient(connection).admin();
  await admin.connect();
  try {
    const present = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !present.has(s.name));
    if (missing.length) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({
          topic: s.name,
          numPartitions: s.partitions,
          replicationFactor: s.replicationFactor,
          configEntries: Object.entries(s.config ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
    }
    return { created: missing.map((s) => s.name), existing: specs.filter((s) => present.has(s.name)).map((s) => s.name) };
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopics(connection: KafkaConnection, names: string[]): Promise<void> {
  const admin = kafkaClient(connection).admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: names });
  } finally {
    await admin.disconnect();
  }
}

/** Every topic on the cluster (for tools and tests that check where records went). */
export async function listTopics(connection: KafkaConnection): Promise<string[]> {
  const admin = kafkaClient(connection).admin();
  await admin.connect();
  try {
    return await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}
