import { weaverAcls } from './acl-plan';
import { TopicNames } from './topics';

describe('weaverAcls', () => {
  const names = new TopicNames('prod');

  it("gives tenancy exactly the audit chainer's rights: the audit topic, its group, idempotent writes", () => {
    const tenancy = weaverAcls(names, { gateway: 'gateway', agentRunner: 'agent-runner', tenancy: 'tenancy' }).filter((r) => r.principal === 'User:tenancy');
    expect(tenancy).toEqual([
      { principal: 'User:tenancy', resource: 'topic', pattern: 'literal', name: 'prod.weaver.audit.v1', operations: ['read', 'write', 'describe'] },
      { principal: 'User:tenancy', resource: 'group', pattern: 'literal', name: 'prod.weaver.audit-chainer', operations: ['read', 'describe'] },
      { principal: 'User:tenancy', resource: 'cluster', pattern: 'literal', name: 'kafka-cluster', operations: ['idempotent-write'] },
    ]);
  });

  it('has no tenancy rules when tenancy has no Kafka principal', () => {
    expect(weaverAcls(names, { gateway: 'gateway', agentRunner: 'agent-runner' }).some((r) => r.principal === 'User:tenancy')).toBe(false);
  });
});
