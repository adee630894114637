import type { ApiRoute } from '../route';
import { ADMIN_API_ROUTES } from './admin';

export { ADMIN_API_ROUTES, ADMIN_ROUTES, adminSchemas, type AdminBody, type AdminRouteName } from './admin';

/**
 * Every REST route of the gateway, grouped by area (one file per area). The OpenAPI document,
 * the gateway's validation, the SDK client and docs/api.md all come from this list.
 * Areas are filled in by their owners: runs/agents/tools/audit/policies/... (api), admin
 * tenants/keys/budgets/usage/agents (admin), runs admin + dead letters (runs-admin), console.
 */
export const API_ROUTES: readonly ApiRoute[] = [...ADMIN_API_ROUTES];
