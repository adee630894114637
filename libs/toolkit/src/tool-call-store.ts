import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { PLAINTEXT, type PayloadCipher } from '@weaver/crypto';
import { poolOf, TenantBatcher } from '@weaver/persistence';
import type { ToolResult } from '@weaver/sdk';

export const TOOL_CALL_RESULT_PURPOSE = 'tools.tool_calls.result';

export type ToolOutcome = 'ok' | 'error' | 'denied' | 'timeout' | 'unavailable' | 'breaker_open' | 'invalid';

/** One tool call of a step, as recorded. */
export interface ToolCallRecord {
  tenantId: string;
  runId: string;
  step: string;
  agent: string;
  /** The call's number within the step (1, 2, …): a redelivered step makes the same calls in the same order. */
  seq: number;
  tool: string;
  argsHash: string;
  outcome: ToolOutcome;
  durationMs: number;
  /** The tool's answer (for 'ok' and 'error'), sealed under `subjectId`'s (or the tenant's) key. */
  result?: ToolResult;
  error?: string;
  subjectId?: string;
}

export type RecordedCall = Pick<ToolCallRecord, 'seq' | 'tool' | 'argsHash' | 'outcome' | 'result'>;

/** Where a step's calls are recorded and read back (ToolCallStore; tests may keep them in memory). */
export interface ToolCallLog {
  /** The step's recorded calls by seq (read once per step, at its first tool call). */
  recorded(tenantId: string, runId: string, step: string): Promise<Map<number, RecordedCall>>;
  record(call: ToolCallRecord): Promise<void>;
}

type Op = { kind: 'load'; runId: string; step: string } | { kind: 'record'; call: ToolCallRecord; sealed: unknown };
type Out = Map<number, RecordedCall> | null;

/**
 * `tools.tool_calls` in PostgreSQL, under the tenant's row-level security. Reads and writes go
 * through a `TenantBatcher`: concurrent steps of a tenant share one transaction and one
 * multi-row statement per kind, so a tool call costs a share of a round trip under load, and a
 * step that calls no tool costs nothing. A write is awaited before the call returns, so a
 * result the agent saw is on record before the step can commit.
 */
export class ToolCallStore implements ToolCallLog {
  private readonly batcher: TenantBatcher<Op, Out>;

  constructor(
    ds: DataSource,
    private readonly cipher: PayloadCipher = PLAINTEXT,
  ) {
    this.batcher = new TenantBatcher(poolOf(ds), (client, tenant, ops) => this.execute(client, tenant, ops), { maxInFlightPerKey: 1 });
  }

  async recorded(tenantId: string, runId: string, step: string): Promise<Map<number, RecordedCall>> {
    const rows = (await this.batcher.submit(tenantId, { kind: 'load', runId, step })) as Map<number, RecordedCall>;
    for (const call of rows.values()) {
      if (call.result !== undefined) call.result = (await this.cipher.openJson(tenantId, TOOL_CALL_RESULT_PURPOSE, call.result)) as ToolResult;
    }
    return rows;
  }

  async record(call: ToolCallRecord): Promise<void> {
    const scope = call.subjectId ? { tenantId: call.tenantId, subject: call.subjectId } : { tenantId: call.tenantId };
    const sealed = call.result === undefined ? null : await this.cipher.sealJson(scope, TOOL_CALL_RESULT_PURPOSE, call.result);
    await this.batcher.submit(call.tenantId, { kind: 'record', call, sealed });
  }

  private async execute(client: PoolClient, tenant: string, ops: readonly Op[]): Promise<Out[]> {
    const loads = ops.filter((o): o is Extract<Op, { kind: 'load' }> => o.kind === 'load');
    const writes = ops.filter((o): o is Extract<Op, { kind: 'record' }> => o.kind === 'record');
    if (writes.length) {
      const c = writes.map((w) => w.call);
      // A replayed call that differs from its record (other tool or arguments) ran anew: its record is replaced.
      await client.query(
        `INSERT INTO tools.tool_calls (tenant_id, run_id, step, seq, tool, args_hash, outcome, duration_ms, result, error, agent)
         SELECT $1, r, s, q, t, h, o, d, res, e, a
           FROM unnest($2::uuid[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::int[], $9::jsonb[], $10::text[], $11::text[]) AS x(r, s, q, t, h, o, d, res, e, a)
         ON CONFLICT (tenant_id, run_id, step, seq) DO UPDATE
           SET tool = EXCLUDED.tool, args_hash = EXCLUDED.args_hash, outcome = EXCLUDED.outcome, duration_ms = EXCLUDED.duration_ms,
               result = EXCLUDED.result, error = EXCLUDED.error, called_at = now()`,
        [
          tenant,
          c.map((x) => x.runId),
          c.map((x) => x.step),
          c.map((x) => x.seq),
          c.map((x) => x.tool),
          c.map((x) => x.argsHash),
          c.map((x) => x.outcome),
          c.map((x) => Math.round(x.durationMs)),
          writes.map((w) => (w.sealed === null ? null : JSON.stringify(w.sealed))),
          c.map((x) => x.error ?? null),
          c.map((x) => x.agent),
        ],
      );
    }
    const found = new Map<string, Map<number, RecordedCall>>();
    if (loads.length) {
      const { rows } = await client.query<{ run_id: string; step: string; seq: number; tool: string; args_hash: string; outcome: ToolOutcome; result: unknown }>(
        `SELECT c.run_id, c.step, c.seq, c.tool, c.args_hash, c.outcome, c.result
           FROM tools.tool_calls c JOIN unnest($2::uuid[], $3::text[]) AS k(r, s) ON c.run_id = k.r AND c.step = k.s
          WHERE c.tenant_id = $1`,
        [tenant, loads.map((l) => l.runId), loads.map((l) => l.step)],
      );
      for (const r of rows) {
        const key = `${r.run_id}/${r.step}`;
        const calls = found.get(key) ?? new Map<number, RecordedCall>();
        calls.set(r.seq, { seq: r.seq, tool: r.tool, argsHash: r.args_hash, outcome: r.outcome, result: (r.result ?? undefined) as ToolResult | undefined });
        found.set(key, calls);
      }
    }
    // Each load gets its own copies (results are opened in place by `recorded`).
    return ops.map((o) => (o.kind === 'load' ? new Map([...(found.get(`${o.runId.toLowerCase()}/${o.step}`) ?? [])].map(([seq, c]) => [seq, { ...c }])) : null));
  }
}

/** The step's calls kept in memory (unit tests, local runners without a database). */
export function memoryToolCallLog(): ToolCallLog & { calls: ToolCallRecord[] } {
  const calls: ToolCallRecord[] = [];
  return {
    calls,
    recorded: async (tenantId, runId, step) =>
      new Map(calls.filter((c) => c.tenantId === tenantId && c.runId === runId && c.step === step).map((c) => [c.seq, { ...c }])),
    record: async (call) => {
      const i = calls.findIndex((c) => c.tenantId === call.tenantId && c.runId === call.runId && c.step === call.step && c.seq === call.seq);
      if (i >= 0) calls[i] = call;
      else calls.push(call);
    },
  };
}
