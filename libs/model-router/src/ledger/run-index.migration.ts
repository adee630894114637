import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A run's model calls (ListModelCalls: the console's run view) are read by (tenant, run): without
 * this index that read scans every ledger row of the tenant. It costs each billed call one more
 * btree insert, next to the two the ledger already has.
 */
export class RouterLedgerRunIndex1760000001200 implements MigrationInterface {
  name = 'RouterLedgerRunIndex1760000001200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX usage_ledger_tenant_run ON router.usage_ledger (tenant_id, run_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX router.usage_ledger_tenant_run`);
  }
}
