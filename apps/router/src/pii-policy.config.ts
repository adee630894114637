import { z } from '@weaver/config';
import { ValidationError } from '@weaver/errors';
import { parsePiiPolicy, type PiiPolicy } from '@weaver/pii';

/**
 * The installation's PII policy for tenants without one of their own. Default: every type
 * allowed — prompts go to providers as the agent wrote them, as before this setting existed.
 * An installation that wants masking by default sets e.g.
 * `{"default":"mask","person":"allow","organisation":"allow"}` (docs/pii.md: names cost the
 * NLP parse, ~7 ms per KB of capitalised prose; structured identifiers ~0.03-0.25 ms).
 */
export const DEFAULT_ROUTER_PII_POLICY = '{"default":"allow"}';

/** ROUTER_PII_POLICY: JSON validated once at start, errors naming the type and the rule. */
export const routerPiiPolicy = z
  .string()
  .default(DEFAULT_ROUTER_PII_POLICY)
  .transform((text, ctx): PiiPolicy => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON such as {"default":"mask","email":"tokenise"}' });
      return z.NEVER;
    }
    try {
      return parsePiiPolicy(parsed, 'ROUTER_PII_POLICY');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      for (const v of err.violations) ctx.addIssue({ code: 'custom', message: `${v.field}: ${v.rule}` });
      return z.NEVER;
    }
  });
