import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '@weaver/persistence';
import { RouterBillingFunctions1760000000001 } from './billing-functions.migration';
import { RouterQuotaBilling1760000000002 } from './quota-billing.migration';
import { RouterPiiPolicies1760000000003 } from '../pii/pii-policies.migration';
import { RouterLedgerRunIndex1760000001200 } from './run-index.migration';

export const ROUTER_SCHEMA = 'router';

/**
 * The router's tables: the usage ledger (tokens and cost per tenant, workflow, agent, model),
 * tenant budgets (limit, spent, reserved) and idempotency records (one response per agent step);
 * later migrations add the billing functions and per-tenant PII policies (router.pii_policies).
 * Money is numeric(20,9) USD: per-token prices are fractions of a micro-dollar.
 */
export class CreateRouterLedger1760000000000 implements MigrationInterface {
  name = 'CreateRouterLedger1760000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE router.usage_ledger (
      id bigserial PRIMARY KEY,
      tenant_id uuid NOT NULL,
      workflow text NOT NULL,
      agent text NOT NULL,
      run_id text NOT NULL,
      step text NOT NULL,
      model text NOT NULL,
      provider text NOT NULL,
      operation text NOT NULL,
      input_tokens integer NOT NULL,
      output_tokens integer NOT NULL,
      cost_usd numeric(20,9) NOT NULL,
      cached boolean NOT NULL DEFAULT false,
      experiment text NOT NULL DEFAULT '',
      arm text NOT NULL DEFAULT '',
      idempotency_key text,
      created_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE INDEX usage_ledger_tenant_time ON router.usage_ledger (tenant_id, created_at)`);
    await q.query(`CREATE UNIQUE INDEX usage_ledger_one_bill_per_key ON router.usage_ledger (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL`);
    await enableTenantRls(q, 'router.usage_ledger');

    await q.query(`CREATE TABLE router.tenant_budgets (
      tenant_id uuid PRIMARY KEY,
      limit_usd numeric(20,9) NOT NULL CHECK (limit_usd >= 0),
      spent_usd numeric(20,9) NOT NULL DEFAULT 0,
      reserved_usd numeric(20,9) NOT NULL DEFAULT 0 CHECK (reserved_usd >= 0),
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await enableTenantRls(q, 'router.tenant_budgets');

    await q.query(`CREATE TABLE router.idempotency_records (
      tenant_id uuid NOT NULL,
      idempotency_key text NOT NULL,
      request_hash text NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'completed')),
      response jsonb,
      claimed_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz,
      PRIMARY KEY (tenant_id, idempotency_key))`);
    await enableTenantRls(q, 'router.idempotency_records');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['router.idempotency_records', 'router.tenant_budgets', 'router.usage_ledger']) {
      await disableTenantRls(q, t);
      await q.query(`DROP TABLE ${t}`);
    }
  }
}

export const ROUTER_MIGRATIONS = [
  CreateRouterLedger1760000000000, RouterBillingFunctions1760000000001, RouterQuotaBilling1760000000002, RouterPiiPolicies1760000000003,
  RouterLedgerRunIndex1760000001200,
];
