import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { generateCapabilityKey } from '@weaver/publisher-core';
import { agentGroup, WorkflowCatalogue } from '@weaver/agent-runtime';
import { loadConfig } from '@weaver/config';
import { TopicNames } from '@weaver/messaging';
import { tracingConfigSchema } from '@weaver/observability';
import { GRPC_ACCESS_RULES } from '@weaver/service-kit';
import { loadWorkflows } from '../../../apps/agent-runner/src/workflow-loader';
import { operatorConfigSchema } from '../../../apps/operator/src/operator.config';
import { CHART_DIR, helmLint, helmTemplate, kubeconform, manifestsOf, type Manifest } from '../src/chart';
import { renderedEnv, SERVICE_SCHEMAS } from './service-env';

const VALUES_FILES = ['values.yaml', 'values-small.yaml', 'values-large.yaml', 'values-isolated-tenant.yaml'] as const;
const byKind = (ms: Manifest[], kind: string) => ms.filter((m) => m.kind === kind);
type ScaledObject = Manifest & { spec: { minReplicaCount: number; maxReplicaCount: number; scaleTargetRef: { name: string }; triggers: Array<{ type: string; metadata: Record<string, string> }> } };

describe('the Helm chart (deploy/helm/weaver), rendered and validated offline', () => {
  describe.each(VALUES_FILES)('%s', (file) => {
    const files = file === 'values.yaml' ? [] : [file];
    const rendered = helmTemplate(files);
    const manifests = manifestsOf(rendered.yaml);

    it('passes helm lint --strict and renders', () => {
      const lint = helmLint(files);
      expect(lint.output).toContain('0 chart(s) failed');
      expect(lint.ok).toBe(true);
      expect(rendered.error).toBeUndefined();
      expect(manifests.length).toBeGreaterThan(0);
    });

    it('every manifest is valid against the Kubernetes / CRD schemas in strict mode', () => {
      const results = kubeconform(rendered.yaml);
      expect(results.filter((r) => r.status !== 'statusValid')).toEqual([]);
      expect(results).toHaveLength(manifests.length);
    });

    it('every container runs non-root with a read-only root filesystem, no capabilities, RuntimeDefault seccomp', () => {
      const pods = [...byKind(manifests, 'Deployment'), ...byKind(manifests, 'Job')].map((m) => ({ name: m.metadata.name, spec: (m.spec as { template: { spec: PodSpec } }).template.spec }));
      expect(pods.length).toBeGreaterThan(0);
      for (const { name, spec } of pods) {
        expect({ name, ...spec.securityContext }).toMatchObject({ name, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
        for (const c of spec.containers) expect({ name, ...c.securityContext }).toMatchObject({ name, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      }
    });

    it("each service's rendered environment passes that service's own config validation", () => {
      for (const d of byKind(manifests, 'Deployment').filter((m) => m.metadata.name !== 'weaver-operator')) {
        const service = (d.metadata['labels'] as Record<string, string>)['app.kubernetes.io/component'] as keyof typeof SERVICE_SCHEMAS;
        expect(() => loadConfig(SERVICE_SCHEMAS[service], renderedEnv(d, secrets))).not.toThrow();
      }
    });
  });

  it("the operator's rendered environment passes its config validation and names the installation's Kafka", () => {
    const ms = manifestsOf(helmTemplate([], ['operator.enabled=true', 'kafka.namespace=prod']).yaml);
    const operator = byKind(ms, 'Deployment').find((m) => m.metadata.name === 'weaver-operator');
    expect(operator).toBeDefined();
    const config = loadConfig(operatorConfigSchema, renderedEnv(operator!, secrets));
    expect(config).toMatchObject({ KAFKA_NAMESPACE: 'prod', BIND_HOST: '0.0.0.0' });
  });

  it('exports traces when a collector is configured, and drains before the pod may be killed', () => {
    const ms = manifestsOf(helmTemplate([], ['tracing.otlpEndpoint=http://otel-collector:4318']).yaml);
    const deployments = byKind(ms, 'Deployment').filter((m) => m.metadata.name !== 'weaver-operator');
    expect(deployments.length).toBeGreaterThanOrEqual(6);
    for (const d of deployments) {
      const env = renderedEnv(d, secrets);
      expect({ name: d.metadata.name, endpoint: loadConfig(tracingConfigSchema, env).OTEL_EXPORTER_OTLP_ENDPOINT }).toEqual({ name: d.metadata.name, endpoint: 'http://otel-collector:4318' });
      expect(Number(env['SHUTDOWN_DRAIN_MS'])).toBeGreaterThan(0);
    }
    expect(helmTemplate([], ['terminationGracePeriodSeconds=20']).error).toContain('terminationGracePeriodSeconds 20 must exceed');
  });

  it('ships the promtool-checked alert rules as a PrometheusRule and every dashboard as a ConfigMap', () => {
    const observability = `${CHART_DIR}/files/observability`;
    const ms = manifestsOf(helmTemplate(['values-large.yaml']).yaml);
    const [rule] = byKind(ms, 'PrometheusRule');
    expect(rule?.spec).toEqual(parse(readFileSync(`${observability}/alerts.yaml`, 'utf8')));
    const dashboards = byKind(ms, 'ConfigMap').filter((m) => m.metadata.name.startsWith('weaver-dashboard-'));
    expect(dashboards.map((m) => Object.keys(m['data'] as Record<string, string>)[0]).sort()).toEqual(readdirSync(`${observability}/dashboards`).sort());
    for (const d of dashboards) expect(JSON.parse(Object.values(d['data'] as Record<string, string>)[0]!)).toHaveProperty('panels');
  });

  it('allows exactly the gRPC calls the services are configured to make, each permitted by GRPC_ACCESS_RULES', () => {
    const ms = manifestsOf(helmTemplate([]).yaml);
    const policies = new Map(byKind(ms, 'NetworkPolicy').map((p) => [p.metadata.name, p.spec as NetworkPolicySpec]));
    const callersIn = (service: string): string[] => {
      const grpc = (policies.get(`weaver-${service}`)?.ingress ?? []).filter((r) => r.ports.some((p) => p.port === 'grpc'));
      return grpc.flatMap((r) => r.from ?? []).flatMap((f) => (f.podSelector?.matchLabels?.['app.kubernetes.io/component'] ? [f.podSelector.matchLabels['app.kubernetes.io/component']] : []));
    };
    const configured = (service: string): string[] =>
      byKind(ms, 'Deployment')
        .filter((d) => Object.values(renderedEnv(d, secrets)).some((v) => v === `weaver-${service}:${PORTS[service]}`))
        .map((d) => (d.metadata['labels'] as Record<string, string>)['app.kubernetes.io/component'] ?? '');
    const permitted = (service: string): Set<string> => {
      const rules = Object.entries(GRPC_ACCESS_RULES).filter(([name]) => PROTO_OF[service]?.some((p) => name.startsWith(`weaver.${p}.`)));
      return new Set(rules.flatMap(([, methods]) => Object.values(methods).flatMap((r) => (r.callers === 'public' ? [] : r.callers))));
    };
    for (const service of ['registry', 'router', 'publisher', 'tenancy']) {
      expect({ service, callers: callersIn(service).sort() }).toEqual({ service, callers: [...new Set(configured(service))].sort() });
      for (const caller of callersIn(service)) expect({ service, caller, permitted: permitted(service).has(caller) }).toEqual({ service, caller, permitted: true });
    }
  });

  it("opens the router's OpenAI-compatible API to its ingress peers only, and turns it off", () => {
    const routerOf = (set: string[]) => {
      const ms = manifestsOf(helmTemplate([], set).yaml);
      const policy = byKind(ms, 'NetworkPolicy').find((p) => p.metadata.name === 'weaver-router')!.spec as NetworkPolicySpec;
      const env = renderedEnv(byKind(ms, 'Deployment').find((d) => d.metadata.name === 'weaver-router')!, secrets);
      return { http: (policy.ingress ?? []).filter((r) => r.ports.some((p) => p.port === 'http')).map((r) => r.from), api: env['ROUTER_OPENAI_API'] };
    };
    const clients = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } } };
    expect(routerOf([])).toEqual({ http: [expect.anything()], api: 'on' }); // the metrics scrapers only
    expect(routerOf(['router.openaiApi.ingressPeers[0].namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name=apps'])).toEqual({ http: [expect.anything(), [clients]], api: 'on' });
    expect(routerOf(['router.openaiApi.enabled=false', 'router.openaiApi.ingressPeers[0].namespaceSelector.matchLabels.x=y'])).toEqual({ http: [expect.anything()], api: 'off' });
  });

  it("scales each listed agent on its own group's lag, with the runner's exact group and topic names", () => {
    const set = ['keda.enabled=true', 'kafka.namespace=prod', 'agents[0].type=writer', 'agents[0].consumes[0]=content.researched', 'agents[0].maxReplicas=6'];
    const ms = manifestsOf(helmTemplate([], set).yaml);
    const names = new TopicNames('prod');
    const [so] = byKind(ms, 'ScaledObject') as ScaledObject[];
    expect(so?.spec).toMatchObject({ minReplicaCount: 0, maxReplicaCount: 6, scaleTargetRef: { name: 'weaver-agent-writer' } });
    expect(so?.spec.triggers).toEqual([
      expect.objectContaining({ type: 'kafka', metadata: expect.objectContaining({ consumerGroup: agentGroup(names, 'writer'), topic: names.event('content.researched'), limitToPartitionsWithLag: 'true' }) }),
    ]);
    const env = (name: string) => renderedEnv(byKind(ms, 'Deployment').find((d) => d.metadata.name === name)!, secrets);
    expect(env('weaver-agent-writer')).toMatchObject({ WEAVER_AGENTS: 'writer', WEAVER_DISPATCH: 'false', KAFKA_NAMESPACE: 'prod' });
    expect(env('weaver-agent-runner')).toMatchObject({ WEAVER_AGENTS: '!writer', WEAVER_DISPATCH: 'true' });
    // An isolated tenant's names: its own prefix under the namespace (TopicNames.forTenant).
    const tenant = '00000000-0000-4000-8000-000000000000';
    const isolated = manifestsOf(helmTemplate(['values-isolated-tenant.yaml'], [...set, `agentRunner.isolatedTenant=${tenant}`]).yaml);
    const [iso] = byKind(isolated, 'ScaledObject') as ScaledObject[];
    expect(iso?.spec.triggers[0]?.metadata['consumerGroup']).toBe(agentGroup(names.forTenant(tenant, 'isolated'), 'writer'));
  });

  it("values-large.yaml's agents consume exactly what the example workflows' agents require", () => {
    const catalogue = new WorkflowCatalogue(loadWorkflows(['examples/index.ts'], `${CHART_DIR}/../../..`));
    const so = byKind(manifestsOf(helmTemplate(['values-large.yaml']).yaml), 'ScaledObject') as ScaledObject[];
    expect(so.length).toBeGreaterThan(0);
    for (const s of so) {
      const type = s.metadata.name.replace('weaver-agent-', '');
      const def = catalogue.agents.find((a) => a.name === type);
      expect(s.spec.triggers.map((t) => t.metadata['topic']).sort()).toEqual((def?.requires ?? []).map((r) => new TopicNames('prod').event(r)).sort());
    }
  });

  it('refuses more replicas than the consumed partitions, and an agent without consumed events', () => {
    const base = ['keda.enabled=true', 'agents[0].type=writer'];
    expect(helmTemplate([], [...base, 'agents[0].consumes[0]=content.researched', 'agents[0].partitions=4', 'agents[0].maxReplicas=5']).error).toContain('maxReplicas 5 exceeds its partitions (4 × 1 topics)');
    expect(helmTemplate([], base).error).toContain('agents[writer].consumes');
  });
});

interface PodSpec {
  securityContext?: Record<string, unknown>;
  containers: Array<{ securityContext?: Record<string, unknown> }>;
}
interface NetworkPolicySpec {
  ingress?: Array<{ from?: Array<{ podSelector?: { matchLabels?: Record<string, string> } }>; ports: Array<{ port: string | number }> }>;
}
const PORTS: Record<string, number> = { registry: 50051, router: 50052, publisher: 50054, tenancy: 50055 };
/** The proto packages each service serves (tenancy also serves audit and policy). */
const PROTO_OF: Record<string, string[]> = { registry: ['registry'], router: ['router'], publisher: ['publisher'], tenancy: ['tenancy', 'audit', 'policy'] };

/** Stand-ins for the Secrets' values, valid in form (the real ones are the operator's). */
const cap = generateCapabilityKey('cap-test');
const secrets: Record<string, string> = {
  'signing-key': JSON.stringify(cap.signing),
  'verify-keys': JSON.stringify({ keys: [cap.public] }),
  token: 'an-admin-token-of-32-characters!',
  password: 'kafka-password',
  url: 'rediss://redis:6379',
  'access-key-id': 'AKIA0000',
  'secret-access-key': 'secret',
};
