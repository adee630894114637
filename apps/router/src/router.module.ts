import { Module } from '@nestjs/common';
import { CatalogWatcher, loadModelsFile, MemoryResponseCache, ModelRouter, RedisResponseCache, ROUTER_MIGRATIONS, ROUTER_SCHEMA } from '@weaver/model-router';
import { type Logger, Metrics } from '@weaver/observability';
import { EnvelopeCipher, type PayloadCipher } from '@weaver/crypto';
import { ConfigError } from '@weaver/errors';
import { dataKeyTokenKeys, PII_TYPES } from '@weaver/pii';
import { grpcClientToken, HTTP_ERROR_RENDERER, PINO_LOGGER, QuotaCache, SERVICE_CIPHER, SERVICE_CONFIG, SERVICE_DATABASE, ServiceDatabaseModule, ServiceLifecycle, serviceCipherProvider, TenantQuotasModule } from '@weaver/service-kit';
import { Authorizer, DEFAULT_KEY_ROLES, PolicyEnforcementModule } from '@weaver/policy';
import { GRPC_SERVICES, type tenancy } from '@weaver/contracts';
import { ApiKeyResolver, CredentialThrottle } from '@weaver/tenancy-core';
import type { DataSource } from 'typeorm';
import type { RouterConfig } from './router.config';
import { ModelCallGate } from './model-call-gate';
import { RouterGrpcController } from './router.grpc-controller';
import { openAiErrorRenderer } from './openai-error.renderer';
import { OpenAiHttpController } from './openai.http-controller';

@Module({
  imports: [ServiceDatabaseModule.forRoot({ schema: ROUTER_SCHEMA, migrations: ROUTER_MIGRATIONS, applicationName: 'weaver-router', probe: false }), TenantQuotasModule.forRoot(), PolicyEnforcementModule.forRoot()],
  controllers: [RouterGrpcController, OpenAiHttpController],
  providers: [
    serviceCipherProvider,
    // OpenAI's error shape on /v1/* (body parse errors included), Weaver's everywhere else.
    { provide: HTTP_ERROR_RENDERER, useValue: openAiErrorRenderer },
    // Tenants' keys of the OpenAI-compatible API: resolved through tenancy once per key per API_KEY_CACHE_TTL_MS, guessing throttled.
    {
      provide: ApiKeyResolver,
      inject: [grpcClientToken(GRPC_SERVICES.tenancy), SERVICE_CONFIG],
      useFactory: (client: tenancy.TenancyServiceClient, config: RouterConfig) =>
        new ApiKeyResolver(client, { ttlMs: config.API_KEY_CACHE_TTL_MS, defaultRoles: DEFAULT_KEY_ROLES, throttle: new CredentialThrottle({ maxFailures: config.AUTH_FAILURE_LIMIT, windowMs: config.AUTH_FAILURE_WINDOW_MS, blockMs: config.AUTH_BLOCK_MS }) }),
    },
    // model.call decided at the request entry (docs/policies.md).
    { provide: ModelCallGate, inject: [Authorizer], useFactory: (authz: Authorizer) => new ModelCallGate(authz) },
    {
      provide: ModelRouter,
      inject: [SERVICE_CONFIG, SERVICE_DATABASE, Metrics, PINO_LOGGER, SERVICE_CIPHER, QuotaCache, ServiceLifecycle],
      // A bad models.yaml stops the start with file:line field errors (ConfigError).
      // Recorded answers and Redis-cached ones are sealed under the tenant's data key (the
      // in-process cache holds them in memory only, like the key cache itself). Tenants' quotas
      // (tokens_per_day, budget_usd) come from tenancy through the cache and go into each billing batch.
      // Each call's text passes the tenant's PII policy first (ROUTER_PII_POLICY for tenants without one).
      // Its provider pools and the cache close after the servers stopped.
      useFactory: (config: RouterConfig, ds: DataSource, metrics: Metrics, logger: Logger, cipher: PayloadCipher, quotas: QuotaCache, lifecycle: ServiceLifecycle) => {
        // PII tokens are keyed from the tenant's data key through the cipher's own key cache (no extra round trip).
        const keys = cipher instanceof EnvelopeCipher ? dataKeyTokenKeys(cipher.keys) : undefined;
        if (!keys && PII_TYPES.some((t) => config.ROUTER_PII_POLICY[t] === 'tokenise')) {
          throw new ConfigError('environment', [{ field: 'ROUTER_PII_POLICY', rule: 'tokenise needs per-tenant data keys: not with WEAVER_ENCRYPTION=off' }]);
        }
        const models = new ModelRouter({
          file: loadModelsFile(config.ROUTER_MODELS_FILE),
          env: process.env,
          dataSource: ds,
          metrics,
          logger,
          cipher,
          cache: config.REDIS_URL ? new RedisResponseCache(config.REDIS_URL, (err) => logger.warn({ err }, 'redis cache error'), cipher) : new MemoryResponseCache(),
          idempotencyLeaseMs: config.ROUTER_IDEMPOTENCY_LEASE_MS,
          quotas: quotas.get,
          pii: { installationDefault: config.ROUTER_PII_POLICY, cacheTtlMs: config.ROUTER_PII_POLICY_CACHE_TTL_MS, keys },
        });
        return lifecycle.own('model router', models, (m) => m.close());
      },
    },
    {
      provide: CatalogWatcher,
      inject: [SERVICE_CONFIG, ModelRouter, PINO_LOGGER, ServiceLifecycle],
      // Stops watching models.yaml at shutdown (before the router it reloads closes).
      useFactory: (config: RouterConfig, models: ModelRouter, logger: Logger, lifecycle: ServiceLifecycle) =>
        lifecycle.own('models.yaml watcher', new CatalogWatcher(config.ROUTER_MODELS_FILE, {
          onReload: (file) => {
            models.reload(file);
            models.metrics.catalogReloads.inc({ result: 'ok' });
            logger.info({ file: config.ROUTER_MODELS_FILE, models: file.models.length }, 'models.yaml reloaded');
          },
          onInvalid: (err) => {
            models.metrics.catalogReloads.inc({ result: 'invalid' });
            logger.error({ err: (err as Error).message }, 'models.yaml change rejected; keeping the previous catalogue');
          },
        }).start(), (watcher) => watcher.stop()),
    },
  ],
})
export class RouterModule {}
