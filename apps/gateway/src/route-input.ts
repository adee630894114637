import type { z } from 'zod';
import { violationsOf } from '@weaver/config';
import { ValidationError } from '@weaver/errors';

/**
 * A request part checked against its route's schema (libs/api-schema): the value, or a
 * ValidationError naming each field and rule. (Until the shared `parseRequest` of the api work lands.)
 */
export function routeInput<S extends z.ZodType>(schema: S, value: unknown, context: string): z.infer<S> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new ValidationError(violationsOf(parsed.error), context);
  return parsed.data;
}

/** A time given as RFC 3339 or a date (checked by the schema). */
export const timeOf = (v: string | undefined): Date | undefined => (v === undefined ? undefined : new Date(v));
