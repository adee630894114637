import { readFileSync } from 'node:fs';
import { violationsOf, z } from '@weaver/config';
import { ConfigError } from '@weaver/errors';
import { LEVELS, type Level } from '@weaver/governance';
import { SERVER_NAME } from '@weaver/sdk/internal';

/**
 * MCP servers in the common `mcpServers` JSON form (the one Claude Desktop, Cursor and the MCP
 * docs use): a stdio server has `command` (+ `args`, `env`, `cwd`), a streamable HTTP server has
 * `url` (+ `headers`). Weaver adds optional `timeoutMs` (per call), `breaker` settings and
 * `maxClassification` (the highest data level its calls may carry).
 * A value `${NAME}` in `env` or `headers` is taken from the runner's environment at load, so
 * secrets need not sit in the file.
 */
/** A tool's ceiling when its server's config names none. */
export const DEFAULT_TOOL_CEILING: Level = 'internal';

const breakerSchema = z
  .object({
    errorThresholdPercentage: z.number().int().min(1).max(100).optional(),
    resetTimeoutMs: z.number().int().min(100).optional(),
    volumeThreshold: z.number().int().min(1).optional(),
  })
  .strict();

const common = {
  timeoutMs: z.number().int().min(1, 'must be a positive number of milliseconds').max(600_000).optional(),
  breaker: breakerSchema.optional(),
  /**
   * The highest classification level a call's step may be at (`@weaver/governance` levels).
   * Default `internal`: a tool is another party's code and often another network, so
   * confidential or restricted data (pii, phi, pci included) reaches it only when said so.
   */
  maxClassification: z.enum(LEVELS).default(DEFAULT_TOOL_CEILING),
};

const stdioServer = z
  .object({
    command: z.string().min(1, 'must be a non-empty command'),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}),
    cwd: z.string().min(1).optional(),
    ...common,
  })
  .strict();

const httpServer = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    headers: z.record(z.string(), z.string()).default({}),
    ...common,
  })
  .strict();

const serverSchema = z.unknown().transform((value, ctx) => {
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  const hasCommand = isObject && 'command' in value;
  const hasUrl = isObject && 'url' in value;
  if (hasCommand === hasUrl) {
    ctx.addIssue({ code: 'custom', message: 'must have exactly one of "command" (stdio) or "url" (streamable HTTP)' });
    return z.NEVER;
  }
  const parsed = (hasCommand ? stdioServer : httpServer).safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  }
  return hasCommand ? { transport: 'stdio' as const, ...(parsed.data as z.infer<typeof stdioServer>) } : { transport: 'http' as const, ...(parsed.data as z.infer<typeof httpServer>) };
});

export const mcpServersSchema = z
  .object({
    mcpServers: z.record(z.string(), serverSchema),
  })
  .strict();

export type McpServersConfig = z.infer<typeof mcpServersSchema>;
export type McpServerConfig = McpServersConfig['mcpServers'][string];

/**
 * Validates the config once. Errors name the field as written (`mcpServers.fs.command`) and the
 * rule; `${NAME}` references to unset variables are errors too (named, never their values).
 */
export function parseMcpServers(value: unknown, source: string, env: Record<string, string | undefined> = process.env): McpServersConfig {
  const parsed = mcpServersSchema.safeParse(value);
  // Names are checked apart from the schema: zod reports a bad record key only as "Invalid key in record".
  const raw = (value as { mcpServers?: unknown } | null)?.mcpServers;
  const badNames = raw && typeof raw === 'object' ? Object.keys(raw).filter((n) => !SERVER_NAME.test(n)) : [];
  const nameRule = 'server names must match [A-Za-z0-9][A-Za-z0-9_-]* (they prefix tool names: "<server>/<tool>")';
  const problems = [...badNames.map((n) => ({ field: `mcpServers.${n}`, rule: nameRule })), ...(parsed.success ? [] : violationsOf(parsed.error))];
  if (!parsed.success || problems.length) throw new ConfigError(source, problems);
  const missing: Array<{ field: string; rule: string }> = [];
  const expand = (field: string, map: Record<string, string>): Record<string, string> =>
    Object.fromEntries(
      Object.entries(map).map(([k, v]) => [
        k,
        v.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
          const found = env[name];
          if (found === undefined) missing.push({ field: `${field}.${k}`, rule: `refers to \${${name}}, which is not set in the environment` });
          return found ?? '';
        }),
      ]),
    );
  const servers = Object.fromEntries(
    Object.entries(parsed.data.mcpServers).map(([name, s]) => [
      name,
      s.transport === 'stdio' ? { ...s, env: expand(`mcpServers.${name}.env`, s.env) } : { ...s, headers: expand(`mcpServers.${name}.headers`, s.headers) },
    ]),
  );
  if (missing.length) throw new ConfigError(source, missing);
  return { mcpServers: servers };
}

/**
 * Where the agent-runner reads its servers: `MCP_SERVERS_FILE` (a JSON file) or `MCP_SERVERS`
 * (the JSON inline, e.g. from a Kubernetes ConfigMap); neither means no tools.
 */
export function loadMcpServers(file: string | undefined, inline: string | undefined, env: Record<string, string | undefined> = process.env): McpServersConfig {
  if (file && inline) throw new ConfigError('environment', [{ field: 'MCP_SERVERS', rule: 'set either MCP_SERVERS_FILE or MCP_SERVERS, not both' }]);
  const source = file ?? 'MCP_SERVERS';
  const text = file ? readText(file) : inline;
  if (text === undefined || text.trim() === '') return { mcpServers: {} };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(source, [{ field: '(root)', rule: `must be JSON: ${(err as Error).message}` }]);
  }
  return parseMcpServers(json, source, env);
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError('environment', [{ field: 'MCP_SERVERS_FILE', rule: `must be a readable file: ${(err as NodeJS.ErrnoException).code ?? String(err)}` }]);
  }
}
