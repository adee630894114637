import type { DataSource } from 'typeorm';
import { TENANT_SETTING } from '@weaver/persistence';

/** What an operator did with a dead letter; none yet: it is still dead (waiting). */
export type DispositionState = 'replaying' | 'replayed' | 'discarded';

/** A dead letter by its place on its DLQ topic. */
export interface LetterPosition {
  topic: string;
  partition: number;
  offset: string;
}

export interface Disposition {
  state: DispositionState;
  actor: string;
  updatedAt: Date;
}

/**
 * A letter to claim for a re-drive. `revive`: the run whose failed step this letter is; claimed
 * with it (same transaction), the run goes failed -> running (RUN_TRANSITIONS) so the re-driven
 * step can complete it — only if it is still failed at that step.
 */
export interface LetterClaim extends LetterPosition {
  tenantId?: string;
  runId?: string;
  revive?: { tenantId: string; runId: string; step: string };
}

const key = (p: LetterPosition): string => `${p.topic}/${p.partition}@${p.offset}`;

/**
 * `runs.dead_letter_dispositions`: the write-once claims that make every re-drive and discard of
 * a dead letter happen at most once. A re-drive claims (`replaying`) before it sends and settles
 * (`replayed`) after: a letter is never sent twice, and one whose send was cut short stays
 * `replaying` (visible, refused for replay, may be discarded). Admin-only: nothing here is on
 * the step path.
 */
export class DeadLetterDispositions {
  constructor(private readonly ds: DataSource) {}

  async of(positions: readonly LetterPosition[]): Promise<Map<string, Disposition>> {
    const out = new Map<string, Disposition>();
    if (!positions.length) return out;
    const rows: Array<{ dlq_topic: string; dlq_partition: number; dlq_offset: string; state: DispositionState; actor: string; updated_at: Date }> = await this.ds.query(
      `SELECT dlq_topic, dlq_partition, dlq_offset::text, state, actor, updated_at FROM runs.dead_letter_dispositions
       WHERE (dlq_topic, dlq_partition, dlq_offset) IN (SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[]))`,
      [positions.map((p) => p.topic), positions.map((p) => p.partition), positions.map((p) => p.offset)],
    );
    for (const r of rows) out.set(key({ topic: r.dlq_topic, partition: r.dlq_partition, offset: r.dlq_offset }), { state: r.state, actor: r.actor, updatedAt: r.updated_at });
    return out;
  }

  static keyOf(p: LetterPosition): string {
    return key(p);
  }

  /** Claims the letters nobody claimed or discarded before; answers the ones this call holds now. */
  async claim(letters: readonly LetterClaim[], actor: string): Promise<LetterClaim[]> {
    if (!letters.length) return [];
    return this.ds.transaction(async (em) => {
      const rows: Array<{ dlq_topic: string; dlq_partition: number; dlq_offset: string }> = await em.query(
        `INSERT INTO runs.dead_letter_dispositions (dlq_topic, dlq_partition, dlq_offset, state, tenant_id, run_id, actor)
         SELECT v.t, v.p, v.o, 'replaying', NULLIF(v.tenant, '')::uuid, NULLIF(v.run, '')::uuid, $6
         FROM unnest($1::text[], $2::int[], $3::bigint[], $4::text[], $5::text[]) AS v(t, p, o, tenant, run)
         ON CONFLICT DO NOTHING RETURNING dlq_topic, dlq_partition, dlq_offset::text`,
        [letters.map((l) => l.topic), letters.map((l) => l.partition), letters.map((l) => l.offset), letters.map((l) => l.tenantId ?? ''), letters.map((l) => l.runId ?? ''), actor],
      );
      const won = new Set(rows.map((r) => key({ topic: r.dlq_topic, partition: r.dlq_partition, offset: r.dlq_offset })));
      const claimed = letters.filter((l) => won.has(key(l)));
      for (const l of claimed) {
        if (!l.revive) continue;
        await em.query(`SELECT set_config($1, $2, true)`, [TENANT_SETTING, l.revive.tenantId.toLowerCase()]);
        await em.query(
          `UPDATE runs.runs SET status = 'running', error = NULL, failed_step = NULL, updated_at = now() WHERE tenant_id = $1 AND run_id = $2 AND status = 'failed' AND failed_step = $3`,
          [l.revive.tenantId, l.revive.runId, l.revive.step],
        );
      }
      return claimed;
    });
  }

  /** The claimed letters were sent (their transaction committed). */
  async settle(letters: readonly LetterPosition[]): Promise<void> {
    if (!letters.length) return;
    await this.ds.query(
      `UPDATE runs.dead_letter_dispositions SET state = 'replayed', updated_at = now()
       WHERE state = 'replaying' AND (dlq_topic, dlq_partition, dlq_offset) IN (SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[]))`,
      [letters.map((p) => p.topic), letters.map((p) => p.partition), letters.map((p) => p.offset)],
    );
  }

  /**
   * Discards a letter (it will never be re-driven). Idempotent: discarding a discarded letter is
   * fine; a letter already re-driven (or being re-driven) answers its state instead.
   */
  async discard(letter: LetterClaim, actor: string): Promise<{ discarded: boolean; state: DispositionState }> {
    const rows: unknown[] = await this.ds.query(
      `INSERT INTO runs.dead_letter_dispositions (dlq_topic, dlq_partition, dlq_offset, state, tenant_id, run_id, actor)
       VALUES ($1, $2, $3, 'discarded', NULLIF($4, '')::uuid, NULLIF($5, '')::uuid, $6) ON CONFLICT DO NOTHING RETURNING state`,
      [letter.topic, letter.partition, letter.offset, letter.tenantId ?? '', letter.runId ?? '', actor],
    );
    if (rows.length) return { discarded: true, state: 'discarded' };
    const now = (await this.of([letter])).get(key(letter));
    return { discarded: false, state: now?.state ?? 'discarded' };
  }
}
