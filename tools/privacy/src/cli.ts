/**
 * Export and erasure of a tenant or a data subject (issue 8 §7), an operator step like
 * migrations: it runs with the owner database URL, which no serving process holds.
 *
 *   npx tsx tools/privacy/src/cli.ts export --tenant <uuid> [--subject <id>] [--out bundle.json]
 *   npx tsx tools/privacy/src/cli.ts erase  --tenant <uuid> [--subject <id>] --confirm <uuid>
 *   npx tsx tools/privacy/src/cli.ts erase-requested   (tenants deleted through the admin API; run it on a schedule)
 *
 * Environment (validated once): DATABASE_OWNER_URL; the publisher's RESULT_STORE / S3_* fields;
 * ROUTER_REDIS_URL when the router shares a Redis cache.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { loadConfig, z } from '@weaver/config';
import { cryptoConfigSchema, payloadCipherFromConfig } from '@weaver/crypto';
import { createDataSource } from '@weaver/persistence';
import { WeaverError } from '@weaver/errors';
import { RedisResponseCache } from '@weaver/model-router';
import { checkParty, describeParty, eraseRequestedTenants, PartyData } from '@weaver/privacy';
import { createResultStore, resultStoreConfigFields, s3CredentialsTogether } from '@weaver/publisher-core';
import { commandOf, runToolCli, say, unknownCommand, type ToolError } from '../../tool-cli/tool-cli';

const USAGE = `usage: privacy <export|erase|erase-requested> --tenant <uuid> [--subject <id>] [--out <file>] [--confirm <uuid>]
  export            writes the party's data as a weaver.export.v1 bundle (stdout, or --out)
  erase             deletes the party's rows, result objects, cached answers and data keys; --confirm must repeat the tenant id
  erase-requested   erases every tenant deleted through the admin API (DELETE /v1/admin/tenants/{id}) and not yet erased`;

const envSchema = z
  .object({
    DATABASE_OWNER_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
    ROUTER_REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional(),
    ...resultStoreConfigFields,
    // The services' key settings: the export opens what they sealed (and the cache's values).
    ...cryptoConfigSchema.shape,
  })
  .refine(s3CredentialsTogether.check, s3CredentialsTogether.issue);

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { tenant: { type: 'string' }, subject: { type: 'string' }, out: { type: 'string' }, confirm: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const command = commandOf(positionals, values.help, USAGE);
  if (typeof command === 'number') return command;
  if (command !== 'export' && command !== 'erase' && command !== 'erase-requested') return unknownCommand(command, USAGE);
  // The admin API's DELETE was the confirmation: its requests are erased without a --tenant.
  const party = command === 'erase-requested' ? undefined : checkParty({ tenantId: values.tenant, subjectId: values.subject });
  if (party && command === 'erase' && values.confirm?.toLowerCase() !== party.tenantId) {
    process.stderr.write(`privacy: erase is irreversible: repeat the tenant id with --confirm ${party.tenantId}\n`);
    return 2;
  }
  const env = loadConfig(envSchema, process.env);
  const pool = new Pool({ connectionString: env.DATABASE_OWNER_URL, max: 2, application_name: 'weaver-privacy' });
  const keys = await createDataSource({ url: env.DATABASE_OWNER_URL, schema: 'keys', poolSize: 1, applicationName: 'weaver-privacy' }).initialize();
  const cipher = payloadCipherFromConfig(keys, env);
  const cache = env.ROUTER_REDIS_URL ? new RedisResponseCache(env.ROUTER_REDIS_URL, undefined, cipher) : undefined;
  const results = await createResultStore(env);
  try {
    const data = new PartyData({ pool, results, cache, cipher });
    if (!party) {
      say(JSON.stringify(await eraseRequestedTenants(pool, data), null, 2));
      return 0;
    }
    if (command === 'export') {
      const bundle = JSON.stringify(await data.export(party), null, 2);
      if (values.out) {
        writeFileSync(values.out, bundle, { mode: 0o600 });
        say(`exported ${describeParty(party)} to ${values.out}`);
      } else say(bundle);
      return 0;
    }
    say(JSON.stringify(await data.erase(party), null, 2));
    return 0;
  } finally {
    await pool.end();
    await keys.destroy();
    await cache?.close();
    results.destroy?.();
  }
}

const isToolError = (error: unknown): error is ToolError => error instanceof WeaverError;
runToolCli('privacy', USAGE, main, isToolError);
