/**
 * `weaver region failover`: the operator's command, run in the standby region when a region is
 * lost (docs/regions.md):
 *
 *   DATABASE_URL=<the standby's tenancy role URL> KAFKA_BROKERS=<the standby's brokers> WEAVER_REGION=b \
 *     node -r @swc-node/register apps/tenancy/src/region-failover.main.ts --from a
 *
 * Adopts every tenant homed in and still served by region `--from` (from this region's
 * replicated directory) and publishes them as served here. Prints the adopted tenant ids.
 * Idempotent. Exit 0 done, 1 failed, 2 bad configuration or arguments.
 */
import 'reflect-metadata';
import { loadConfig, z } from '@weaver/config';
import { asWeaverError } from '@weaver/errors';
import { EventProducer, TopicNames, createKafka, kafkaConfigFields, kafkaConfigRules, kafkaSecurityOf } from '@weaver/messaging';
import { createDataSource } from '@weaver/persistence';
import { databaseConfigFields } from '@weaver/service-kit';
import { DirectoryPublisher, REGION_NAME, failoverRegion, tenancySchema } from '@weaver/tenancy-core';

const schema = z
  .object({
    ...databaseConfigFields,
    ...kafkaConfigFields,
    KAFKA_NAMESPACE: z.string().regex(/^[a-zA-Z0-9._-]*$/, 'must match [a-zA-Z0-9._-]*').default(''),
    WEAVER_REGION: z.string().regex(REGION_NAME, `must match ${REGION_NAME.source}`),
  })
  .superRefine((c, ctx) => kafkaConfigRules(c, ctx));

async function main(): Promise<number> {
  const fromAt = process.argv.indexOf('--from');
  const from = fromAt >= 0 ? process.argv[fromAt + 1] : undefined;
  let config: z.infer<typeof schema>;
  try {
    if (!from) throw new Error('usage: region-failover.main.ts --from <failed region>');
    config = loadConfig(schema, process.env);
  } catch (error) {
    process.stderr.write(`weaver region failover: ${asWeaverError(error).message}\n`);
    return 2;
  }
  const ds = await createDataSource({ url: config.DATABASE_URL, ...tenancySchema, poolSize: 2 }).initialize();
  const producer = new EventProducer(createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'weaver-region-failover', security: kafkaSecurityOf(config) }));
  try {
    const publisher = new DirectoryPublisher(ds, producer, new TopicNames(config.KAFKA_NAMESPACE).directory, config.WEAVER_REGION);
    const adopted = await failoverRegion(ds, publisher, from, config.WEAVER_REGION);
    for (const id of adopted) process.stdout.write(`adopted tenant ${id}\n`);
    process.stdout.write(`region ${config.WEAVER_REGION} now serves ${adopted.length} tenant(s) of region ${from}\n`);
    return 0;
  } finally {
    await producer.disconnect();
    await ds.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`weaver region failover: ${asWeaverError(error).message}\n`);
    process.exit(1);
  },
);
