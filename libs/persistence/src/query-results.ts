/**
 * TypeORM's `query()` on PostgreSQL answers UPDATE and DELETE with `[rows, rowCount]` and every
 * other statement with the rows, so `UPDATE ... RETURNING` code that reads the result as rows
 * sees a two-element array. This gives the returned rows whatever the statement was (rows are
 * objects, never arrays, so the two shapes cannot be confused).
 */
export function returnedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
