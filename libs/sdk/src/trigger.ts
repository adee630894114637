/** How a workflow's runs start, besides an explicit `workflow.run(input)`. */
export type Trigger =
  | { kind: 'schedule'; cron: string; input?: unknown }
  | { kind: 'http'; path?: string }
  | { kind: 'grpc' }
  | { kind: 'kafka'; topic: string };

const ALIASES: Record<string, string> = {
  hourly: '0 * * * *',
  daily: '0 0 * * *',
  weekly: '0 0 * * 0',
  monthly: '0 0 1 * *',
  quarterly: '0 0 1 1,4,7,10 *',
  yearly: '0 0 1 1 *',
};

/**
 * Parses the string form users write: `"schedule:quarterly"`, `"schedule:*\/5 * * * *"`,
 * `"http"`, `"grpc"`, `"kafka:my.topic"`.
 */
export function parseTrigger(spec: string | Trigger): Trigger {
  if (typeof spec !== 'string') return spec;
  const [kind, ...rest] = spec.split(':');
  const arg = rest.join(':').trim();
  switch (kind) {
    case 'schedule': {
      const cron = ALIASES[arg] ?? arg;
      if (cron.split(/\s+/).length !== 5) throw new Error(`trigger "${spec}": schedule needs a 5-field cron expression or one of ${Object.keys(ALIASES).join(', ')}`);
      return { kind: 'schedule', cron };
    }
    case 'http':
      return { kind: 'http', path: arg || undefined };
    case 'grpc':
      return { kind: 'grpc' };
    case 'kafka':
      if (!arg) throw new Error(`trigger "${spec}": kafka needs a topic, e.g. "kafka:orders.created"`);
      return { kind: 'kafka', topic: arg };
    default:
      throw new Error(`trigger "${spec}": kind must be schedule, http, grpc or kafka`);
  }
}
