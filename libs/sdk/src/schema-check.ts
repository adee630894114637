import type { z } from 'zod';
import { ValidationError } from '@weaver/errors';

/** Validates with zod; a failure names every field and rule (e.g. `input.topic: Too small...`). */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, context: string, prefix: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((i) => ({ field: [prefix, ...i.path.map(String)].join('.'), rule: i.message })),
    context,
  );
}
