import { listAgents } from '@weaver/api-schema';
import { agentSummaryOf, healthName } from './gateway-api';

describe('agents as the CLI shows them', () => {
  it('flattens the registry view (definition + instances) the gateway answers', () => {
    const answer = listAgents.response.schema.parse({
      agents: [
        {
          definition: { name: 'writer', version: '1.2.0', capabilities: ['write'], requires: ['content.researched'], publishes: ['content.drafted'], inputSchemaJson: '{}', outputSchemaJson: '', maxConcurrency: 4, timeoutMs: 0, description: 'writes' },
          instances: [
            { instanceId: 'i1', agent: 'writer', host: 'h', pid: 1, health: 'INSTANCE_HEALTH_HEALTHY', inFlight: 2, assignedPartitions: [], registeredAtMs: 1, lastHeartbeatAtMs: 2, agentVersion: '1.2.0', drainRequested: false, takenOver: [], healthChangedAtMs: 1 },
            { instanceId: 'i2', agent: 'writer', host: 'h', pid: 2, health: 'INSTANCE_HEALTH_DRAINING', inFlight: 0, assignedPartitions: [], registeredAtMs: 1, lastHeartbeatAtMs: 2, agentVersion: '1.2.0', drainRequested: true, takenOver: [], healthChangedAtMs: 1 },
          ],
          healthyInstances: 1,
        },
      ],
    });
    expect(answer.agents.map(agentSummaryOf)).toEqual([
      {
        name: 'writer', version: '1.2.0', description: 'writes', capabilities: ['write'], requires: ['content.researched'], publishes: ['content.drafted'],
        instances: [
          { instanceId: 'i1', health: 'healthy', host: 'h', inFlight: 2 },
          { instanceId: 'i2', health: 'draining', host: 'h', inFlight: 0 },
        ],
        healthyInstances: 1,
      },
    ]);
  });

  it('maps the registry health names to one word', () => {
    expect(['INSTANCE_HEALTH_HEALTHY', 'INSTANCE_HEALTH_DEAD', 'INSTANCE_HEALTH_UNHEALTHY'].map(healthName)).toEqual(['healthy', 'dead', 'unhealthy']);
  });
});
