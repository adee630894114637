import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CatalogWatcher, loadModelsFile, MemoryResponseCache, ModelRouter, RedisResponseCache, ROUTER_MIGRATIONS, ROUTER_SCHEMA } from '@weaver/model-router';
import { type Logger, Metrics } from '@weaver/observability';
import { openServiceDatabase } from '@weaver/persistence';
import { PINO_LOGGER, Readiness, SERVICE_CONFIG } from '@weaver/service-kit';
import type { DataSource } from 'typeorm';
import type { RouterConfig } from './router.config';
import { RouterGrpcController } from './router.grpc-controller';

const ROUTER_DB = Symbol('router.db');

/** Stops watching models.yaml, closes provider pools and the cache, then the database pool. */
@Injectable()
class RouterShutdown implements OnApplicationShutdown {
  constructor(
    private readonly models: ModelRouter,
    private readonly watcher: CatalogWatcher,
    @Inject(ROUTER_DB) private readonly ds: DataSource,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    this.watcher.stop();
    await this.models.close();
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}

@Module({
  controllers: [RouterGrpcController],
  providers: [
    {
      provide: ROUTER_DB,
      inject: [SERVICE_CONFIG, Readiness],
      useFactory: async (config: RouterConfig, readiness: Readiness): Promise<DataSource> => {
        const ds = await openServiceDatabase({
          url: config.DATABASE_URL,
          ownerUrl: config.DATABASE_OWNER_URL,
          schema: ROUTER_SCHEMA,
          migrations: ROUTER_MIGRATIONS,
          poolSize: config.DATABASE_POOL_SIZE,
          applicationName: 'weaver-router',
        });
        readiness.register('postgres', async () => (await ds.query('SELECT 1 AS ok')).length === 1);
        return ds;
      },
    },
    {
      provide: ModelRouter,
      inject: [SERVICE_CONFIG, ROUTER_DB, Metrics, PINO_LOGGER],
      // A bad models.yaml stops the start with file:line field errors (ConfigError).
      useFactory: (config: RouterConfig, ds: DataSource, metrics: Metrics, logger: Logger) =>
        new ModelRouter({
          file: loadModelsFile(config.ROUTER_MODELS_FILE),
          env: process.env,
          dataSource: ds,
          metrics,
          logger,
          cache: config.REDIS_URL ? new RedisResponseCache(config.REDIS_URL, (err) => logger.warn({ err }, 'redis cache error')) : new MemoryResponseCache(),
          idempotencyLeaseMs: config.ROUTER_IDEMPOTENCY_LEASE_MS,
        }),
    },
    {
      provide: CatalogWatcher,
      inject: [SERVICE_CONFIG, ModelRouter, PINO_LOGGER],
      useFactory: (config: RouterConfig, models: ModelRouter, logger: Logger) =>
        new CatalogWatcher(config.ROUTER_MODELS_FILE, {
          onReload: (file) => {
            models.reload(file);
            models.metrics.catalogReloads.inc({ result: 'ok' });
            logger.info({ file: config.ROUTER_MODELS_FILE, models: file.models.length }, 'models.yaml reloaded');
          },
          onInvalid: (err) => {
            models.metrics.catalogReloads.inc({ result: 'invalid' });
            logger.error({ err: (err as Error).message }, 'models.yaml change rejected; keeping the previous catalogue');
          },
        }).start(),
    },
    RouterShutdown,
  ],
})
export class RouterModule {}
