/** Waiting and leak checks of regions.int-spec.ts. */
import { createDataSource } from '@weaver/persistence';

/** Polls `probe` until it yields a value (conditions, not sleeps). */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Tables of the database (as superuser: no RLS) whose rows contain any of the strings. */
export async function databaseMentions(superuserUrl: string, dbName: string, needles: string[]): Promise<string[]> {
  const url = new URL(superuserUrl);
  url.pathname = `/${dbName}`;
  const ds = await createDataSource({ url: url.toString(), schema: 'public', entities: [], migrations: [], poolSize: 1 }).initialize();
  try {
    const tables = (await ds.query("SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')")) as { table_schema: string; table_name: string }[];
    const hits: string[] = [];
    for (const t of tables) {
      const name = `"${t.table_schema}"."${t.table_name}"`;
      for (const needle of needles) {
        const [row] = (await ds.query(`SELECT count(*)::int AS n FROM ${name} x WHERE x::text LIKE $1`, [`%${needle}%`])) as { n: number }[];
        if ((row?.n ?? 0) > 0) hits.push(`${name} mentions ${needle.slice(0, 8)}…`);
      }
    }
    return hits;
  } finally {
    await ds.destroy();
  }
}
