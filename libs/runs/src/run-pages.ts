import type { EntityManager } from 'typeorm';
import { ValidationError } from '@weaver/errors';
import type { RunStatus } from './run.types';
import type { RunRow } from './run-store';

/** What a run list may be narrowed by (every field optional; `tenantId` unset: every tenant's, admin only). */
export interface RunPageFilter {
  tenantId?: string;
  workflow?: string;
  status?: RunStatus;
  /** created_at >= from */
  from?: Date;
  /** created_at < to */
  to?: Date;
  subjectId?: string;
  cursor?: string;
  limit: number;
}

/**
 * A page position: the last run's created_at (PostgreSQL's own microsecond text, so no precision
 * is lost in a JS Date) and run id. Keyset on (created_at, run_id) DESC: a run inserted while a
 * client pages is newer than every position already handed out, so pages never shift.
 */
export function encodeRunCursor(createdAt: string, runId: string): string {
  return Buffer.from(`${createdAt}|${runId}`, 'utf8').toString('base64url');
}

const CURSOR = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export function decodeRunCursor(cursor: string): { createdAt: string; runId: string } {
  const m = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new ValidationError([{ field: 'cursor', rule: 'must be a nextCursor this API returned' }], 'run list');
  return { createdAt: m[1]!, runId: m[2]! };
}

export type RunPageRow = RunRow & { cursor_at: string };

/** One page, newest first; one more row than asked tells whether there is a next page. */
export async function selectRunPage(em: EntityManager, f: RunPageFilter): Promise<{ rows: RunPageRow[]; nextCursor?: string }> {
  const where: string[] = [];
  const args: unknown[] = [];
  const add = (sql: (n: string) => string, v: unknown): void => {
    args.push(v);
    where.push(sql(`$${args.length}`));
  };
  if (f.tenantId) add((n) => `tenant_id = ${n}::uuid`, f.tenantId);
  if (f.workflow) add((n) => `workflow = ${n}`, f.workflow);
  if (f.status) add((n) => `status = ${n}`, f.status);
  if (f.from) add((n) => `created_at >= ${n}`, f.from);
  if (f.to) add((n) => `created_at < ${n}`, f.to);
  if (f.subjectId) add((n) => `subject_id = ${n}`, f.subjectId);
  if (f.cursor) {
    const c = decodeRunCursor(f.cursor);
    args.push(c.createdAt, c.runId);
    where.push(`(created_at, run_id) < ($${args.length - 1}::timestamptz, $${args.length}::uuid)`);
  }
  args.push(f.limit + 1);
  const rows: RunPageRow[] = await em.query(
    `SELECT *, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at FROM runs.runs
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, run_id DESC LIMIT $${args.length}`,
    args,
  );
  if (rows.length <= f.limit) return { rows };
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1]!;
  return { rows: page, nextCursor: encodeRunCursor(last.cursor_at, last.run_id) };
}
