/**
 * The one statement that writes a batch's agent memory (see executeMemoryWrites for the
 * parameters, in order). Its parts:
 * - key-value entries (short-term `sv`, long-term `lv`): deletes and upserts (rows written at
 *   clock time, in write order). Their RETURNING gives the exact change in size even when
 *   another transaction changed the row meanwhile: a delete returns the row it deleted, an
 *   upsert the replaced row's size in `prev_bytes` (NULL when it inserted);
 * - episodes and facts inserted (ids drawn in input order);
 * - `delta`: the change per (agent, kind), added to this batch's usage shard (`$28`), locked in
 *   the given order (`scopes`); `others`: the other shards, so the totals come back at once;
 * - `scount`: the short-term entries per (run, agent) afterwards, so eviction runs only when a
 *   scope went over its cap.
 * Every row takes the classification of the step that wrote it (`$29`..`$32`, one
 * comma-joined text per row: arrays of arrays do not unnest row by row).
 * Data-modifying parts nobody reads still run (PostgreSQL runs each exactly once).
 */
export const MEMORY_STATEMENT = `
WITH
sv AS (SELECT * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[], $7::timestamptz[], $29::text[]) WITH ORDINALITY AS v(run_id, agent, key, value, bytes, expires_at, cls, n)),
sdel AS (DELETE FROM runs.memory_short_term m USING sv WHERE sv.value IS NULL AND m.tenant_id = $1 AND m.run_id = sv.run_id AND m.agent = sv.agent AND m.key = sv.key RETURNING m.run_id, m.agent, m.bytes),
sup AS (INSERT INTO runs.memory_short_term AS m (tenant_id, run_id, agent, key, value, bytes, prev_bytes, written_at, expires_at, classification)
        SELECT $1, run_id, agent, key, value::jsonb, bytes, NULL, clock_timestamp(), expires_at, string_to_array(cls, ',') FROM sv WHERE value IS NOT NULL ORDER BY n
        ON CONFLICT (tenant_id, run_id, agent, key) DO UPDATE SET value = EXCLUDED.value, bytes = EXCLUDED.bytes, prev_bytes = m.bytes, written_at = EXCLUDED.written_at, expires_at = EXCLUDED.expires_at, classification = EXCLUDED.classification
        RETURNING m.run_id, m.agent, m.bytes, m.prev_bytes),
lv AS (SELECT * FROM unnest($8::text[], $9::text[], $10::text[], $11::int[], $30::text[]) WITH ORDINALITY AS v(agent, key, value, bytes, cls, n)),
ldel AS (DELETE FROM runs.memory_long_term m USING lv WHERE lv.value IS NULL AND m.tenant_id = $1 AND m.agent = lv.agent AND m.key = lv.key RETURNING m.agent, m.bytes),
lup AS (INSERT INTO runs.memory_long_term AS m (tenant_id, agent, key, value, bytes, prev_bytes, written_at, classification)
        SELECT $1, agent, key, value::jsonb, bytes, NULL, clock_timestamp(), string_to_array(cls, ',') FROM lv WHERE value IS NOT NULL ORDER BY n
        ON CONFLICT (tenant_id, agent, key) DO UPDATE SET value = EXCLUDED.value, bytes = EXCLUDED.bytes, prev_bytes = m.bytes, written_at = EXCLUDED.written_at, classification = EXCLUDED.classification
        RETURNING m.agent, m.bytes, m.prev_bytes),
eins AS (
  INSERT INTO runs.memory_episodic (tenant_id, agent, at, text, data, embedding, dims, bytes, expires_at, classification)
  SELECT $1, agent, at, text::jsonb, data::jsonb, embedding, dims, bytes, expires_at, string_to_array(cls, ',')
    FROM unnest($12::text[], $13::timestamptz[], $14::text[], $15::text[], $16::bytea[], $17::int[], $18::int[], $19::timestamptz[], $31::text[]) WITH ORDINALITY AS v(agent, at, text, data, embedding, dims, bytes, expires_at, cls, n)
   ORDER BY n
  RETURNING id, agent, bytes
),
fins AS (
  INSERT INTO runs.memory_semantic (tenant_id, agent, text, metadata, embedding, dims, bytes, classification)
  SELECT $1, agent, text::jsonb, metadata::jsonb, embedding, dims, bytes, string_to_array(cls, ',')
    FROM unnest($20::text[], $21::text[], $22::text[], $23::bytea[], $24::int[], $25::int[], $32::text[]) WITH ORDINALITY AS v(agent, text, metadata, embedding, dims, bytes, cls, n)
   ORDER BY n
  RETURNING id, agent, bytes
),
delta AS (
  SELECT agent, 'short_term' AS kind, count(*) FILTER (WHERE prev_bytes IS NULL) AS items, sum(bytes - coalesce(prev_bytes, 0)) AS bytes FROM sup GROUP BY agent
  UNION ALL SELECT agent, 'short_term', -count(*), -sum(bytes) FROM sdel GROUP BY agent
  UNION ALL SELECT agent, 'long_term', count(*) FILTER (WHERE prev_bytes IS NULL), sum(bytes - coalesce(prev_bytes, 0)) FROM lup GROUP BY agent
  UNION ALL SELECT agent, 'long_term', -count(*), -sum(bytes) FROM ldel GROUP BY agent
  UNION ALL SELECT agent, 'episodic', count(*), sum(bytes) FROM eins GROUP BY agent
  UNION ALL SELECT agent, 'semantic', count(*), sum(bytes) FROM fins GROUP BY agent
),
scopes AS (SELECT * FROM unnest($26::text[], $27::text[]) WITH ORDINALITY AS s(agent, kind, n)),
mine AS (
  INSERT INTO runs.memory_usage AS u (tenant_id, agent, kind, shard, items, bytes)
  SELECT $1, s.agent, s.kind, $28, coalesce(sum(d.items), 0), coalesce(sum(d.bytes), 0)
    FROM scopes s LEFT JOIN delta d ON d.agent = s.agent AND d.kind = s.kind GROUP BY s.agent, s.kind, s.n ORDER BY s.n
  ON CONFLICT (tenant_id, agent, kind, shard) DO UPDATE SET items = u.items + EXCLUDED.items, bytes = u.bytes + EXCLUDED.bytes
  RETURNING u.agent, u.kind, u.items, u.bytes
),
others AS (
  SELECT o.agent, o.kind, sum(o.items) AS items, sum(o.bytes) AS bytes
    FROM runs.memory_usage o JOIN scopes s ON o.tenant_id = $1 AND o.agent = s.agent AND o.kind = s.kind AND o.shard <> $28
   GROUP BY o.agent, o.kind
),
scount AS (
  SELECT k.run_id, k.agent,
         (SELECT count(*) FROM runs.memory_short_term m WHERE m.tenant_id = $1 AND m.run_id = k.run_id AND m.agent = k.agent)
       + (SELECT count(*) FROM sup WHERE sup.run_id = k.run_id AND sup.agent = k.agent AND sup.prev_bytes IS NULL)
       - (SELECT count(*) FROM sdel WHERE sdel.run_id = k.run_id AND sdel.agent = k.agent) AS count
    FROM (SELECT DISTINCT run_id, agent FROM sv WHERE value IS NOT NULL) k
)
SELECT 'usage' AS what, jsonb_build_object('agent', m.agent, 'kind', m.kind, 'items', (m.items + coalesce(o.items, 0))::text, 'bytes', (m.bytes + coalesce(o.bytes, 0))::text) AS v
  FROM mine m LEFT JOIN others o ON o.agent = m.agent AND o.kind = m.kind
UNION ALL SELECT 'episode', jsonb_build_object('id', id::text) FROM eins
UNION ALL SELECT 'fact', jsonb_build_object('id', id::text) FROM fins
UNION ALL SELECT 'short', jsonb_build_object('run_id', run_id, 'agent', agent, 'count', count) FROM scount`;
