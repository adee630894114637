import type { SchemaMigrations } from '@weaver/persistence';
import { AUDIT_MIGRATIONS, AUDIT_SCHEMA } from '@weaver/audit';
import { KEYS_MIGRATIONS, KEYS_SCHEMA } from '@weaver/crypto';
import { ROUTER_MIGRATIONS, ROUTER_SCHEMA } from '@weaver/model-router';
import { POLICY_MIGRATIONS, POLICY_SCHEMA } from '@weaver/policy';
import { publisherSchema } from '@weaver/publisher-core';
import { registrySchema } from '@weaver/registry-core';
import { RUNS_MIGRATIONS, RUNS_SCHEMA } from '@weaver/runs';
import { tenancySchema } from '@weaver/tenancy-core';
import { TOOLS_MIGRATIONS, TOOLS_SCHEMA } from '@weaver/toolkit';

/**
 * Every schema of Weaver's database and its migrations, in the order the migrate step applies
 * them. The one list: a library's new migrations (added to its exported list) are picked up
 * here by themselves; a new schema is one line here (and its grants in service-grants.ts).
 */
export const DATABASE_SCHEMAS: readonly SchemaMigrations[] = [
  { schema: tenancySchema.schema, migrations: tenancySchema.migrations },
  { schema: registrySchema.schema, migrations: registrySchema.migrations },
  { schema: publisherSchema.schema, migrations: publisherSchema.migrations },
  { schema: ROUTER_SCHEMA, migrations: ROUTER_MIGRATIONS },
  { schema: RUNS_SCHEMA, migrations: RUNS_MIGRATIONS },
  // MCP tool-call records and admin tool grants (agent-runner writes calls, gateway writes grants).
  { schema: TOOLS_SCHEMA, migrations: TOOLS_MIGRATIONS },
  // Tenants' Cedar policies and their version counters (tenancy serves PolicyService).
  { schema: POLICY_SCHEMA, migrations: POLICY_MIGRATIONS },
  // Wrapped data keys (envelope encryption), shared: every role may read and create, tenancy rotates and destroys.
  { schema: KEYS_SCHEMA, migrations: KEYS_MIGRATIONS },
  // The tamper-evident audit trail: hash-chained entries and signed checkpoints, append-only (tenancy's chainer writes).
  { schema: AUDIT_SCHEMA, migrations: AUDIT_MIGRATIONS },
];
