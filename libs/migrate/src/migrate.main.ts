/**
 * The migrate step, as a command (the Kubernetes Job `weaver-migrate`, tools/dev, by hand):
 *
 *   DATABASE_OWNER_URL=postgres://owner:...@host/weaver DATABASE_PASSWORDS_FILE=secrets.json \
 *     node -r @swc-node/register libs/migrate/src/migrate.main.ts [--generate-passwords]
 *
 * Passwords come from DATABASE_PASSWORDS_FILE (JSON, one per service; `--generate-passwords`
 * makes it when missing) or from DATABASE_PASSWORD_<SERVICE> variables (e.g.
 * DATABASE_PASSWORD_AGENT_RUNNER), as a Kubernetes Secret gives them. Prints what it applied and
 * which roles it made, never a password or URL. Exit 0 done, 1 failed, 2 bad configuration.
 */
import 'reflect-metadata';
import { loadConfig, z } from '@weaver/config';
import { asWeaverError } from '@weaver/errors';
import { DATABASE_SERVICES, parseServicePasswords, servicePasswordsFile, type ServicePasswords } from '@weaver/database';
import { migrateAll } from './migrate-all';

const envOf = (service: string): string => `DATABASE_PASSWORD_${service.toUpperCase().replace(/-/g, '_')}`;

const schema = z
  .object({
    DATABASE_OWNER_URL: z.string().regex(/^postgres(ql)?:\/\/[^/]+\/.+/, 'must be a postgres://owner:password@host:port/database URL'),
    DATABASE_PASSWORDS_FILE: z.string().min(1).optional(),
    ...Object.fromEntries(DATABASE_SERVICES.map((s) => [envOf(s), z.string().min(16, 'must be at least 16 characters').optional()])),
  })
  .refine((env) => env.DATABASE_PASSWORDS_FILE !== undefined || DATABASE_SERVICES.every((s) => env[envOf(s) as keyof typeof env] !== undefined), {
    message: `set DATABASE_PASSWORDS_FILE, or every one of ${DATABASE_SERVICES.map(envOf).join(', ')}`,
    path: ['DATABASE_PASSWORDS_FILE'],
  });

async function main(): Promise<number> {
  let config: z.infer<typeof schema>;
  try {
    config = loadConfig(schema, process.env);
  } catch (error) {
    process.stderr.write(`weaver migrate: ${asWeaverError(error).message}\n`);
    return 2;
  }
  const env = config as Record<string, string | undefined>;
  const passwords: ServicePasswords =
    config.DATABASE_PASSWORDS_FILE !== undefined
      ? servicePasswordsFile(config.DATABASE_PASSWORDS_FILE, { create: process.argv.includes('--generate-passwords') })
      : parseServicePasswords(Object.fromEntries(DATABASE_SERVICES.map((s) => [s, env[envOf(s)]])), 'environment');
  const result = await migrateAll(config.DATABASE_OWNER_URL, passwords);
  for (const [name, applied] of Object.entries(result.applied)) {
    process.stdout.write(`schema ${name}: ${applied.length === 0 ? 'up to date' : `applied ${applied.join(', ')}`}\n`);
  }
  process.stdout.write(`roles: ${result.roles.join(', ')} (each with grants on its own tables only)\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`weaver migrate failed: ${asWeaverError(error).message}\n`);
    process.exit(1);
  },
);
