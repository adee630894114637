import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WireError, WireFault } from './wire-fault';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface WireServerOptions {
  /** Credential the server expects; unset accepts any. */
  apiKey?: string;
  /** Context window in wire tokens; larger prompts get the provider's context-overflow error. */
  contextWindow?: number;
  /** Added to every response (benchmarks use 0). */
  latencyMs?: number;
}

export interface WireContext {
  req: IncomingMessage;
  res: ServerResponse;
  body: unknown;
  /** The body as sent (signature checks hash it: Bedrock's SigV4). */
  raw: string;
  fault: WireFault | undefined;
}

/**
 * A plain node:http server speaking one provider's HTTP API on loopback. Subclasses map routes to
 * the provider's request/response and SSE formats; this base records requests, applies scripted
 * faults (`failNext`, `failAlways`) and latency, and closes every socket on `stop()`.
 */
export abstract class ProviderWireServer {
  readonly requests: RecordedRequest[] = [];
  private server?: Server;
  private readonly queued: WireFault[] = [];
  private always?: WireFault;
  private baseUrl = '';
  private held?: { afterPieces: number; released: Promise<void>; release: () => void; reached: Promise<void>; reach: () => void };

  constructor(protected readonly options: WireServerOptions = {}) {}

  /** The next `count` requests get `fault`. */
  failNext(count: number, fault: WireFault): this {
    for (let i = 0; i < count; i++) this.queued.push(fault);
    return this;
  }

  /** Every request gets `fault` until `heal()`. */
  failAlways(fault: WireFault): this {
    this.always = fault;
    return this;
  }

  /**
   * Streams pause after `afterPieces` text pieces until `release()` (servers that support it:
   * OpenAIWireServer): a test sees what a client does with a stream that is still running,
   * without timing. `reached` settles when a stream got there.
   */
  holdStreams(afterPieces: number): { reached: Promise<void>; release: () => void } {
    let release!: () => void;
    let reach!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const reached = new Promise<void>((r) => (reach = r));
    this.held = { afterPieces, released, release, reached, reach };
    return { reached, release: () => ((this.held = undefined), release()) };
  }

  /** The next request whose path ends with `pathSuffix` waits before it is answered until `release()`. */
  holdNext(pathSuffix: string): { reached: Promise<void>; release: () => void } {
    let release!: () => void;
    let reach!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const reached = new Promise<void>((r) => (reach = r));
    this.heldRequest = { pathSuffix, released, reach };
    return { reached, release };
  }

  private heldRequest?: { pathSuffix: string; released: Promise<void>; reach: () => void };

  /** Called by a streaming handler before its piece `index` (from 1). */
  protected async streamPause(index: number): Promise<void> {
    const h = this.held;
    if (!h || index !== h.afterPieces) return;
    h.reach();
    await h.released;
  }

  heal(): this {
    this.always = undefined;
    this.queued.length = 0;
    return this;
  }

  get url(): string {
    return this.baseUrl;
  }

  get contextWindow(): number {
    return this.options.contextWindow ?? 4096;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.dispatch(req, res));
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    // A request still waiting out a 'slow' fault would keep the process alive after the test.
    for (const [timer, wake] of this.pauses) {
      clearTimeout(timer);
      wake();
    }
    this.pauses.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private readonly pauses = new Map<NodeJS.Timeout, () => void>();

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => (this.pauses.delete(timer), resolve()), ms);
      this.pauses.set(timer, resolve);
    });
  }

  protected abstract handle(ctx: WireContext): Promise<void>;
  protected abstract errorFor(fault: WireFault, detail: { promptTokens: number }): WireError;
  /** The credential a request presented, in the provider's header. */
  protected abstract credentialOf(req: IncomingMessage): string | undefined;

  protected sendError(res: ServerResponse, err: WireError): void {
    res.writeHead(err.status, { 'content-type': 'application/json', ...err.headers });
    res.end(JSON.stringify(err.body));
  }

  protected sendJson(res: ServerResponse, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(200, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  protected startSse(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      // keep raw text: the handler answers with the provider's parse error
    }
    this.requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body });
    const hold = this.heldRequest;
    if (hold && (req.url ?? '').endsWith(hold.pathSuffix)) {
      this.heldRequest = undefined;
      hold.reach();
      await hold.released;
    }
    const fault = this.queued.shift() ?? this.always;
    const wait = (this.options.latencyMs ?? 0) + (fault?.type === 'slow' ? fault.delayMs : 0);
    if (wait > 0) await this.pause(wait);
    if (res.destroyed || !this.server) return;
    try {
      if (this.options.apiKey !== undefined && this.credentialOf(req) !== this.options.apiKey) {
        return this.sendError(res, this.errorFor({ type: 'unauthorized' }, { promptTokens: 0 }));
      }
      await this.handle({ req, res, body, raw, fault: fault?.type === 'slow' ? undefined : fault });
    } catch (err) {
      if (!res.headersSent) this.sendError(res, { status: 500, body: { error: String(err) } });
      else res.end();
    }
  }
}
