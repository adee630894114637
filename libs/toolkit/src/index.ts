/**
 * @weaver/toolkit — MCP tools for agents, on the official `@modelcontextprotocol/sdk`.
 *
 * `loadMcpServers(file, inline)` validates the runner's servers in the common `mcpServers`
 * JSON form (stdio `command` or streamable HTTP `url`); `McpToolkit.start(...)` connects and
 * discovers every server's tools, resources and prompts; `toolkit.tools(scope)` is a step's
 * `this.tools` — deny by default (definition grants + admin grants), a timeout and an opossum
 * breaker per server, every call recorded in `tools.tool_calls` (`ToolCallStore`, batched) and
 * answered from its record when a redelivered step repeats it. `ToolGrantStore` holds admin
 * grants (`tools.tool_grants`). The tool-use loop is `this.tools.run(...)` (`runToolLoop`, in
 * the SDK). Docs: docs/tools.md.
 */
import { CreateToolTables1733000000000 } from './migrations/1733000000000-create-tool-tables';

export * from './connection-state';
export * from './discovery';
export * from './mcp-config';
export * from './mcp-connection';
export * from './mcp-toolkit';
export * from './step-tools';
export * from './tool-call-store';
export * from './tool-errors';
export * from './tool-grant-store';

export const TOOLS_SCHEMA = 'tools';
export const TOOLS_MIGRATIONS = [CreateToolTables1733000000000];
