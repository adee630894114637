/**
 * @weaver/migrate — the migrate step for the whole database: DATABASE_SCHEMAS (every schema
 * and its migrations, the one list) and `migrateAll`, run by `migrate.main.ts` (the command and
 * the Kubernetes Job `weaver-migrate`), `npm run dev` and the e2e stacks (tools/stack).
 */
export * from './database-schemas';
export * from './migrate-all';
