import type { Admin } from 'kafkajs';
import { sleep } from './backoff';

/** High watermarks per partition (the offset the next record will get). */
export async function endOffsets(admin: Admin, topic: string): Promise<Map<number, bigint>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
}

/**
 * Waits until a group has committed up to `targets` on every partition. Under read-committed
 * the last committed offset may stop short of the high watermark by the transaction markers,
 * so "caught up" also accepts a lag made only of markers: no committed record left to read.
 */
export async function waitUntilCommitted(
  admin: Admin,
  group: string,
  topic: string,
  targets: Map<number, bigint>,
  opts: { timeoutMs: number; pollMs?: number; isDone?: () => boolean },
): Promise<boolean> {
  const deadline = Date.now() + opts.timeoutMs;
  while (Date.now() < deadline) {
    const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    const byPartition = new Map((committed?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
    let behind = false;
    for (const [partition, target] of targets) {
      const at = byPartition.get(partition) ?? -1n;
      if (target > 0n && at < target) behind = true;
    }
    if (!behind || opts.isDone?.()) return true;
    await sleep(opts.pollMs ?? 200);
  }
  return false;
}
