import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import { GRPC_SERVICES, tenancy, type registry } from '@weaver/contracts';
import { ValidationError } from '@weaver/errors';
import { provisionTopics, TenantPlacements, type KafkaConnection } from '@weaver/messaging';
import { DeadLetterAdmin } from '@weaver/run-api';
import { Metrics, type Logger } from '@weaver/observability';
import { InjectGrpcClient, InjectLogger, QuotaCache, SERVICE_CONFIG, tenantMetadata, unary } from '@weaver/service-kit';
import type { GatewayConfig } from './gateway.config';
import { GATEWAY_KAFKA } from './gateway.tokens';
import { GatewayPolicyGuard } from './policy.guard';
import { quotaUpdateOf, quotasView } from './quota-view';
import { ToolGrantStore } from '@weaver/toolkit';

/**
 * Operator routes (tenants, DLQ replay, quotas, tool grants), and agent and tool discovery.
 * Who may call each is GatewayPolicyGuard's decision (GATEWAY_ACCESS): the admin token makes the
 * caller the Admin principal (admin role); a tenant key with the admin role administers its own tenant.
 */
@Controller('v1')
@UseGuards(GatewayPolicyGuard)
export class AdminHttpController {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
    @InjectGrpcClient(GRPC_SERVICES.tenancy) private readonly tenancyClient: tenancy.TenancyServiceClient, @InjectGrpcClient(GRPC_SERVICES.registry) private readonly registryClient: registry.RegistryServiceClient,
    @Inject(GATEWAY_KAFKA) private readonly kafka: KafkaConnection,
    private readonly metrics: Metrics,
    @InjectLogger() private readonly logger: Logger,
    private readonly placements: TenantPlacements,
    @Inject(QuotaCache) private readonly quotas: QuotaCache,
    @Inject(ToolGrantStore) private readonly toolGrants: ToolGrantStore,
    @Inject(DeadLetterAdmin) private readonly deadLetters: DeadLetterAdmin,
  ) {}

  @Post('tenants')
  @HttpCode(201)
  async createTenant(@Body() body: { name?: unknown; tier?: unknown } | undefined) {
    if (typeof body?.name !== 'string' || !body.name.trim()) throw new ValidationError([{ field: 'name', rule: 'must be a non-empty string' }], 'tenant');
    const tier = body.tier ?? 'standard';
    if (tier !== 'standard' && tier !== 'isolated') throw new ValidationError([{ field: 'tier', rule: 'must be "standard" or "isolated"' }], 'tenant');
    const res: tenancy.CreateTenantResponse = await unary(
      this.tenancyClient.createTenant({ name: body.name.trim(), tier: tier === 'isolated' ? tenancy.TenantTier.TENANT_TIER_ISOLATED : tenancy.TenantTier.TENANT_TIER_STANDARD }),
    );
    const tenantId = res.tenant!.tenantId;
    this.placements.remember(tenantId, tier);
    if (tier === 'isolated') {
      // Its triggers and progress topics exist before its first run; the tenant's own
      // agent-runner deployment creates its event topics when it starts.
      await provisionTopics(this.kafka, this.placements.base.forTenant(tenantId, tier).platform(this.config.TOPIC_PARTITIONS));
    }
    return { tenant: res.tenant, apiKey: res.apiKey };
  }

  /**
   * Registers a tenant's trigger-signing public key (Ed25519 JWK): records on the tenant's
   * `kafka:` trigger topics must be signed with it (docs/security.md). Answers the key id (its
   * RFC 7638 thumbprint, the JWS `kid`). Runners pick a new key up within TENANT_CACHE_TTL_MS.
   */
  @Post('tenants/:tenantId/trigger-keys')
  @HttpCode(201)
  async registerTriggerKey(@Param('tenantId') tenantId: string, @Body() body: { publicJwk?: unknown; name?: unknown } | undefined) {
    const jwk = body?.publicJwk;
    if (jwk === null || typeof jwk !== 'object') throw new ValidationError([{ field: 'publicJwk', rule: 'must be a JSON Web Key object ({"kty":"OKP","crv":"Ed25519","x":"..."})' }], 'trigger key');
    const name = typeof body?.name === 'string' ? body.name : 'default';
    const res: tenancy.RegisterTriggerKeyResponse = await unary(this.tenancyClient.registerTriggerKey({ tenantId, publicJwkJson: JSON.stringify(jwk), name }, tenantMetadata(tenantId)));
    return { keyId: res.key?.keyId, name: res.key?.name };
  }

  @Delete('tenants/:tenantId/trigger-keys/:keyId')
  @HttpCode(204)
  async revokeTriggerKey(@Param('tenantId') tenantId: string, @Param('keyId') keyId: string) {
    await unary(this.tenancyClient.revokeTriggerKey({ tenantId, keyId }, tenantMetadata(tenantId)));
  }

  /** The group's dead letters still dead, each re-driven at most once (the same claims as /v1/admin/dead-letters). */
  @Post('dlq/:group/replay')
  @HttpCode(200)
  async replay(@Param('group') group: string) {
    const { replayed } = await this.deadLetters.replayMany({ group }, 'dlq-replay-route');
    return { replayed, skipped: 0 };
  }

  /** The tenant's effective quotas and which of them are its own (docs/api.md). */
  @Get('admin/tenants/:tenantId/quotas')
  async getQuotas(@Param('tenantId') tenantId: string) {
    return quotasView(await unary(this.tenancyClient.getQuotas({ tenantId }, tenantMetadata(tenantId))));
  }

  /** Sets quotas (snake_case fields; null resets one to the default); others stay. */
  @Put('admin/tenants/:tenantId/quotas')
  async setQuotas(@Param('tenantId') tenantId: string, @Body() body: unknown) {
    const res = await unary(this.tenancyClient.setQuotas({ tenantId, ...quotaUpdateOf(body) }, tenantMetadata(tenantId)));
    this.quotas.forget(tenantId); // this replica applies it at once; others within QUOTA_CACHE_TTL_MS
    return quotasView(res);
  }

  @Get('agents')
  async agents(@Query('capability') capability?: string, @Query('requiresEvent') requiresEvent?: string) {
    const res: registry.ListAgentsResponse = await unary(this.registryClient.listAgents({ capability: capability || undefined, requiresEvent: requiresEvent || undefined }));
    return { agents: res.agents };
  }

  /** The MCP servers the runners discovered, with their tools, resources and prompts (the platform's catalogue). */
  @Get('tools')
  async tools() {
    const res: registry.ListToolsResponse = await unary(this.registryClient.listTools({}));
    return {
      servers: res.servers.map((s) => ({ ...s, tools: s.tools.map(({ inputSchemaJson, ...t }) => ({ ...t, inputSchema: JSON.parse(inputSchemaJson || '{}') as unknown })) })),
    };
  }

  /** A tenant's admin tool grants, by agent (besides what each agent's definition grants). */
  @Get('admin/tenants/:tenantId/tool-grants')
  async getToolGrants(@Param('tenantId') tenantId: string) {
    return { grants: await this.toolGrants.list(tenantId) };
  }

  /** Replaces the agent's admin grants (`{"grants": ["fs/read_file", "everything/*"]}`; [] revokes). Runners apply it within TOOL_GRANTS_CACHE_TTL_MS. */
  @Put('admin/tenants/:tenantId/tool-grants/:agent')
  async setToolGrants(@Param('tenantId') tenantId: string, @Param('agent') agent: string, @Body() body: { grants?: unknown } | undefined) {
    const grants = body?.grants;
    if (!Array.isArray(grants) || !grants.every((g) => typeof g === 'string')) throw new ValidationError([{ field: 'grants', rule: 'must be an array of "<server>/<tool>" or "<server>/*" strings' }], 'tool grants');
    await this.toolGrants.set(tenantId, agent, grants);
    return { agent, grants };
  }
}
