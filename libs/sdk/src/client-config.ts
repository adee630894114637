import { loadConfig, z } from '@weaver/config';

const clientEnv = z
  .object({
    WEAVER_URL: z.url({ protocol: /^https?$/, error: 'must be the gateway URL, e.g. http://127.0.0.1:8080' }).optional(),
    WEAVER_API_KEY: z.string().min(1, 'must be a tenant API key (wv_...)').optional(),
  })
  .refine((env) => !env.WEAVER_URL || env.WEAVER_API_KEY, { path: ['WEAVER_API_KEY'], message: 'is required when WEAVER_URL is set' });

/** The connection `clientOptionsFromEnv` read. */
export interface ClientEnv {
  /** WEAVER_URL: the gateway's base URL. */
  url: string;
  /** WEAVER_API_KEY: the tenant API key. */
  apiKey: string;
}

/**
 * The one place the SDK reads its environment: `WEAVER_URL` (the gateway) and `WEAVER_API_KEY`.
 * Undefined when WEAVER_URL is unset (no default connection); a ConfigError names a bad value.
 */
export function clientOptionsFromEnv(env: Record<string, string | undefined> = process.env): ClientEnv | undefined {
  const cfg = loadConfig(clientEnv, { WEAVER_URL: env['WEAVER_URL'] || undefined, WEAVER_API_KEY: env['WEAVER_API_KEY'] || undefined });
  return cfg.WEAVER_URL && cfg.WEAVER_API_KEY ? { url: cfg.WEAVER_URL, apiKey: cfg.WEAVER_API_KEY } : undefined;
}
