import { request, createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, createServer as createTcpServer, type Server, type Socket } from 'node:net';

/** One replica behind a balancer: where it serves, and its readiness probe. */
export interface BalancerBackend {
  host: string;
  port: number;
  /** http://host:port/health/ready of the replica. */
  readyUrl: string;
}

export interface BalancerOptions {
  /** 'tcp': a Kubernetes Service (kube-proxy): each new connection to a ready replica, kept for its life (gRPC). 'http': an ingress: each request to a ready replica. */
  mode: 'tcp' | 'http';
  port: number;
  backends: BalancerBackend[];
  /** How often readiness is probed; must be well below the services' SHUTDOWN_DRAIN_MS. */
  probeIntervalMs?: number;
}

/** Unanswered probes in a row before a replica is taken out (Kubernetes' default failureThreshold). */
const FAILURE_THRESHOLD = 3;

/**
 * What sits in front of a service's replicas in Kubernetes, in process: readiness-gated routing.
 * Replicas whose /health/ready is not 200 get no new connections (tcp) or requests (http), as
 * endpoints drop a pod that is not ready; established connections are left alone, so a
 * draining replica ends them itself (gRPC GOAWAY, HTTP `connection: close`). No retries: a
 * request routed to a replica that fails, fails.
 */
export class ReadinessBalancer {
  private readonly ready = new Set<BalancerBackend>();
  /** Probes in a row that got no answer, per replica. */
  private readonly missed = new Map<BalancerBackend, number>();
  private next = 0;
  private server: Server | undefined;
  private probe: NodeJS.Timeout | undefined;
  /** Requests or connections routed, per backend port (what the test reports). */
  readonly routed = new Map<number, number>();

  constructor(private readonly opts: BalancerOptions) {}

  get url(): string {
    return `127.0.0.1:${this.opts.port}`;
  }

  async start(): Promise<void> {
    await this.probeAll();
    this.probe = setInterval(() => void this.probeAll(), this.opts.probeIntervalMs ?? 100);
    const server = this.opts.mode === 'tcp' ? createTcpServer((socket) => this.pipe(socket)) : createHttpServer((req, res) => this.forward(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, '127.0.0.1', () => resolve());
    });
  }

  /** Whether the replica probed at `readyUrl` is one of this balancer's. */
  fronts(readyUrl: string): boolean {
    return this.opts.backends.some((b) => b.readyUrl === readyUrl);
  }

  /** Resolves once the replica probed at `readyUrl` is routed to (seen ready, e.g. after a restart). */
  async waitRouted(readyUrl: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (![...this.ready].some((b) => b.readyUrl === readyUrl)) {
      if (Date.now() > deadline) throw new Error(`balancer ${this.url}: replica ${readyUrl} not ready within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.probe);
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private pick(): BalancerBackend | undefined {
    const ready = this.opts.backends.filter((b) => this.ready.has(b));
    if (ready.length === 0) return undefined;
    const backend = ready[this.next++ % ready.length]!;
    this.routed.set(backend.port, (this.routed.get(backend.port) ?? 0) + 1);
    return backend;
  }

  private pipe(socket: Socket): void {
    const backend = this.pick();
    if (!backend) return void socket.destroy();
    const upstream = connect(backend.port, backend.host);
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
    upstream.on('close', () => socket.destroy());
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const backend = this.pick();
    if (!backend) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('no ready replica');
      return;
    }
    // A fresh upstream connection per request (agent: false): never one the replica is closing.
    const upstream = request({ host: backend.host, port: backend.port, method: req.method, path: req.url, headers: { ...req.headers, connection: 'close' }, agent: false }, (answer) => {
      const headers = { ...answer.headers };
      delete headers['connection'];
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
    });
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`upstream :${backend.port} failed: ${err.message}`);
    });
    req.pipe(upstream);
  }

  private async probeAll(): Promise<void> {
    await Promise.all(
      this.opts.backends.map(async (b) => {
        // An answer counts at once (a draining replica says 503, and must stop getting traffic);
        // no answer in time (a loaded machine) counts only after FAILURE_THRESHOLD probes in a
        // row, as a Kubernetes readiness probe's failureThreshold does: one slow probe of every
        // replica at once must not leave the service with none.
        const status = await fetch(b.readyUrl, { signal: AbortSignal.timeout(1_000) }).then((r) => r.status, () => undefined);
        const missed = status === undefined ? (this.missed.get(b) ?? 0) + 1 : 0;
        this.missed.set(b, missed);
        if (status === 200) this.ready.add(b);
        else if (status !== undefined || missed >= FAILURE_THRESHOLD) this.ready.delete(b);
      }),
    );
  }
}
