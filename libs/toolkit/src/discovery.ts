/** What one server offers, as discovered at start (reported to the registry, served by GET /v1/tools). */
export interface DiscoveredTool {
  /** `<server>/<tool>`: the name grants, calls and records use. */
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface DiscoveredResource {
  uri: string;
  name: string;
  mimeType: string;
}

export interface DiscoveredPrompt {
  name: string;
  description: string;
  arguments: string[];
}

export interface DiscoveredServer {
  server: string;
  transport: 'stdio' | 'http';
  /** 'ready', or 'failed' with the reason (a server down at start is listed, with no tools). */
  status: 'ready' | 'failed';
  error?: string;
  tools: DiscoveredTool[];
  resources: DiscoveredResource[];
  prompts: DiscoveredPrompt[];
}
