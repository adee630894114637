import type { registry } from '@weaver/contracts';
import type { ListedServer, ReportedServer } from './tool-catalog';

/** What a runner reports (wire → domain); transport/status are checked by ToolCatalog.report. */
export function reportedServerFromProto(s: registry.McpServer): ReportedServer {
  return {
    server: s.server,
    transport: s.transport as ReportedServer['transport'],
    status: s.status as ReportedServer['status'],
    error: s.error,
    tools: s.tools.map((t) => ({ name: t.name, description: t.description, inputSchemaJson: t.inputSchemaJson })),
    resources: s.resources.map((r) => ({ uri: r.uri, name: r.name, mimeType: r.mimeType })),
    prompts: s.prompts.map((p) => ({ name: p.name, description: p.description, arguments: [...p.arguments] })),
  };
}

export function serverToProto(s: ReportedServer & Partial<Pick<ListedServer, 'runnerId' | 'reportedAt'>>): registry.McpServer {
  return { ...s, tools: s.tools.map((t) => ({ ...t })), runnerId: s.runnerId ?? '', reportedAt: s.reportedAt?.toISOString() ?? '' };
}
