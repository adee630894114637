import { z } from '@weaver/config';

/**
 * The config of a service that takes tenants' API keys at its edge (ApiKeyResolver and
 * CredentialThrottle): how long a resolved key is trusted, and how bad-key guessing is throttled.
 */
export const apiKeyEdgeConfigFields = {
  /** How long a resolved API key is trusted by this process (a revoked key may work this long on other replicas). */
  API_KEY_CACHE_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(10_000),
  /** Failed API-key attempts per source (and key prefix) within AUTH_FAILURE_WINDOW_MS before 429. */
  AUTH_FAILURE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(20),
  AUTH_FAILURE_WINDOW_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  /** How long a source stays blocked after reaching the limit. */
  AUTH_BLOCK_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(300_000),
};
