/**
 * Data-key administration (per-tenant envelope encryption, issue 8 item 4), an operator step
 * like migrations and erasure: it runs with the owner database URL, which no serving process
 * holds, and the same KMS settings as the services.
 *
 *   npx tsx tools/keys/src/cli.ts rotate     --tenant <uuid> [--subject <id>]
 *   npx tsx tools/keys/src/cli.ts rewrap     --tenant <uuid> [--rotate-kek]
 *   npx tsx tools/keys/src/cli.ts destroy    --tenant <uuid> [--subject <id>] --confirm <uuid>
 *   npx tsx tools/keys/src/cli.ts list       --tenant <uuid>
 *
 * rotate: a new data key version for the tenant (or subject); old data still opens, services
 * seal with the new one once their cached key expires (WEAVER_DEK_CACHE_TTL_MS). rewrap: every
 * live data key of the tenant wrapped again under the current KEK (--rotate-kek first adds a
 * new KEK to the local keyring; for AWS, point WEAVER_KMS_KEY_ID at the new key). destroy:
 * crypto-shredding of a scope (for a whole erasure use tools/privacy, which also deletes rows
 * and objects), followed by VACUUM of keys.data_keys. Nothing here prints key material.
 *
 * Environment (validated once): DATABASE_OWNER_URL and the WEAVER_KMS* fields of the services.
 */
import { parseArgs } from 'node:util';
import { loadConfig, z } from '@weaver/config';
import { checkScope, cryptoConfigSchema, destroyDataKeys, kmsFromConfig, LocalKms, rewrapDataKeys, rotateDataKey, type KeyScope } from '@weaver/crypto';
import { WeaverError } from '@weaver/errors';
import { createDataSource, withTenant } from '@weaver/persistence';
import { commandOf, runToolCli, say, unknownCommand, type ToolError } from '../../tool-cli/tool-cli';

const USAGE = `usage: keys <rotate|rewrap|destroy|list> --tenant <uuid> [--subject <id>] [--rotate-kek] [--confirm <uuid>]
  rotate    a new data key version for the tenant (or --subject); old data still opens
  rewrap    re-wraps the tenant's live data keys under the current KEK (--rotate-kek: add a new local KEK first)
  destroy   crypto-shreds the tenant's own key (or --subject's); irreversible: --confirm must repeat the tenant id
  list      the tenant's data keys: scope, version, state, KEK id (never key bytes)`;

const envSchema = cryptoConfigSchema.extend({
  DATABASE_OWNER_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
});

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { tenant: { type: 'string' }, subject: { type: 'string' }, confirm: { type: 'string' }, 'rotate-kek': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  const command = commandOf(positionals, values.help, USAGE);
  if (typeof command === 'number') return command;
  if (!['rotate', 'rewrap', 'destroy', 'list'].includes(command)) return unknownCommand(command, USAGE);
  const scope: KeyScope = checkScope(values.subject === undefined ? { tenantId: values.tenant ?? '' } : { tenantId: values.tenant ?? '', subject: values.subject });
  if (command === 'destroy' && values.confirm?.toLowerCase() !== scope.tenantId) {
    process.stderr.write(`keys: destroy is irreversible: repeat the tenant id with --confirm ${scope.tenantId}\n`);
    return 2;
  }
  const env = loadConfig(envSchema, process.env);
  const ds = await createDataSource({ url: env.DATABASE_OWNER_URL, schema: 'keys', poolSize: 2, applicationName: 'weaver-keys' }).initialize();
  try {
    switch (command) {
      case 'rotate':
        say(JSON.stringify({ rotated: scope, version: await rotateDataKey(ds, kmsFromConfig(env), scope) }));
        return 0;
      case 'rewrap': {
        const kms = kmsFromConfig(env);
        if (values['rotate-kek']) {
          if (!(kms instanceof LocalKms)) throw new WeaverError('FAILED_PRECONDITION', '--rotate-kek adds a key to the local keyring; with WEAVER_KMS=aws create the new key in KMS and set WEAVER_KMS_KEY_ID');
          kms.rotate();
        }
        say(JSON.stringify({ tenantId: scope.tenantId, kek: kms.currentKeyId, rewrapped: await rewrapDataKeys(ds, kms, scope.tenantId) }));
        return 0;
      }
      case 'destroy': {
        const destroyed = await destroyDataKeys(ds, scope);
        await ds.query('VACUUM keys.data_keys'); // the old wrapped bytes out of dead tuples too
        say(JSON.stringify({ destroyed: scope, versions: destroyed, vacuumed: true }));
        return 0;
      }
      default: {
        const rows: unknown[] = await withTenant(ds, scope.tenantId, (em) =>
          em.query(`SELECT subject, version, state, kms_key_id, created_at, updated_at FROM keys.data_keys WHERE tenant_id = $1 ORDER BY subject NULLS FIRST, version`, [scope.tenantId]),
        );
        say(JSON.stringify(rows, null, 2));
        return 0;
      }
    }
  } finally {
    await ds.destroy();
  }
}

const isToolError = (error: unknown): error is ToolError => error instanceof WeaverError;
runToolCli('keys', USAGE, main, isToolError);
