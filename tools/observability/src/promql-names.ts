/**
 * The metric names and grouping labels a PromQL expression references — enough to check a
 * dashboard or an alert against the families the services expose (promtool checks the syntax).
 * Not a full parser: it drops strings, label matchers, range/subquery selectors and numbers,
 * then takes every identifier that is not a function call or a keyword.
 */
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan']);
const AGGREGATION_CLAUSE = /\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g;

export interface PromqlReferences {
  metrics: string[];
  /** Labels named in by/without/on/ignoring clauses and in label matchers. */
  labels: string[];
}

export function referencesOf(expr: string): PromqlReferences {
  const labels = new Set<string>();
  const noStrings = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  for (const m of noStrings.matchAll(/\{([^}]*)\}/g)) {
    for (const l of m[1]!.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/g)) labels.add(l[1]!);
  }
  for (const m of noStrings.matchAll(AGGREGATION_CLAUSE)) {
    for (const l of m[2]!.split(',').map((s) => s.trim()).filter(Boolean)) labels.add(l);
  }
  const bare = noStrings
    .replace(AGGREGATION_CLAUSE, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\boffset\s+-?[0-9a-z]+/gi, ' ')
    .replace(/\b\d+(\.\d+)?(e[+-]?\d+)?\b/gi, ' ');
  const metrics = new Set<string>();
  for (const m of bare.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    if (m[2] || KEYWORDS.has(m[1]!.toLowerCase())) continue;
    metrics.add(m[1]!);
  }
  return { metrics: [...metrics], labels: [...labels] };
}
