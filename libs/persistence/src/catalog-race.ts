/**
 * Roles live in a cluster-wide catalog. Two sessions altering the same role at once do not queue:
 * the second fails with "tuple concurrently updated" (XX000), and two creating it at once get a
 * duplicate error. Advisory locks cannot order this because they are scoped to one database,
 * and every test file (or service) works in its own. Retrying the whole transaction can.
 */
const RACE_CODES = new Set(['23505', '42710']); // unique_violation, duplicate_object

function isCatalogRace(error: unknown): boolean {
  const e = error as { code?: string; message?: string; driverError?: { code?: string; message?: string } };
  const code = e.driverError?.code ?? e.code ?? '';
  const message = e.driverError?.message ?? e.message ?? '';
  return RACE_CODES.has(code) || (code === 'XX000' && /tuple concurrently (updated|deleted)/.test(message));
}

export async function retryCatalogRace<T>(work: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isCatalogRace(error)) throw error;
      // Jittered: the racers retried in lockstep would collide again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}
