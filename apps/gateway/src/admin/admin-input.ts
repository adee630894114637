import type { z } from 'zod';
import { violationsOf } from '@weaver/config';
import { ValidationError } from '@weaver/errors';

/**
 * Validates one part of an admin request (path, query, body or a gRPC message) with its route's
 * schema from @weaver/api-schema, so REST and gRPC refuse the same input with the same field and
 * rule. (Until the api helper's shared `parseRequest` lands; then this becomes that call.)
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: 'path' | 'query' | 'body' | 'message'): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new ValidationError(violationsOf(parsed.error), where);
  return parsed.data;
}
