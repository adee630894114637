import { z } from 'zod';
import { defineRoute, json, type ApiRoute } from '../route';
import { Uuid } from '../schemas/common';

/** A tenant as tenancy's gRPC API gives it (proto/weaver/tenancy/v1: the tier enum by name). */
export const Tenant = z.object({
  tenantId: Uuid,
  name: z.string(),
  tier: z.enum(['TENANT_TIER_UNSPECIFIED', 'TENANT_TIER_STANDARD', 'TENANT_TIER_ISOLATED']),
  createdAtMs: z.number(),
  /** Where the tenant is in its lifecycle (admin API: active ⇄ suspended → deleting → erased). */
  state: z.enum(['TENANT_STATE_UNSPECIFIED', 'TENANT_STATE_ACTIVE', 'TENANT_STATE_SUSPENDED', 'TENANT_STATE_DELETING', 'TENANT_STATE_ERASED']),
  stateChangedAtMs: z.number(),
});

export const createTenant = defineRoute({
  operationId: 'createTenant',
  method: 'POST',
  path: '/v1/tenants',
  summary: 'Create a tenant and its first API key (shown once)',
  description: '`isolated`: the tenant gets its own topics, groups and agent-runner deployment (docs/security.md "Isolated tiers").',
  tags: ['tenants'],
  auth: 'admin',
  roles: ['admin'],
  body: z.object({
    name: z.string({ error: 'must be a non-empty string' }).trim().min(1, 'must be a non-empty string'),
    tier: z.enum(['standard', 'isolated'], { error: 'must be "standard" or "isolated"' }).default('standard'),
  }),
  status: 201,
  response: json(z.object({ tenant: Tenant, apiKey: z.string().describe('wv_...: shown once') })),
});

const JWK_RULE = 'must be a JSON Web Key object ({"kty":"OKP","crv":"Ed25519","x":"..."})';

export const registerTriggerKey = defineRoute({
  operationId: 'registerTriggerKey',
  method: 'POST',
  path: '/v1/tenants/{tenantId}/trigger-keys',
  summary: 'Register a tenant\'s trigger-signing public key (Ed25519 JWK)',
  description: 'Records on the tenant\'s `kafka:` trigger topics must be signed with it (docs/security.md). The key id is its RFC 7638 thumbprint (the JWS `kid`).',
  tags: ['tenants'],
  auth: 'admin',
  roles: ['admin'],
  params: z.object({ tenantId: Uuid }),
  body: z.object({ publicJwk: z.looseObject({}, { error: JWK_RULE }), name: z.string().default('default') }),
  status: 201,
  response: json(z.object({ keyId: z.string(), name: z.string() })),
});

export const revokeTriggerKey = defineRoute({
  operationId: 'revokeTriggerKey',
  method: 'DELETE',
  path: '/v1/tenants/{tenantId}/trigger-keys/{keyId}',
  summary: 'Revoke a trigger-signing key',
  tags: ['tenants'],
  auth: 'admin',
  roles: ['admin'],
  params: z.object({ tenantId: Uuid, keyId: z.string().min(1) }),
  status: 204,
  response: json(z.void().describe('no content')),
});

export const TENANT_ROUTES: readonly ApiRoute[] = [createTenant, registerTriggerKey, revokeTriggerKey];
