/**
 * @weaver/runs — runs and their steps (PostgreSQL schema `runs`, row-level security per tenant).
 *
 * `RUNS_SCHEMA` + `RUNS_MIGRATIONS` for `runMigrations`; `RunStore` to create runs, record
 * each step exactly once (write-once by tenant/run/step), move runs through their legal
 * states, and read a run with its timeline.
 */
import { CreateRuns1732500000000 } from './migrations/1732500000000-create-runs';

export * from './run.types';
export * from './run-store';
export const RUNS_SCHEMA = 'runs';
export const RUNS_MIGRATIONS = [CreateRuns1732500000000];
