import type { TopicSpec } from '../topics';
import { sleep } from '../backoff';
import { kafkaClient, type KafkaConnection } from './connection';

/**
 * Creates the topics Weaver needs, idempotently (existing topics are left alone). This is the
 * only place topics come from: the broker refuses auto-creation.
 */
export async function provisionTopics(connection: KafkaConnection, specs: TopicSpec[]): Promise<{ created: string[]; existing: string[] }> {
  const admin = kafkaClient(connection).admin();
  await admin.connect();
  const created = new Set<string>();
  let existing: string[] = [];
  try {
    // A broker busy creating many topics at once (parallel test stacks, an isolated tenant's
    // namespace) can answer the leader wait with UNKNOWN_TOPIC_OR_PARTITION for a topic it has
    // just created: kafkajs retries only LEADER_NOT_AVAILABLE there. Such errors are retriable,
    // so the whole step is retried — topics created by then are found by the next listing.
    for (let attempt = 1; ; attempt++) {
      try {
        const present = new Set(await admin.listTopics());
        const missing = specs.filter((s) => !present.has(s.name));
        if (attempt === 1) existing = specs.filter((s) => present.has(s.name)).map((s) => s.name);
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
          for (const s of missing) created.add(s.name);
        }
        // Every partition led before anyone produces or subscribes.
        const { topics } = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.name) });
        if (topics.every((t) => t.partitions.every((p) => p.leader >= 0))) break;
        throw Object.assign(new Error('topics are created but not every partition has a leader yet'), { retriable: true });
      } catch (error) {
        const retriable = (error as { retriable?: boolean }).retriable === true || (error as { type?: string }).type === 'TOPIC_ALREADY_EXISTS';
        if (!retriable || attempt >= 10) throw error;
        await sleep(Math.min(2_000, 100 * 2 ** attempt));
      }
    }
    return { created: [...created], existing };
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
