import { z } from 'zod';
import type { ApiRoute, ParsedRequest } from './route';

/** One problem with a request, located in the part it came from. */
export interface RequestIssue {
  readonly part: 'params' | 'query' | 'body';
  readonly issue: z.core.$ZodIssue;
}

/** The raw parts of a request as a server framework hands them over. */
export interface RawRequest {
  readonly params?: unknown;
  readonly query?: unknown;
  readonly body?: unknown;
}

/**
 * Parses a request's params, query and body with the route's schemas (all three, so every
 * problem is reported at once). A part the route declares no schema for is passed on as `{}`
 * (params/query) or `undefined` (body). `unrecognized_keys` issues are split one per key, so
 * each names its field (`policy.emial`), not only the object holding it.
 */
export function parseRequestParts<R extends ApiRoute>(route: R, raw: RawRequest): { ok: true; value: ParsedRequest<R> } | { ok: false; issues: RequestIssue[] } {
  const issues: RequestIssue[] = [];
  const part = (name: RequestIssue['part'], schema: z.ZodType | undefined, value: unknown, fallback: unknown): unknown => {
    if (!schema) return fallback;
    const parsed = schema.safeParse(value ?? (name === 'body' ? undefined : {}));
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) issues.push(...splitKeys(issue).map((i) => ({ part: name, issue: i })));
    return undefined;
  };
  const params = part('params', route.params, raw.params, {});
  const query = part('query', route.query, raw.query, {});
  const body = part('body', route.body, raw.body, raw.body);
  if (issues.length) return { ok: false, issues };
  return { ok: true, value: { params, query, body } as ParsedRequest<R> };
}

function splitKeys(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'unrecognized_keys') return [issue];
  const generic = issue.message.startsWith('Unrecognized key');
  return issue.keys.map((key) => ({ ...issue, path: [...issue.path, key], message: generic ? 'is not a known field' : issue.message }));
}
