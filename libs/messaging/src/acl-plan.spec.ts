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

  it('with regions, lets tenancy write its own directory and checkpoint topics and read only its peers\' mirrored copies', () => {
    const rules = weaverAcls(names, { gateway: 'gateway', agentRunner: 'agent-runner', tenancy: 'tenancy', tenancyRegionPeers: ['eu-west'] }).filter((r) => r.principal === 'User:tenancy').slice(3);
    expect(rules).toEqual([
      { principal: 'User:tenancy', resource: 'topic', pattern: 'literal', name: 'prod.weaver.directory.v1', operations: ['write', 'create', 'describe'] },
      { principal: 'User:tenancy', resource: 'topic', pattern: 'literal', name: 'prod.weaver.audit-checkpoints.v1', operations: ['write', 'create', 'describe'] },
      { principal: 'User:tenancy', resource: 'topic', pattern: 'literal', name: 'eu-west.prod.weaver.directory.v1', operations: ['read', 'create', 'describe'] },
      { principal: 'User:tenancy', resource: 'topic', pattern: 'literal', name: 'eu-west.prod.weaver.audit-checkpoints.v1', operations: ['read', 'create', 'describe'] },
      { principal: 'User:tenancy', resource: 'group', pattern: 'literal', name: 'prod.weaver.directory-replica', operations: ['read', 'describe'] },
      { principal: 'User:tenancy', resource: 'group', pattern: 'literal', name: 'prod.weaver.audit-checkpoint-replica', operations: ['read', 'describe'] },
    ]);
  });

  it('has no tenancy rules when tenancy has no Kafka principal', () => {
    expect(weaverAcls(names, { gateway: 'gateway', agentRunner: 'agent-runner' }).some((r) => r.principal === 'User:tenancy')).toBe(false);
  });
});
