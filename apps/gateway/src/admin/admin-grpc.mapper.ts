import type { adminSchemas } from '@weaver/api-schema';
import type { gatewayAdmin as pb } from '@weaver/contracts';
import type { z } from 'zod';
import type { UsageGroup } from '../usage-query';

/** The REST views in AdminService's messages: proto3 has no null, so absent is "". */
export const grpcTenantOf = (t: z.infer<typeof adminSchemas.tenantView>): pb.Tenant => ({ ...t });

export const grpcKeyOf = (k: z.infer<typeof adminSchemas.apiKeyView>): pb.ApiKey => ({ ...k, roles: [...k.roles], revokedAt: k.revokedAt ?? '' });

export const grpcUsageGroupOf = (g: UsageGroup): pb.UsageGroup => ({
  workflow: g.workflow ?? '',
  agent: g.agent ?? '',
  model: g.model ?? '',
  requests: g.requests,
  inputTokens: g.inputTokens,
  outputTokens: g.outputTokens,
  costUsd: g.costUsd,
});
