import { randomUUID } from 'node:crypto';
import { NotFoundError } from '@weaver/errors';
import { decodeEnvelope, deadLetterTopics, describeDeadLetter, dlqTopic, legacyReplayedBelow, payloadOf, readDeadLetters, redriveDeadLetters, type DeadLetterInfo, type EnvelopeSealer, type InboundRecord, type KafkaConnection, type TopicNames } from '@weaver/messaging';
import type { Logger } from '@weaver/observability';
import { DeadLetterDispositions, type LetterClaim } from '@weaver/runs';
import { decodeLetterCursor, encodeLetterCursor, letterId, parseLetterId } from './dead-letter-ids';
import { selectLetters, type LetterSelection } from './dead-letter-selection';

export type LetterState = 'dead' | 'replaying' | 'replayed' | 'discarded';
export interface DeadLetterView extends DeadLetterInfo {
  id: string;
  state: LetterState;
}

/** Records scanned per topic read while listing (tenant filters may skip many). */
const SCAN = 500;

/**
 * The admin API's dead letters. The letters are read from their DLQ topics (the truth: nothing is
 * written on a step's path when a record is dead-lettered); what operators did with them is in
 * `runs.dead_letter_dispositions`, claimed once per letter, so a letter is re-driven at most once
 * whichever route asks (one, a selection, a run's retry) and a discarded one never. Letters below
 * the legacy replay group's position (`POST /v1/dlq/:group/replay` before this API) count as replayed.
 * `tenantId` on a call: only that tenant's letters exist for it (tenant admin keys).
 */
export class DeadLetterAdmin {
  constructor(
    private readonly kafka: KafkaConnection,
    private readonly names: TopicNames,
    private readonly dispositions: DeadLetterDispositions,
    private readonly logger: Logger,
    private readonly sealer?: EnvelopeSealer,
  ) {}

  async list(q: { group?: string; tenantId?: string; cursor?: string; limit: number }): Promise<{ deadLetters: DeadLetterView[]; nextCursor?: string }> {
    const cursor = q.cursor ? decodeLetterCursor(q.cursor) : undefined;
    // Only topics that exist (a group that never dead-lettered has no DLQ yet: an empty list).
    const existing = await deadLetterTopics(this.kafka, this.names);
    const topics = q.group ? existing.filter((t) => t === dlqTopic(q.group!)) : existing;
    const out: InboundRecord[] = [];
    let budget = SCAN * 10;
    for (const topic of topics.filter((t) => !cursor || t >= cursor.topic)) {
      let from = cursor?.topic === topic ? cursor.from : undefined;
      for (;;) {
        const read = await readDeadLetters(this.kafka, topic, { from, max: SCAN });
        budget -= SCAN;
        for (const r of read.records) {
          if (q.tenantId && describeDeadLetter(r).tenantId !== q.tenantId) continue;
          out.push(r);
          if (out.length === q.limit) return { deadLetters: await this.views(out), nextCursor: encodeLetterCursor({ topic, from: new Map([...read.ends, [r.partition, BigInt(r.offset) + 1n]]) }) };
        }
        if (read.done) break;
        from = read.ends;
        if (budget <= 0) return { deadLetters: await this.views(out), nextCursor: encodeLetterCursor({ topic, from }) };
      }
    }
    return { deadLetters: await this.views(out) };
  }

  /** One letter with its payload (opened when sealed; the gateway's cipher decides what it can open). */
  async get(id: string, tenantId?: string): Promise<DeadLetterView & { key: string | null; payload: unknown }> {
    const record = await this.read(id, tenantId);
    const [view] = await this.views([record]);
    return { ...view!, key: record.key, payload: await this.payloadOf(record) };
  }

  async replayOne(id: string, actor: string, tenantId?: string): Promise<DeadLetterView> {
    const record = await this.read(id, tenantId);
    await this.redrive([record], actor);
    return (await this.views([record]))[0]!;
  }

  /** Re-drives every selected letter still dead (ids, or a group's offset / time range, or all). */
  async replayMany(sel: LetterSelection, actor: string, tenantId?: string): Promise<{ replayed: number }> {
    const records = await selectLetters(this.kafka, this.names, sel, (id) => this.read(id, tenantId).catch(() => undefined));
    const mine = records.filter((r) => !tenantId || describeDeadLetter(r).tenantId === tenantId);
    return { replayed: await this.redrive(mine, actor) };
  }

  async discard(id: string, actor: string, tenantId?: string): Promise<DeadLetterView> {
    const record = await this.read(id, tenantId);
    const info = describeDeadLetter(record);
    const [view] = await this.views([record]);
    if (view!.state === 'replayed') return view!;
    await this.dispositions.discard({ ...info, tenantId: info.tenantId ?? undefined, runId: info.runId ?? undefined }, actor);
    return (await this.views([record]))[0]!;
  }

