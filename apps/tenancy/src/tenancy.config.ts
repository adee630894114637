import { bool, port, z } from '@weaver/config';
import { auditPeerKeysConfigField } from '@weaver/audit';
import { kafkaConfigFields, kafkaConfigRules } from '@weaver/messaging';
import { quotaDefaultsConfig, regionConfigFields } from '@weaver/tenancy-core';
import { DEFAULT_PORTS, serviceConfigSchema, databaseConfigFields } from '@weaver/service-kit';


/** The tenancy service's environment, validated once at start (documented in .env.example). */
export const tenancyConfigSchema = serviceConfigSchema
  .extend({
    HTTP_PORT: port(DEFAULT_PORTS.tenancy.http),
    GRPC_PORT: port(DEFAULT_PORTS.tenancy.grpc),
    ...databaseConfigFields,
    /** How long a resolved API key is trusted in this process; revocations elsewhere wait this long. */
    API_KEY_CACHE_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(30_000),
    /** Default quotas of tenants without values of their own (QUOTA_DEFAULT_*; docs/security.md). */
    ...quotaDefaultsConfig,
    /**
     * The audit trail (docs/audit.md): the chainer (weaver.audit.v1 → schema audit) and the
     * AuditService. Off: neither runs, and AuditService calls fail FAILED_PRECONDITION.
     */
    AUDIT_ENABLED: bool(false),
    /** Ed25519 private key (PKCS#8 PEM) that signs checkpoints; required with AUDIT_ENABLED. */
    AUDIT_SIGNING_KEY_FILE: z.string().min(1, 'must be a file path').optional(),
    /** Sign a checkpoint once this many entries of a tenant are unsigned … */
    AUDIT_CHECKPOINT_EVERY: z.coerce.number().int().min(1).max(1_000_000).default(1_000),
    /** … or this long after its first unsigned entry, whichever comes first. */
    AUDIT_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
    // Kafka (the chainer reads weaver.audit.v1; AuditService records its reads): only with AUDIT_ENABLED.
    ...kafkaConfigFields,
    KAFKA_NAMESPACE: z.string().regex(/^[a-zA-Z0-9._-]*$/, 'must match [a-zA-Z0-9._-]*').default(''),
    /** Regions (docs/regions.md): WEAVER_REGION, WEAVER_REGION_PEERS; the directory topics need Kafka. */
    ...regionConfigFields,
    /** With AUDIT_ENABLED and peers: the key ids each peer's audit checkpoints must be signed by (`<region>:<key id>`, comma-separated). */
    ...auditPeerKeysConfigField,
  })
  .superRefine((config, ctx) => {
    if (config.WEAVER_REGION_PEERS.length > 0 && !config.WEAVER_REGION) ctx.addIssue({ code: 'custom', path: ['WEAVER_REGION'], message: 'is required when WEAVER_REGION_PEERS is set (which region is this one?)' });
    if (config.WEAVER_REGION && config.WEAVER_REGION_PEERS.includes(config.WEAVER_REGION)) ctx.addIssue({ code: 'custom', path: ['WEAVER_REGION_PEERS'], message: `must not contain this region ("${config.WEAVER_REGION}")` });
    if (config.WEAVER_REGION && !config.AUDIT_ENABLED) kafkaConfigRules(config, ctx);
    if (!config.AUDIT_ENABLED) return;
    kafkaConfigRules(config, ctx);
    if (!config.AUDIT_SIGNING_KEY_FILE) ctx.addIssue({ code: 'custom', path: ['AUDIT_SIGNING_KEY_FILE'], message: 'is required when AUDIT_ENABLED=true (the key that signs audit checkpoints)' });
    const keyed = new Set(config.AUDIT_PEER_KEY_IDS.map((e) => e.split(':')[0]));
    const unkeyed = config.WEAVER_REGION_PEERS.filter((peer) => !keyed.has(peer));
    if (unkeyed.length > 0) ctx.addIssue({ code: 'custom', path: ['AUDIT_PEER_KEY_IDS'], message: `must name a checkpoint key id for every peer region with AUDIT_ENABLED (missing: ${unkeyed.join(', ')})` });
  });

export type TenancyConfig = z.infer<typeof tenancyConfigSchema>;
