import { ConfigError } from '@weaver/errors';
import { loadMcpServers, parseMcpServers } from './mcp-config';

const violations = (fn: () => unknown): Array<{ field: string; rule: string }> => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.violations;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('mcpServers config', () => {
  it('accepts the common form: stdio (command/args/env) and streamable HTTP (url/headers)', () => {
    const config = parseMcpServers(
      { mcpServers: { fs: { command: 'node', args: ['server.js', '/tmp'], env: { TOKEN: '${MCP_TOKEN}' } }, remote: { url: 'https://tools.example/mcp', headers: { authorization: 'Bearer ${MCP_TOKEN}' }, timeoutMs: 5000 } } },
      'mcp.json',
      { MCP_TOKEN: 't0k' },
    );
    expect(config.mcpServers['fs']).toEqual({ transport: 'stdio', command: 'node', args: ['server.js', '/tmp'], env: { TOKEN: 't0k' }, maxClassification: 'internal' });
    expect(config.mcpServers['remote']).toEqual({ transport: 'http', url: 'https://tools.example/mcp', headers: { authorization: 'Bearer t0k' }, timeoutMs: 5000, maxClassification: 'internal' });
  });

  it('names the field and the rule of every problem', () => {
    const found = violations(() =>
      parseMcpServers({ mcpServers: { 'bad/name': { command: 'x' }, both: { command: 'x', url: 'http://h' }, neither: {}, web: { url: 'ftp://h' }, slow: { command: 'x', timeoutMs: 0 }, typo: { command: 'x', argz: [] } } }, 'mcp.json'),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        { field: 'mcpServers.bad/name', rule: expect.stringContaining('server names must match') },
        { field: 'mcpServers.both', rule: 'must have exactly one of "command" (stdio) or "url" (streamable HTTP)' },
        { field: 'mcpServers.neither', rule: 'must have exactly one of "command" (stdio) or "url" (streamable HTTP)' },
        { field: 'mcpServers.web.url', rule: 'must be an http(s) URL' },
        { field: 'mcpServers.slow.timeoutMs', rule: 'must be a positive number of milliseconds' },
        { field: 'mcpServers.typo', rule: expect.stringContaining('argz') },
      ]),
    );
  });

  it('refuses a ${VAR} that is not set, naming the field and the variable (not any value)', () => {
    expect(violations(() => parseMcpServers({ mcpServers: { gh: { command: 'gh-mcp', env: { GITHUB_TOKEN: '${GH_TOKEN}' } } } }, 'mcp.json', {}))).toEqual([
      { field: 'mcpServers.gh.env.GITHUB_TOKEN', rule: 'refers to ${GH_TOKEN}, which is not set in the environment' },
    ]);
  });

  it('reads MCP_SERVERS inline or MCP_SERVERS_FILE, never both; nothing set means no servers', () => {
    expect(loadMcpServers(undefined, undefined)).toEqual({ mcpServers: {} });
    expect(loadMcpServers(undefined, '{"mcpServers":{"a":{"url":"http://h:1/mcp"}}}').mcpServers['a']).toMatchObject({ transport: 'http' });
    expect(violations(() => loadMcpServers('/x.json', '{}'))).toEqual([{ field: 'MCP_SERVERS', rule: 'set either MCP_SERVERS_FILE or MCP_SERVERS, not both' }]);
    expect(violations(() => loadMcpServers(undefined, '{nope'))[0]).toMatchObject({ field: '(root)', rule: expect.stringContaining('must be JSON') });
    expect(violations(() => loadMcpServers('/no/such/file.json', undefined))).toEqual([{ field: 'MCP_SERVERS_FILE', rule: 'must be a readable file: ENOENT' }]);
  });
});
