import { z } from 'zod';
import { ConfigError, type FieldViolation } from '@weaver/errors';

/** zod issues as field/rule pairs; `prefix` turns paths back into the names a user typed. */
export function violationsOf(error: z.ZodError, prefix = ''): FieldViolation[] {
  return error.issues.map((issue) => ({
    field: prefix + (issue.path.length ? issue.path.join('.') : '(root)'),
    rule: issue.message,
  }));
}

/**
 * Validate a service's configuration once, at start. The schema's keys are environment
 * variable names, so every error names the variable to fix and the rule it broke, all at once.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
  source = 'environment',
): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new ConfigError(source, violationsOf(parsed.error));
  return parsed.data;
}

/** Common field helpers, so every service spells ports and URLs the same way. */
export const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
export const csv = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));
export const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');
