/**
 * Tool grants, the one place they are parsed and matched: a grant is `"<server>/<tool>"` (one
 * tool) or `"<server>/*"` (every tool of that server). There is no wildcard over servers — a
 * server added to the runner's config later is not granted to anybody by accident.
 */
export const SERVER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** MCP tool names (the spec's recommended alphabet). */
export const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/** `server/tool` → its parts; null when it is not of that form. */
export function splitToolName(qualified: string): { server: string; tool: string } | null {
  const slash = qualified.indexOf('/');
  if (slash <= 0) return null;
  return { server: qualified.slice(0, slash), tool: qualified.slice(slash + 1) };
}

/** Problems of a list of grants, each naming `field[i]` and the rule. */
export function toolGrantProblems(grants: readonly string[], field: string): Array<{ field: string; rule: string }> {
  const problems: Array<{ field: string; rule: string }> = [];
  grants.forEach((g, i) => {
    const parts = typeof g === 'string' ? splitToolName(g) : null;
    if (!parts || !SERVER_NAME.test(parts.server) || !(parts.tool === '*' || TOOL_NAME.test(parts.tool))) {
      problems.push({ field: `${field}[${i}]`, rule: `must be "<server>/<tool>" or "<server>/*" (server [A-Za-z0-9_-], tool [A-Za-z0-9_.-]), got ${JSON.stringify(g)}` });
    }
  });
  if (new Set(grants).size !== grants.length) problems.push({ field, rule: 'lists a grant twice' });
  return problems;
}

/** True when one of `grants` covers the tool `server/tool`. */
export function isGranted(grants: Iterable<string>, qualified: string): boolean {
  const parts = splitToolName(qualified);
  if (!parts) return false;
  for (const g of grants) {
    if (g === qualified || g === `${parts.server}/*`) return true;
  }
  return false;
}
