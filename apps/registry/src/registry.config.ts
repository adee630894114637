import { port, z } from '@weaver/config';
import { DEFAULT_PORTS, serviceConfigSchema, databaseConfigFields } from '@weaver/service-kit';

const millis = (fallback: number, min: number) => z.coerce.number().int('must be an integer number of milliseconds').min(min, `must be at least ${min}`).max(3_600_000, 'must be at most one hour').default(fallback);

/** The registry service's environment, validated once at start (documented in apps/registry/.env.example). */
export const registryConfigSchema = serviceConfigSchema
  .extend({
    HTTP_PORT: port(DEFAULT_PORTS.registry.http),
    GRPC_PORT: port(DEFAULT_PORTS.registry.grpc),
    ...databaseConfigFields,
    /** Silence after which an instance is suspect; runners heartbeat well inside it (e.g. every 5 s). */
    INSTANCE_SUSPECT_AFTER_MS: millis(15_000, 50),
    /** Silence after which an instance is dead and its partitions are expected to move. */
    INSTANCE_DEAD_AFTER_MS: millis(45_000, 100),
    /** How often silent instances are looked for; bounds how late a state change is noticed. */
    HEALTH_SWEEP_INTERVAL_MS: millis(5_000, 10),
  })
  .refine((c) => c.INSTANCE_DEAD_AFTER_MS > c.INSTANCE_SUSPECT_AFTER_MS, {
    path: ['INSTANCE_DEAD_AFTER_MS'],
    message: 'must be greater than INSTANCE_SUSPECT_AFTER_MS',
  });

export type RegistryConfig = z.infer<typeof registryConfigSchema>;
