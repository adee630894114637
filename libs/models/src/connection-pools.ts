import { Agent, fetch as undiciFetch } from 'undici';

/**
 * A Request built by an SDK with Node's global Request (Mistral's SDK does) is not an instance
 * of the undici package's Request: its parts are passed on instead (bodies are small JSON).
 */
async function requestInit(r: Request): Promise<Parameters<typeof undiciFetch>[1]> {
  const body = r.method === 'GET' || r.method === 'HEAD' ? undefined : Buffer.from(await r.arrayBuffer());
  return { method: r.method, headers: [...r.headers.entries()], body, signal: r.signal };
}

export interface PoolOptions {
  /** Max sockets per origin: bounds concurrency toward one provider endpoint. */
  connections?: number;
  /** How long an idle socket stays open for reuse. */
  keepAliveMs?: number;
}

/**
 * Keep-alive connection pools, one per provider origin, shared by every model on that origin.
 * Each adapter gets a `fetch` bound to its origin's pool and hands it to the provider's SDK, so
 * TLS and TCP handshakes are paid once per socket, not once per call.
 */
export class ConnectionPools {
  private readonly agents = new Map<string, Agent>();

  constructor(private readonly defaults: PoolOptions = {}) {}

  fetchFor(endpoint: string, options: PoolOptions = {}): typeof fetch {
    const origin = new URL(endpoint).origin;
    let agent = this.agents.get(origin);
    if (!agent) {
      agent = new Agent({
        connections: options.connections ?? this.defaults.connections ?? 64,
        keepAliveTimeout: options.keepAliveMs ?? this.defaults.keepAliveMs ?? 30_000,
        pipelining: 1,
      });
      this.agents.set(origin, agent);
    }
    const dispatcher = agent;
    // undici's fetch is the same WHATWG fetch as Node's global one; the SDKs accept it as-is.
    const bound = async (input: Parameters<typeof undiciFetch>[0] | Request, init?: Parameters<typeof undiciFetch>[1]) =>
      input instanceof Request ? undiciFetch(input.url, { ...(await requestInit(input)), ...init, dispatcher }) : undiciFetch(input, { ...init, dispatcher });
    return bound as unknown as typeof fetch;
  }

  get size(): number {
    return this.agents.size;
  }

  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((a) => a.close()));
    this.agents.clear();
  }
}
