import type { AgentPool } from './agent-pool.schema';
import { agentDeployment } from './agent-deployment';
import { agentScaledObject } from './agent-scaled-object';
import { poolSpecOf } from './pool-spec';

const pool = (spec: Record<string, unknown>): AgentPool => ({
  apiVersion: 'weaver.dev/v1alpha1',
  kind: 'AgentPool',
  metadata: { name: 'critic', namespace: 'weaver', uid: 'u-1', generation: 1 },
  spec,
});
const scaling = { bootstrapServers: ['b:9092'], kafkaNamespace: '', pollingIntervalSeconds: 15, cooldownPeriodSeconds: 300 };

describe('pool children', () => {
  it('a shared-tier pool without eventTypes: one topic-less trigger on weaver.agent.<type>, no WEAVER_ISOLATED_TENANT', () => {
    const p = pool({ agentType: 'critic', image: 'weaver:1', replicas: { max: 2 }, lagTarget: 10 });
    const spec = poolSpecOf(p);
    const so = agentScaledObject(p, spec, { ...scaling, triggerAuthentication: 'kafka-tls' });
    expect(so.spec['minReplicaCount']).toBe(0);
    expect(so.spec['triggers']).toEqual([
      { type: 'kafka', metadata: expect.objectContaining({ consumerGroup: 'weaver.agent.critic', lagThreshold: '10' }), authenticationRef: { name: 'kafka-tls' } },
    ]);
    expect((so.spec['triggers'] as { metadata: Record<string, string> }[])[0]!.metadata).not.toHaveProperty('topic');
    const names = JSON.stringify(agentDeployment(p, spec).spec);
    expect(names).toContain('"WEAVER_AGENTS","value":"critic"');
    expect(names).not.toContain('WEAVER_ISOLATED_TENANT');
  });

  it('the controller refuses what the CRD would, naming the field', () => {
    expect(() => poolSpecOf(pool({ agentType: 'critic', image: 'weaver:1', replicas: { min: 3, max: 2 }, lagTarget: 10 }))).toThrow(/spec.replicas.min: min must not exceed max/);
    expect(() => poolSpecOf(pool({ agentType: 'critic', image: 'weaver:1', replicas: { max: 2 }, lagTarget: 10, env: [{ name: 'DATABASE_URL', value: 'x' }] }))).toThrow(/spec.env.0.name/);
  });
});
