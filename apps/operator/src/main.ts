/**
 * The operator's composition root: config, Kubernetes client (in a pod: its service account;
 * elsewhere: KUBECONFIG or ~/.kube/config), the reconciler and controller, /metrics.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { loadConfig } from '@weaver/config';
import { createLogger, Metrics } from '@weaver/observability';
import { operatorConfigSchema } from './operator.config';
import { operatorMetrics } from './operator.metrics';
import { KubeClusterObjects } from './kube-objects';
import { PoolReconciler } from './pool-reconciler';
import { OperatorController } from './operator-controller';
import { startOperatorHttp } from './operator-http';

async function main(): Promise<void> {
  const config = loadConfig(operatorConfigSchema);
  const logger = createLogger('operator', { level: config.LOG_LEVEL });
  const kc = new KubeConfig();
  kc.loadFromDefault();
  const metrics = new Metrics('operator');
  const reconciler = new PoolReconciler(new KubeClusterObjects(kc), {
    bootstrapServers: config.KAFKA_BROKERS,
    kafkaNamespace: config.KAFKA_NAMESPACE,
    ...(config.KEDA_TRIGGER_AUTHENTICATION ? { triggerAuthentication: config.KEDA_TRIGGER_AUTHENTICATION } : {}),
    pollingIntervalSeconds: config.KEDA_POLLING_INTERVAL_SECONDS,
    cooldownPeriodSeconds: config.KEDA_COOLDOWN_PERIOD_SECONDS,
  });
  const controller = new OperatorController(kc, reconciler, {
    ...(config.WATCH_NAMESPACE ? { namespace: config.WATCH_NAMESPACE } : {}),
    resyncIntervalMs: config.RESYNC_INTERVAL_MS,
    concurrency: config.RECONCILE_CONCURRENCY,
    retryBaseMs: config.RETRY_BASE_MS,
    retryMaxMs: config.RETRY_MAX_MS,
  }, logger, operatorMetrics(metrics));
  let ready = false;
  const http = await startOperatorHttp(metrics, () => ready, config.BIND_HOST, config.HTTP_PORT);
  await controller.start();
  ready = true;
  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'stopping');
    ready = false;
    void controller.stop().then(() => http.close(() => process.exit(0)));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

void main().catch((err: unknown) => {
  process.stderr.write(`operator failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
