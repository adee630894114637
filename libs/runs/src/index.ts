/**
 * @weaver/runs — runs and their steps (PostgreSQL schema `runs`, row-level security per tenant).
 *
 * `RUNS_SCHEMA` + `RUNS_MIGRATIONS` for `runMigrations`; `RunStore` to create runs, record
 * each step exactly once (write-once by tenant/run/step), move runs through their legal
 * states, and read a run with its timeline; `arriveAtJoin` keeps the partial inputs of agents
 * that require several event types (`runs.joins`: exactly one arriving event completes a join);
 * `ScheduleTickStore` claims scheduled ticks (`runs.schedule_ticks`: one claimant per tick);
 * agent memory (four kinds, `runs.memory_*`): writes go with `recordStep` (`StepMemoryWrites`,
 * applied with the step's first write), `MemoryReader` reads, `MemorySweeper` deletes expired
 * rows (see docs/memory.md); `TriggerOutbox` holds
 * the gateway's triggers not yet known to be on Kafka (`runs.trigger_outbox`, states in
 * `OUTBOX_TRANSITIONS`), so a recorded run always gets its trigger. `RunControl` cancels a run
 * (a terminal `cancelled`, write-once `run.cancelled` claim), `selectRunPage` lists runs by
 * keyset pages, `DeadLetterDispositions` records each dead letter's replay/discard once.
 */
import { CreateRuns1732500000000 } from './migrations/1732500000000-create-runs';
import { CreateJoinsAndScheduleTicks1732600000000 } from './migrations/1732600000000-create-joins-and-schedule-ticks';
import { CreateAgentMemory1732700000000 } from './migrations/1732700000000-create-agent-memory';
import { CreateTriggerOutbox1732810000000 } from './migrations/1732810000000-create-trigger-outbox';
import { AddRunSubject1732900000000 } from './migrations/1732900000000-add-run-subject';
import { IndexActiveRuns1732910000000 } from './migrations/1732910000000-index-active-runs';
import { CreateMemoryKinds1733100000000 } from './migrations/1733100000000-create-memory-kinds';
import { MemoryClassification1733200000000 } from './migrations/1733200000000-memory-classification';
import { RunCancelAndDeadLetters1733400000000 } from './migrations/1733400000000-run-cancel-and-dead-letters';

export * from './run.types';
export * from './run-store';
export * from './join-state';
export * from './schedule-tick-store';
export * from './memory/memory-writes';
export type { Eviction } from './memory/memory-eviction';
export * from './memory/memory-reads';
export * from './memory/memory-sweep';
export { MEMORY_PURPOSES, vectorBytes, bytesVector } from './memory/memory-fields';
export { RUN_PURPOSES } from './run-fields';
export * from './trigger-outbox-state';
export * from './trigger-outbox';
export * from './run-control';
export * from './run-pages';
export * from './dead-letter-dispositions';
export const RUNS_SCHEMA = 'runs';
export const RUNS_MIGRATIONS = [CreateRuns1732500000000, CreateJoinsAndScheduleTicks1732600000000, CreateAgentMemory1732700000000, CreateTriggerOutbox1732810000000, AddRunSubject1732900000000, IndexActiveRuns1732910000000, CreateMemoryKinds1733100000000, MemoryClassification1733200000000, RunCancelAndDeadLetters1733400000000];
