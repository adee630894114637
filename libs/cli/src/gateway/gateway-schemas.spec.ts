import { healthName, listAgentsAnswer, runSchema } from './gateway-schemas';

describe('gateway answer schemas', () => {
  it('reads agents in the registry shape (definition + instances) and flattened', () => {
    const nested = {
      definition: { name: 'writer', version: '1.2.0', capabilities: ['write'], requires: ['content.researched'], publishes: ['content.drafted'], inputSchemaJson: '{}' },
      instances: [
        { instanceId: 'i1', health: 'INSTANCE_HEALTH_HEALTHY', host: 'h', inFlight: 2 },
        { instanceId: 'i2', health: 3, host: 'h', inFlight: 0 },
      ],
      healthyInstances: 1,
    };
    const flat = { name: 'reviewer', capabilities: [{ kind: 'capability', name: 'review' }], instances: [{ instanceId: 'i3', health: 'healthy' }] };
    const { agents } = listAgentsAnswer.parse({ agents: [nested, flat] });
    expect(agents[0]).toEqual({
      name: 'writer', version: '1.2.0', description: '', capabilities: ['write'], requires: ['content.researched'], publishes: ['content.drafted'],
      instances: [
        { instanceId: 'i1', health: 'healthy', host: 'h', inFlight: 2 },
        { instanceId: 'i2', health: 'draining', host: 'h', inFlight: 0 },
      ],
      healthyInstances: 1,
    });
    expect(agents[1]).toMatchObject({ name: 'reviewer', version: '', capabilities: ['review'], healthyInstances: 1 });
  });

  it('maps every health spelling to one word', () => {
    expect([healthName(1), healthName(4), healthName('INSTANCE_HEALTH_UNHEALTHY'), healthName('healthy'), healthName(9)]).toEqual(['healthy', 'dead', 'unhealthy', 'healthy', '9']);
  });

  it('rejects a run with an unknown status, naming the field', () => {
    const parsed = runSchema.safeParse({ runId: 'r', workflow: 'w', status: 'exploded', createdAt: '', updatedAt: '' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['status']);
  });
});
