import { violationsOf } from '@weaver/config';
import { agentPoolSpecSchema, type AgentPool, type AgentPoolSpec } from './agent-pool.schema';
import { InvalidPoolSpecError } from './operator.errors';

/** The pool's spec, validated by the same schema the CRD was made from (defaults applied). */
export function poolSpecOf(pool: AgentPool): AgentPoolSpec {
  const parsed = agentPoolSpecSchema.safeParse(pool.spec);
  if (!parsed.success) throw new InvalidPoolSpecError(`${pool.metadata.namespace}/${pool.metadata.name}`, violationsOf(parsed.error, 'spec.'));
  return parsed.data;
}
