import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadConfig, violationsOf, z } from '@weaver/config';
import { CliError, EXIT } from '../cli-error';
import { checkoutPaths, findUpwards } from './checkout';

/**
 * The one place the CLI reads configuration. Precedence: flags, then the environment
 * (`WEAVER_URL`, `WEAVER_API_KEY`, `NO_COLOR`), then the nearest `.weaver/credentials.json`
 * (from the working directory upwards, else the checkout's, which `npm run dev` writes after
 * creating a dev tenant), then defaults. Each value is validated where it was read, so an error
 * names the flag, variable or file field that is wrong.
 */
export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:8080';

const gatewayUrl = z.url({ protocol: /^https?$/, error: `must be an http(s) URL like ${DEFAULT_GATEWAY_URL}` });
const apiKey = z.string().regex(/^\S+$/, 'must be a non-empty key without spaces (wv_...)');
const unsetIfEmpty = (v: unknown) => (v === '' ? undefined : v);

const envSchema = z.object({
  WEAVER_URL: z.preprocess(unsetIfEmpty, gatewayUrl.optional()),
  WEAVER_API_KEY: z.preprocess(unsetIfEmpty, apiKey.optional()),
  // https://no-color.org: present and non-empty disables colour.
  NO_COLOR: z.string().optional(),
});

/** What `npm run dev` writes after creating a dev tenant. Other fields are ignored. */
const credentialsSchema = z.object({ url: gatewayUrl.optional(), apiKey: apiKey.optional() });

export interface GlobalFlags {
  url?: string;
  apiKey?: string;
  json?: boolean;
  color?: boolean;
}

export type Env = Readonly<Record<string, string | undefined>>;

export interface OutputConfig {
  readonly json: boolean;
  /** Colour on stdout / on stderr: each only on a terminal, never with --json, --no-color or NO_COLOR. */
  readonly color: boolean;
  readonly errColor: boolean;
}

export interface GatewayConfig {
  /** Gateway base URL, without a trailing slash. */
  readonly url: string;
  readonly apiKey: string | undefined;
  /** Where url/apiKey came from, for error messages ("the API key from WEAVER_API_KEY was refused"). */
  readonly urlSource: string;
  readonly apiKeySource: string | undefined;
}

const readEnv = (env: Env) => loadConfig(envSchema, { WEAVER_URL: env['WEAVER_URL'], WEAVER_API_KEY: env['WEAVER_API_KEY'], NO_COLOR: env['NO_COLOR'] }, 'the environment');

export function resolveOutput(flags: GlobalFlags, env: Env, terminal: { stdout: boolean; stderr: boolean }): OutputConfig {
  const json = flags.json === true;
  const colorAllowed = !json && flags.color !== false && !readEnv(env).NO_COLOR;
  return { json, color: colorAllowed && terminal.stdout, errColor: colorAllowed && terminal.stderr };
}

/** Gateway URL and API key; read only by commands that talk to the gateway. */
export function resolveGateway(flags: GlobalFlags, env: Env, cwd: string, credentialsFile = findUpwards(cwd, join('.weaver', 'credentials.json')) ?? checkoutPaths().credentials): GatewayConfig {
  const fromFlags = parseOrThrow(z.object({ '--url': gatewayUrl.optional(), '--api-key': apiKey.optional() }), { '--url': flags.url, '--api-key': flags.apiKey });
  const fromEnv = readEnv(env);
  let url = pick(fromFlags['--url'], '--url') ?? pick(fromEnv.WEAVER_URL, 'WEAVER_URL');
  let key = pick(fromFlags['--api-key'], '--api-key') ?? pick(fromEnv.WEAVER_API_KEY, 'WEAVER_API_KEY');
  // A broken credentials file matters only if something is still missing.
  if (!url || !key) {
    const file = readCredentials(credentialsFile, cwd);
    url ??= pick(file?.values.url, file?.label);
    key ??= pick(file?.values.apiKey, file?.label);
  }
  return {
    url: (url?.[0] ?? DEFAULT_GATEWAY_URL).replace(/\/+$/, ''),
    urlSource: url?.[1] ?? 'the default',
    apiKey: key?.[0],
    apiKeySource: key?.[1],
  };
}

function pick(value: string | undefined, source: string | undefined): [string, string] | undefined {
  return value === undefined || source === undefined ? undefined : [value, source];
}

function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const lines = violationsOf(parsed.error).map((v) => `${v.field}: ${v.rule}`);
  throw new CliError('INVALID_ARGUMENT', lines.join('; '), undefined, EXIT.usage);
}

function readCredentials(path: string, cwd: string): { values: z.infer<typeof credentialsSchema>; label: string } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined; // no dev stack has written one yet: defaults apply
  }
  const rel = relative(cwd, path);
  const label = rel.startsWith('..') ? path : rel;
  const hint = 'fix or delete it (`npm run dev` writes a new one), or set WEAVER_URL and WEAVER_API_KEY';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CliError('CONFIG_INVALID', `${label} is not valid JSON (${(err as Error).message})`, hint, EXIT.usage);
  }
  const parsed = credentialsSchema.safeParse(json);
  if (!parsed.success) {
    const lines = violationsOf(parsed.error).map((v) => `${v.field}: ${v.rule}`);
    throw new CliError('CONFIG_INVALID', `${label} is invalid: ${lines.join('; ')}`, hint, EXIT.usage);
  }
  return { values: parsed.data, label };
}
