import type { AgentSummary } from '../gateway/gateway-api';
import type { Style } from './style';
import { formatTable } from './table';

/** `weaver agents`: one line per agent; INSTANCES counts healthy of all, HEALTH lists the rest. */
export function formatAgentsTable(agents: AgentSummary[], style: Style): string {
  if (!agents.length) return 'no agents registered: is `weaver dev` running, and does your workflows module export them?\n';
  return formatTable(
    ['NAME', 'VERSION', 'CAPABILITIES', 'CONSUMES', 'INSTANCES', 'HEALTH'],
    agents.map((a) => [a.name, a.version || '-', a.capabilities.join(',') || '-', a.requires.join(',') || '-', instancesCell(a, style), healthCell(a, style)]),
  );
}

function instancesCell(a: AgentSummary, style: Style): string {
  const text = `${a.healthyInstances}/${a.instances.length} healthy`;
  if (!a.instances.length || a.healthyInstances === 0) return style.red(text);
  return a.healthyInstances === a.instances.length ? style.green(text) : style.yellow(text);
}

/** "healthy", or counts per state when instances differ: "1 healthy, 1 draining". */
function healthCell(a: AgentSummary, style: Style): string {
  if (!a.instances.length) return style.red('no instances');
  const counts = new Map<string, number>();
  for (const i of a.instances) counts.set(i.health, (counts.get(i.health) ?? 0) + 1);
  if (counts.size === 1) return style.status([...counts.keys()].join(''));
  return [...counts].map(([health, n]) => `${n} ${style.status(health)}`).join(', ');
}
