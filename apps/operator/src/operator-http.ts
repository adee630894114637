/** The operator's small HTTP endpoint: Prometheus /metrics, and liveness/readiness for its Deployment. */
import { createServer, type Server } from 'node:http';
import type { Metrics } from '@weaver/observability';

export function startOperatorHttp(metrics: Metrics, isReady: () => boolean, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/metrics') {
      void metrics.text().then(({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body));
    } else if (req.url === '/health/live') {
      res.writeHead(200).end('ok');
    } else if (req.url === '/health/ready') {
      res.writeHead(isReady() ? 200 : 503).end(isReady() ? 'ok' : 'not watching yet');
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
