import { ReadinessBalancer } from './readiness-balancer';
import type { ServiceProcess, ServiceSpec } from './service-process';

/** The services other services (or clients) call, and so sit behind a balancer when replicated. */
export const CALLED_SERVICES = ['tenancy', 'registry', 'publisher', 'router', 'gateway'] as const;
export type CalledService = (typeof CALLED_SERVICES)[number];

/**
 * Where the replicated form puts things, as offsets from basePort: gRPC balancers +120..125 and
 * the gateway's REST ingress +20; second replicas +30..35 (HTTP) / +130..135 (gRPC). The
 * runner's replicas use runnerReplicas (+10+k).
 */
export const BALANCER_OFFSET = { rest: 20, grpc: 120 } as const;
export const REPLICA_OFFSET = { http: 30, grpc: 130 } as const;

/** The second replica of a service: the first's spec on its own ports, named `<svc>-2`. */
export function secondReplicaSpec(first: ServiceSpec, basePort: number, portOffset: number): ServiceSpec {
  return {
    ...first,
    name: `${first.name}-2`,
    app: first.app ?? first.name,
    httpPort: basePort + REPLICA_OFFSET.http + portOffset,
    grpcPort: basePort + REPLICA_OFFSET.grpc + portOffset,
    env: { ...first.env, ...(first.env['INSTANCE_ID'] ? { INSTANCE_ID: `${first.env['INSTANCE_ID']}-2` } : {}) },
  };
}

const backendOf = (p: ServiceProcess, port: number) => ({ host: '127.0.0.1', port, readyUrl: `${p.httpUrl}/health/ready` });

/** A tcp balancer over the replicas' gRPC ports (a Kubernetes Service), and for the gateway an http one over REST. */
export function balancersFor(name: CalledService, replicas: ServiceProcess[], basePort: number, portOffset: number): ReadinessBalancer[] {
  const grpc = new ReadinessBalancer({ mode: 'tcp', port: basePort + BALANCER_OFFSET.grpc + portOffset, backends: replicas.map((r) => backendOf(r, r.spec.grpcPort)) });
  if (name !== 'gateway') return [grpc];
  return [grpc, new ReadinessBalancer({ mode: 'http', port: basePort + BALANCER_OFFSET.rest, backends: replicas.map((r) => backendOf(r, r.spec.httpPort)) })];
}

/**
 * Restarts one process the way a rolling update does: SIGTERM (graceful: readiness drops, the
 * drain window, in-flight work finished or handed back), start again, ready, routed again by
 * every balancer in front of it. Returns the exit code of the stopped process.
 */
export async function restartReplica(p: ServiceProcess, balancers: ReadinessBalancer[]): Promise<number | null> {
  const code = await p.stop();
  p.start();
  await p.waitReady();
  const readyUrl = `${p.httpUrl}/health/ready`;
  for (const b of balancers.filter((x) => x.fronts(readyUrl))) await b.waitRouted(readyUrl);
  return code;
}
