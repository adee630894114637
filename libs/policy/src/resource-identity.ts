import { cedar } from './cedar';

/**
 * Whether a statement can tell two resources apart by id: its resource scope names an entity
 * (`resource == …`, `resource in …`), or its conditions hold an entity literal or read
 * `.name` (the id as an attribute). The baseline never does; while none of a tenant's
 * statements does either, the decision cache leaves the resource id out of its key, so the
 * first read of each new run is a hit too. Conservative: a statement that does not convert is
 * taken as id-sensitive.
 */
export function readsResourceIdentity(statement: string): boolean {
  const answer = cedar.policyToJson(statement);
  if (answer.type === 'failure') return true;
  const { resource, conditions } = answer.json;
  if (resource.op === '==' || resource.op === 'in' || (resource.op === 'is' && resource.in !== undefined)) return true;
  const body = JSON.stringify(conditions);
  return body.includes('"__entity"') || body.includes('"attr":"name"');
}
