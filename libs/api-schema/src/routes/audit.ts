import { z } from 'zod';
import { defineRoute, json, type ApiRoute } from '../route';
import { QueryCount, Uuid } from '../schemas/common';

const AuditEntry = z.object({ seq: z.number().int(), entry: z.string().describe('the hashed text: canonical JSON of {event, seq}'), leafHash: z.string(), chainHash: z.string() });
const Checkpoint = z.object({ tenantId: z.string(), treeSize: z.number().int(), rootHash: z.string(), chainHash: z.string(), signedAt: z.string(), keyId: z.string(), signature: z.string() });
const SigningKey = z.object({ keyId: z.string(), jwk: z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string() }) });
const HexProof = z.array(z.string()).describe('RFC 6962 hashes, hex');
const params = z.object({ tenantId: Uuid });
/** @weaver/audit AuditBundle: entries [fromSeq, toSeq) proven against `checkpoint`; hashes hex, signatures base64url. */
const AuditBundle = z.object({
  format: z.literal('weaver-audit-bundle/1'),
  tenantId: z.string(),
  exportedAt: z.string(),
  fromSeq: z.number().int(),
  toSeq: z.number().int(),
  previousChainHash: z.string(),
  entries: z.array(AuditEntry),
  checkpoint: Checkpoint,
  inclusionProofs: z.array(z.object({ seq: z.number().int(), proof: HexProof })),
  earlierCheckpoints: z.array(z.object({ checkpoint: Checkpoint, consistencyProof: HexProof })),
  publicKeys: z.array(SigningKey),
});
const common = { tags: ['audit'], auth: 'admin', roles: ['admin'], status: 200 } as const;

export const listAuditEntries = defineRoute({
  ...common,
  operationId: 'listAuditEntries',
  method: 'GET',
  path: '/v1/admin/tenants/{tenantId}/audit/entries',
  summary: 'The tenant\'s audit log in seq order',
  description: 'docs/audit.md. Each read is itself recorded in the log.',
  params,
  query: z.object({
    from: z.string().optional().describe('ISO time, inclusive'),
    to: z.string().optional().describe('ISO time, exclusive'),
    action: z.string().optional().describe('e.g. run.read'),
    afterSeq: QueryCount.optional().describe('the previous page\'s nextAfterSeq'),
    limit: z.coerce.number({ error: 'must be an integer from 1 to 1000' }).int('must be an integer from 1 to 1000').min(1, 'must be an integer from 1 to 1000').max(1000, 'must be an integer from 1 to 1000').optional().describe('default 100'),
  }),
  response: json(z.object({ entries: z.array(AuditEntry), nextAfterSeq: z.number().int().optional() })),
});

export const getAuditInclusionProof = defineRoute({
  ...common,
  operationId: 'getAuditInclusionProof',
  method: 'GET',
  path: '/v1/admin/tenants/{tenantId}/audit/entries/{seq}/proof',
  summary: 'RFC 6962 audit path of an entry in a signed checkpoint',
  params: z.object({ tenantId: Uuid, seq: QueryCount }),
  query: z.object({ treeSize: QueryCount.optional().describe('a checkpoint\'s tree size; default the latest') }),
  response: json(z.object({ entry: AuditEntry.nullable(), checkpoint: Checkpoint.nullable(), proof: HexProof })),
});

export const getAuditConsistencyProof = defineRoute({
  ...common,
  operationId: 'getAuditConsistencyProof',
  method: 'GET',
  path: '/v1/admin/tenants/{tenantId}/audit/consistency',
  summary: 'RFC 6962 consistency proof between two signed checkpoints',
  params,
  query: z.object({ from: QueryCount.describe('the tree size of the earlier checkpoint'), to: QueryCount.optional().describe('default the latest') }),
  response: json(z.object({ from: Checkpoint.nullable(), to: Checkpoint.nullable(), proof: HexProof })),
});

export const exportAuditBundle = defineRoute({
  ...common,
  operationId: 'exportAuditBundle',
  method: 'GET',
  path: '/v1/admin/tenants/{tenantId}/audit/export',
  summary: 'The signed bundle (weaver-audit-bundle/1) for `weaver audit verify`',
  description: '400 when the tenant has no checkpoint yet.',
  params,
  query: z.object({ fromSeq: QueryCount.optional().describe('default 0'), toSeq: QueryCount.optional().describe('exclusive; default the latest checkpoint\'s size') }),
  response: json(AuditBundle),
});

export const getAuditSigningKey = defineRoute({
  ...common,
  operationId: 'getAuditSigningKey',
  method: 'GET',
  path: '/v1/admin/audit/key',
  summary: 'The checkpoint signing key verifiers trust',
  response: json(SigningKey),
});

export const AUDIT_ROUTES: readonly ApiRoute[] = [listAuditEntries, getAuditInclusionProof, getAuditConsistencyProof, exportAuditBundle, getAuditSigningKey];
