import { CreateAudit1767000000000 } from './migrations/1767000000000-create-audit.migration';
import { CreateRemoteCheckpoints1767100000000 } from './migrations/1767100000000-create-remote-checkpoints.migration';

export const AUDIT_SCHEMA = 'audit';
/** The audit schema's migrations, in order (a line of DATABASE_SCHEMAS in @weaver/migrate). */
export const AUDIT_MIGRATIONS = [CreateAudit1767000000000, CreateRemoteCheckpoints1767100000000];
