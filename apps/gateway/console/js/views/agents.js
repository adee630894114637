// Agents and their health (GET /v1/agents: the registry's definitions with their instances).

import { api, credentials } from '../api.js';
import { badge, errorNotice, fmt, h, notice, table } from '../dom.js';

/** 'INSTANCE_HEALTH_HEALTHY' → 'healthy'. */
const health = (value) => String(value ?? 'unknown').replace(/^INSTANCE_HEALTH_/, '').toLowerCase();

function agentHealth(agent) {
  const total = agent.instances?.length ?? 0;
  if (total === 0) return 'none';
  return agent.healthyInstances === total ? 'healthy' : agent.healthyInstances > 0 ? 'degraded' : 'unhealthy';
}

function instancesOf(agent) {
  return h(
    'ul',
    { class: 'instances' },
    (agent.instances ?? []).map((i) =>
      h('li', { 'data-instance': i.instanceId, 'data-health': health(i.health) }, badge(health(i.health)), ` ${i.host}:${i.pid} · ${i.inFlight} in flight · ${i.assignedPartitions?.length ?? 0} partitions · heartbeat ${fmt.time(i.lastHeartbeatAtMs ? new Date(Number(i.lastHeartbeatAtMs)).toISOString() : '')}`),
    ),
  );
}

export async function agentsView(root) {
  root.append(h('h1', {}, 'Agents'));
  if (!credentials().apiKey) {
    root.append(notice('info', "The agents list is read with a tenant's API key: sign in with one."));
    return;
  }
  try {
    const { agents } = await api('/v1/agents');
    if (!agents.length) {
      root.append(notice('info', 'No agent is registered.'));
      return;
    }
    root.append(
      table(
        [
          { title: 'Agent', key: 'name', cell: (a) => a.definition.name },
          { title: 'Version', key: 'version', cell: (a) => a.definition.version },
          { title: 'Consumes', key: 'requires', cell: (a) => (a.definition.requires ?? []).join(', ') },
          { title: 'Publishes', key: 'publishes', cell: (a) => (a.definition.publishes ?? []).join(', ') },
          { title: 'Health', key: 'health', cell: (a) => h('span', {}, badge(agentHealth(a)), ` ${a.healthyInstances}/${a.instances?.length ?? 0} healthy`) },
          { title: 'Instances', key: 'instances', cell: instancesOf },
        ],
        agents,
        { attrs: { id: 'agents', class: 'grid' }, rowAttrs: (a) => ({ 'data-agent': a.definition.name, 'data-health': agentHealth(a), 'data-healthy': a.healthyInstances, 'data-instances': a.instances?.length ?? 0 }) },
      ),
    );
  } catch (err) {
    root.append(errorNotice(err, 'The agents list'));
  }
}
