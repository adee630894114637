import type { ApiRoute } from '../route';
import { AGENT_ROUTES } from './agents';
import { AUDIT_ROUTES } from './audit';
import { DLQ_ROUTES } from './dlq';
import { META_ROUTES } from './meta';
import { PII_POLICY_ROUTES } from './pii-policy';
import { POLICY_ROUTES } from './policies';
import { QUOTA_ROUTES } from './quotas';
import { RUN_ROUTES } from './runs';
import { TENANT_ROUTES } from './tenants';
import { TOOL_ROUTES } from './tools';
import { USAGE_ROUTES } from './usage';
import { CONSOLE_ROUTES } from './console';
import { RUNS_ADMIN_ROUTES } from './runs-admin';
import { ADMIN_API_ROUTES } from './admin';

export * from './agents';
export * from './audit';
export * from './dlq';
export * from './meta';
export * from './pii-policy';
export * from './policies';
export * from './quotas';
export * from './runs';
export * from './tenants';
export * from './tools';
export * from './usage';
export * from './console';
export * from './runs-admin';

export { ADMIN_API_ROUTES, ADMIN_ROUTES, adminSchemas, type AdminBody, type AdminRouteName } from './admin';

/**
 * Every REST route of the gateway, grouped by area (one file per area). The OpenAPI document,
 * the gateway's validation, the SDK client and docs/api.md all come from this list.
 * Areas are filled in by their owners: runs/agents/tools/audit/policies/... (api), admin
 * tenants/keys/budgets/usage/agents (admin), runs admin + dead letters (runs-admin), console.
 */
export const API_ROUTES: readonly ApiRoute[] = [
  ...RUN_ROUTES,
  ...AGENT_ROUTES,
  ...TOOL_ROUTES,
  ...TENANT_ROUTES,
  ...POLICY_ROUTES,
  ...DLQ_ROUTES,
  ...QUOTA_ROUTES,
  ...AUDIT_ROUTES,
  ...PII_POLICY_ROUTES,
  ...USAGE_ROUTES,
  ...META_ROUTES,
  ...CONSOLE_ROUTES,
  ...RUNS_ADMIN_ROUTES,
  ...ADMIN_API_ROUTES,
];
