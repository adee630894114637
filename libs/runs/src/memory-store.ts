import type { DataSource } from 'typeorm';
import { PLAINTEXT, type PayloadCipher } from '@weaver/crypto';
import { ValidationError } from '@weaver/errors';
import { withTenant } from '@weaver/persistence';
import { RUN_PURPOSES, runScope } from './run-fields';

export interface MemoryScope {
  tenantId: string;
  /** A run id, or '*' for memory shared by all runs of the agent (per tenant). */
  runId: string;
  agent: string;
  /** The run's data subject (run-scoped memory only): its key seals the values. */
  subjectId?: string;
}

/**
 * Durable agent memory (`this.memory`) in PostgreSQL, under the tenant's row-level security:
 * it survives restarts and is shared by every runner replica. A value is any JSON, sealed
 * under the tenant's data key when a cipher is given (keys stay plaintext: they are looked up).
 */
export class MemoryStore {
  constructor(
    private readonly ds: DataSource,
    private readonly cipher: PayloadCipher = PLAINTEXT,
  ) {}

  scoped(scope: MemoryScope): { get<T = unknown>(key: string): Promise<T | undefined>; set(key: string, value: unknown): Promise<void> } {
    return {
      get: async <T>(key: string): Promise<T | undefined> => {
        const rows: Array<{ value: T }> = await withTenant(this.ds, scope.tenantId, (em) =>
          em.query(`SELECT value FROM runs.agent_memory WHERE tenant_id = $1 AND scope = $2 AND agent = $3 AND key = $4`, [scope.tenantId, scope.runId, scope.agent, key]),
        );
        return rows[0] && ((await this.cipher.openJson(scope.tenantId, RUN_PURPOSES.memory, rows[0].value)) as T);
      },
      set: async (key: string, value: unknown): Promise<void> => {
        if (value === undefined) throw new ValidationError([{ field: `memory.${key}`, rule: 'must be a JSON value (not undefined)' }]);
        // Agent-wide memory ('*') is the tenant's, never one subject's.
        const stored = await this.cipher.sealJson(runScope(scope.tenantId, scope.runId === '*' ? undefined : scope.subjectId), RUN_PURPOSES.memory, value);
        await withTenant(this.ds, scope.tenantId, (em) =>
          em.query(
            `INSERT INTO runs.agent_memory (tenant_id, scope, agent, key, value) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (tenant_id, scope, agent, key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
            [scope.tenantId, scope.runId, scope.agent, key, JSON.stringify(stored)],
          ),
        );
      },
    };
  }
}
