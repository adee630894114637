/**
 * The one statement that writes a batch's agent memory (see executeMemoryWrites for the
 * parameters, in order). Its parts:
 * - key-value entries (short-term `sv`, long-term `lv`): the old rows they replace (`sold`,
 *   `lold`, read from the statement's snapshot — exact for long-term because the batch locked
 *   the usage rows before this statement; short-term scopes are written by one step only),
 *   deletes and upserts (rows written at clock time, in write order);
 * - `delta`: what that changes per (agent, kind), added to `runs.memory_usage`, whose rows it
 *   locks in the given order (`scopes`) and whose `version` it bumps: the new episodes and facts
 *   carry that version as `seq`, which grows in commit order per scope (the row stays locked
 *   to commit), so a runner's "since last seen" query never skips a row;
 * - `scount`: the short-term entries per (run, agent) afterwards, so eviction runs only when a
 *   scope went over its cap.
 * Data-modifying parts nobody reads still run (PostgreSQL runs each exactly once).
 */
export const MEMORY_STATEMENT = `
WITH
sv AS (SELECT * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[], $7::timestamptz[]) WITH ORDINALITY AS v(run_id, agent, key, value, bytes, expires_at, n)),
sold AS (SELECT m.run_id, m.agent, m.key, m.bytes FROM runs.memory_short_term m JOIN sv ON m.tenant_id = $1 AND m.run_id = sv.run_id AND m.agent = sv.agent AND m.key = sv.key),
sdel AS (DELETE FROM runs.memory_short_term m USING sv WHERE sv.value IS NULL AND m.tenant_id = $1 AND m.run_id = sv.run_id AND m.agent = sv.agent AND m.key = sv.key RETURNING 1),
sup AS (INSERT INTO runs.memory_short_term (tenant_id, run_id, agent, key, value, bytes, written_at, expires_at)
        SELECT $1, run_id, agent, key, value::jsonb, bytes, clock_timestamp(), expires_at FROM sv WHERE value IS NOT NULL ORDER BY n
        ON CONFLICT (tenant_id, run_id, agent, key) DO UPDATE SET value = EXCLUDED.value, bytes = EXCLUDED.bytes, written_at = EXCLUDED.written_at, expires_at = EXCLUDED.expires_at
        RETURNING 1),
lv AS (SELECT * FROM unnest($8::text[], $9::text[], $10::text[], $11::int[]) WITH ORDINALITY AS v(agent, key, value, bytes, n)),
lold AS (SELECT m.agent, m.key, m.bytes FROM runs.memory_long_term m JOIN lv ON m.tenant_id = $1 AND m.agent = lv.agent AND m.key = lv.key),
ldel AS (DELETE FROM runs.memory_long_term m USING lv WHERE lv.value IS NULL AND m.tenant_id = $1 AND m.agent = lv.agent AND m.key = lv.key RETURNING 1),
lup AS (INSERT INTO runs.memory_long_term (tenant_id, agent, key, value, bytes, written_at)
        SELECT $1, agent, key, value::jsonb, bytes, clock_timestamp() FROM lv WHERE value IS NOT NULL ORDER BY n
        ON CONFLICT (tenant_id, agent, key) DO UPDATE SET value = EXCLUDED.value, bytes = EXCLUDED.bytes, written_at = EXCLUDED.written_at
        RETURNING 1),
ev AS (SELECT * FROM unnest($12::text[], $13::timestamptz[], $14::text[], $15::text[], $16::bytea[], $17::int[], $18::int[], $19::timestamptz[]) WITH ORDINALITY AS v(agent, at, text, data, embedding, dims, bytes, expires_at, n)),
fv AS (SELECT * FROM unnest($20::text[], $21::text[], $22::text[], $23::bytea[], $24::int[], $25::int[]) WITH ORDINALITY AS v(agent, text, metadata, embedding, dims, bytes, n)),
delta AS (
  SELECT agent, 'short_term' AS kind, count(*) FILTER (WHERE value IS NOT NULL) AS items, coalesce(sum(bytes) FILTER (WHERE value IS NOT NULL), 0) AS bytes FROM sv GROUP BY agent
  UNION ALL SELECT agent, 'short_term', -count(*), -sum(bytes) FROM sold GROUP BY agent
  UNION ALL SELECT agent, 'long_term', count(*) FILTER (WHERE value IS NOT NULL), coalesce(sum(bytes) FILTER (WHERE value IS NOT NULL), 0) FROM lv GROUP BY agent
  UNION ALL SELECT agent, 'long_term', -count(*), -sum(bytes) FROM lold GROUP BY agent
  UNION ALL SELECT agent, 'episodic', count(*), sum(bytes) FROM ev GROUP BY agent
  UNION ALL SELECT agent, 'semantic', count(*), sum(bytes) FROM fv GROUP BY agent
),
scopes AS (SELECT * FROM unnest($26::text[], $27::text[]) WITH ORDINALITY AS s(agent, kind, n)),
usage AS (
  INSERT INTO runs.memory_usage AS u (tenant_id, agent, kind, items, bytes, version)
  SELECT $1, s.agent, s.kind, coalesce(sum(d.items), 0), coalesce(sum(d.bytes), 0), 1
    FROM scopes s LEFT JOIN delta d ON d.agent = s.agent AND d.kind = s.kind GROUP BY s.agent, s.kind, s.n ORDER BY s.n
  ON CONFLICT (tenant_id, agent, kind) DO UPDATE SET items = u.items + EXCLUDED.items, bytes = u.bytes + EXCLUDED.bytes, version = u.version + 1
  RETURNING u.agent, u.kind, u.items, u.bytes, u.version
),
eins AS (
  INSERT INTO runs.memory_episodic (tenant_id, agent, at, text, data, embedding, dims, bytes, expires_at, seq)
  SELECT $1, ev.agent, ev.at, ev.text::jsonb, ev.data::jsonb, ev.embedding, ev.dims, ev.bytes, ev.expires_at, u.version
    FROM ev JOIN usage u ON u.agent = ev.agent AND u.kind = 'episodic' ORDER BY ev.n
  RETURNING id
),
fins AS (
  INSERT INTO runs.memory_semantic (tenant_id, agent, text, metadata, embedding, dims, bytes, seq)
  SELECT $1, fv.agent, fv.text::jsonb, fv.metadata::jsonb, fv.embedding, fv.dims, fv.bytes, u.version
    FROM fv JOIN usage u ON u.agent = fv.agent AND u.kind = 'semantic' ORDER BY fv.n
  RETURNING id
),
scount AS (
  SELECT k.run_id, k.agent,
         (SELECT count(*) FROM runs.memory_short_term m WHERE m.tenant_id = $1 AND m.run_id = k.run_id AND m.agent = k.agent)
       + (SELECT count(*) FROM sv WHERE sv.run_id = k.run_id AND sv.agent = k.agent AND sv.value IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM sold o WHERE o.run_id = sv.run_id AND o.agent = sv.agent AND o.key = sv.key))
       - (SELECT count(*) FROM sold o JOIN sv ON o.run_id = sv.run_id AND o.agent = sv.agent AND o.key = sv.key WHERE sv.value IS NULL AND o.run_id = k.run_id AND o.agent = k.agent) AS count
    FROM (SELECT DISTINCT run_id, agent FROM sv WHERE value IS NOT NULL) k
)
SELECT 'usage' AS what, jsonb_build_object('agent', agent, 'kind', kind, 'items', items::text, 'bytes', bytes::text, 'version', version::text) AS v FROM usage
UNION ALL SELECT 'episode', jsonb_build_object('id', id::text) FROM eins
UNION ALL SELECT 'fact', jsonb_build_object('id', id::text) FROM fins
UNION ALL SELECT 'short', jsonb_build_object('run_id', run_id, 'agent', agent, 'count', count) FROM scount`;
