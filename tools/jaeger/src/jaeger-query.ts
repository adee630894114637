/**
 * Reads traces back through Jaeger's query API (the JSON API its UI uses), as plain spans with
 * their service, parent and attributes: what the tests assert trace trees on.
 */

export interface TraceSpan {
  traceId: string;
  spanId: string;
  /** The CHILD_OF reference's span id; undefined for a root. */
  parentId: string | undefined;
  name: string;
  service: string;
  kind: string | undefined;
  attributes: Record<string, string | number | boolean>;
  startUs: number;
}

interface ApiSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  startTime: number;
  processID: string;
  references?: Array<{ refType: string; traceID: string; spanID: string }>;
  tags?: Array<{ key: string; type: string; value: string | number | boolean }>;
}
interface ApiTrace {
  traceID: string;
  spans: ApiSpan[];
  processes: Record<string, { serviceName: string }>;
}

export class JaegerQuery {
  constructor(readonly url: string) {}

  /** Trace ids of `service` that have a span with all these attributes (Jaeger's tag search). */
  async findTraceIds(service: string, tags: Record<string, string>, limit = 20): Promise<string[]> {
    const q = new URLSearchParams({ service, tags: JSON.stringify(tags), limit: String(limit), lookback: '1h' });
    const traces = await this.get<ApiTrace[]>(`/api/traces?${q}`);
    return [...new Set(traces.map((t) => t.traceID))];
  }

  /** Every span of a trace ([] when Jaeger has none yet). */
  async trace(traceId: string): Promise<TraceSpan[]> {
    const res = await fetch(`${this.url}/api/traces/${traceId}`);
    if (res.status === 404) return [];
    if (!res.ok) throw new Error(`jaeger ${res.status} for trace ${traceId}: ${await res.text()}`);
    const body = (await res.json()) as { data: ApiTrace[] };
    return (body.data ?? []).flatMap(spansOf);
  }

  async services(): Promise<string[]> {
    return this.get<string[]>('/api/services');
  }

  private async get<T>(path: string): Promise<T> {
    const res = await fetch(`${this.url}${path}`);
    if (!res.ok) throw new Error(`jaeger ${res.status} for ${path}: ${await res.text()}`);
    return ((await res.json()) as { data: T }).data ?? ([] as unknown as T);
  }
}

function spansOf(t: ApiTrace): TraceSpan[] {
  return t.spans.map((s) => {
    const attributes: TraceSpan['attributes'] = {};
    for (const tag of s.tags ?? []) attributes[tag.key] = tag.value;
    const kind = attributes['span.kind'];
    return {
      traceId: s.traceID,
      spanId: s.spanID,
      parentId: s.references?.find((r) => r.refType === 'CHILD_OF')?.spanID,
      name: s.operationName,
      service: t.processes[s.processID]?.serviceName ?? '?',
      kind: typeof kind === 'string' ? kind : undefined,
      attributes,
      startUs: s.startTime,
    };
  });
}