  /** The newest letter of a run in a group that is still dead (for a retry from the failed step). */
  async latestOfRun(group: string, tenantId: string, runId: string): Promise<InboundRecord | undefined> {
    const topic = dlqTopic(group);
    if (!(await deadLetterTopics(this.kafka, this.names)).includes(topic)) return undefined;
    const found: InboundRecord[] = [];
    let from: Map<number, bigint> | undefined;
    for (let settle = true; ; settle = false) {
      const read = await readDeadLetters(this.kafka, topic, { from, max: 5_000, settle });
      found.push(...read.records.filter((r) => describeDeadLetter(r).tenantId === tenantId && describeDeadLetter(r).runId === runId));
      if (read.done) break;
      from = read.ends;
    }
    const views = await this.views(found);
    return found.filter((_, i) => views[i]!.state === 'dead').pop();
  }

  /** Claims the letters still dead, re-drives the claimed ones in one transaction, settles them. Answers how many. */
  async redrive(records: readonly InboundRecord[], actor: string): Promise<number> {
    const views = await this.views(records);
    const claims: LetterClaim[] = records.flatMap((r, i) => (views[i]!.state === 'dead' ? [claimOf(describeDeadLetter(r))] : []));
    const claimed = await this.dispositions.claim(claims, actor);
    const won = new Set(claimed.map((c) => DeadLetterDispositions.keyOf(c)));
    const sending = records.filter((r) => won.has(DeadLetterDispositions.keyOf(r)));
    for (let i = 0; i < sending.length; i += 500) {
      const chunk = sending.slice(i, i + 500);
      // Claimed but not sent (the send failed or was cut short) stays `replaying`: never sent twice.
      await redriveDeadLetters(this.kafka, chunk, `weaver-dlq-admin.${randomUUID()}`);
      await this.dispositions.settle(chunk);
    }
    if (sending.length) this.logger.info({ actor, replayed: sending.length }, 're-drove dead letters');
    return sending.length;
  }

  private async read(id: string, tenantId?: string): Promise<InboundRecord> {
    const { topic, partition, offset } = parseLetterId(id);
    if (!(await deadLetterTopics(this.kafka, this.names)).includes(topic)) throw new NotFoundError('dead letter', id);
    const at = BigInt(offset);
    const { records } = await readDeadLetters(this.kafka, topic, { from: new Map([[partition, at]]), to: new Map([[partition, at + 1n]]), max: 1, settle: true }).catch(() => ({ records: [] as InboundRecord[] }));
    const record = records.find((r) => r.partition === partition && r.offset === offset);
    // Another tenant's letter is simply not there for a tenant's key.
    if (!record || (tenantId && describeDeadLetter(record).tenantId !== tenantId)) throw new NotFoundError('dead letter', id);
    return record;
  }

  private async views(records: readonly InboundRecord[]): Promise<DeadLetterView[]> {
    const states = await this.dispositions.of(records);
    const legacy = new Map<string, Map<number, bigint>>();
    for (const topic of new Set(records.map((r) => r.topic))) legacy.set(topic, await legacyReplayedBelow(this.kafka, topic));
    return records.map((r) => {
      const info = describeDeadLetter(r);
      const state: LetterState = states.get(DeadLetterDispositions.keyOf(r))?.state ?? (BigInt(r.offset) < (legacy.get(r.topic)?.get(r.partition) ?? 0n) ? 'replayed' : 'dead');
      return { id: letterId(r.topic, r.partition, r.offset), ...info, state };
    });
  }

  private async payloadOf(record: InboundRecord): Promise<unknown> {
    try {
      const opened = this.sealer ? await this.sealer.openRecord(record) : record;
      return payloadOf(decodeEnvelope(opened));
    } catch (error) {
      // A record that is no envelope (or whose key is gone): its bytes, as text.
      this.logger.debug({ err: String(error) }, 'dead letter payload not decodable');
      return { undecodable: record.value.toString('utf8').slice(0, 10_000) };
    }
  }
}

/** What a claim revives: the run whose failed step the letter is (agents by group name; the dispatcher's step is "trigger"). */
function claimOf(info: DeadLetterInfo): LetterClaim {
  const agent = /(?:^|\.)weaver\.agent\.(.+)$/.exec(info.group)?.[1];
  const step = agent ?? (/(?:^|\.)weaver\.dispatcher$/.test(info.group) ? 'trigger' : undefined);
  const base = { topic: info.topic, partition: info.partition, offset: info.offset, tenantId: info.tenantId ?? undefined, runId: info.runId ?? undefined };
  return info.tenantId && info.runId && step ? { ...base, revive: { tenantId: info.tenantId, runId: info.runId, step } } : base;
}
