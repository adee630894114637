import { AUDIT_CHAINER_GROUP, AUDIT_CHECKPOINT_REPLICA_GROUP, DIRECTORY_REPLICA_GROUP, type TopicNames } from './topics';

/**
 * Which Kafka principal may do what, as data: `weaverAcls` is the least-privilege plan for an
 * installation (docs/security.md, Kafka security), `applyAcls` writes it with an admin
 * connection. Nothing is allowed unless a rule says so (the broker runs with
 * `allow.everyone.if.no.acl.found=false`).
 */
export type AclOperation = 'read' | 'write' | 'create' | 'describe' | 'idempotent-write';
export interface AclRule {
  /** e.g. "User:gateway" (SCRAM user, OAuth `sub`, or a certificate's distinguished name). */
  readonly principal: string;
  readonly resource: 'topic' | 'group' | 'transactional-id' | 'cluster';
  /** literal: exactly this name; prefixed: every name starting with it. */
  readonly pattern: 'literal' | 'prefixed';
  readonly name: string;
  readonly operations: readonly AclOperation[];
}

export interface WeaverPrincipals {
  readonly gateway: string;
  readonly agentRunner: string;
  /** Tenancy, where the audit chainer runs (AUDIT_ENABLED); absent: no tenancy rules. */
  readonly tenancy?: string;
  /**
   * With regions (docs/regions.md; tenancy's WEAVER_REGION set): the peer regions whose mirrored
   * directory and audit checkpoint topics (`<peer>.<name>`) tenancy creates and reads; tenancy
   * also writes its own two. Absent: no region rules.
   */
  readonly tenancyRegionPeers?: readonly string[];
  /** The router, which writes its policy decisions to the audit topic (AUDIT_RECORDER=kafka); absent: no router rules. */
  readonly router?: string;
  /** A tenant's own principal and the `kafka:` trigger topics it may write (nothing else). */
  readonly tenants?: ReadonlyArray<{ readonly principal: string; readonly topics: readonly string[] }>;
  /** Every workflow's `kafka:` trigger topics (the runner reads them). */
  readonly triggerTopics?: readonly string[];
}

const user = (name: string): string => (name.includes(':') ? name : `User:${name}`);

export function weaverAcls(names: TopicNames, p: WeaverPrincipals): AclRule[] {
  const own = names.group('weaver.'); // every topic and group of this installation starts so
  const dlqs = `weaver.dlq.${own}`; // dead-letter topics are named after their (namespaced) group
  const gateway = user(p.gateway);
  const runner = user(p.agentRunner);
  const rule = (principal: string, resource: AclRule['resource'], pattern: AclRule['pattern'], name: string, operations: AclOperation[]): AclRule => ({ principal, resource, pattern, name, operations });
  return [
    // The gateway authenticated the API key, so its triggers are trusted: it alone (with the runner) writes the triggers topic.
    rule(gateway, 'topic', 'literal', names.triggers, ['write', 'describe']),
    rule(gateway, 'topic', 'literal', names.runs, ['read', 'describe']), // live run streams
    // DLQ replay (admin route): read dead letters, re-drive them to their source topics in a transaction.
    rule(gateway, 'topic', 'prefixed', dlqs, ['read', 'describe']),
    rule(gateway, 'topic', 'prefixed', own, ['write', 'describe']),
    rule(gateway, 'group', 'prefixed', 'weaver.', ['read', 'describe']), // tails and readers: weaver.tail.<uuid>, weaver.reader.<uuid>
    rule(gateway, 'group', 'prefixed', own, ['read', 'describe']),
    rule(gateway, 'transactional-id', 'prefixed', 'weaver-replay', ['write', 'describe']),
    // The runner hosts the dispatcher, the agents, the schedules and the kafka: triggers: its own topics, groups and transactions.
    rule(runner, 'topic', 'prefixed', own, ['read', 'write', 'create', 'describe']),
    rule(runner, 'topic', 'prefixed', dlqs, ['read', 'write', 'create', 'describe']),
    ...(p.triggerTopics ?? []).map((t) => rule(runner, 'topic', 'literal', t, ['read', 'create', 'describe'])),
    rule(runner, 'group', 'prefixed', own, ['read', 'describe']),
    rule(runner, 'group', 'prefixed', 'weaver.', ['read', 'describe']),
    rule(runner, 'transactional-id', 'prefixed', 'weaver.', ['write', 'describe']),
    rule(runner, 'cluster', 'literal', 'kafka-cluster', ['idempotent-write']),
    // Tenancy's audit chainer reads the audit topic in its group; its AuditService writes the admin reads it records.
    ...(p.tenancy
      ? [
          rule(user(p.tenancy), 'topic', 'literal', names.audit, ['read', 'write', 'describe']),
          rule(user(p.tenancy), 'group', 'literal', names.group(AUDIT_CHAINER_GROUP), ['read', 'describe']),
          rule(user(p.tenancy), 'cluster', 'literal', 'kafka-cluster', ['idempotent-write']),
          ...(p.tenancyRegionPeers ? regionRules(names, user(p.tenancy), p.tenancyRegionPeers, rule) : []),
        ]
      : []),
    // The router's only Kafka traffic: its policy decisions' audit events.
    ...(p.router
      ? [rule(user(p.router), 'topic', 'literal', names.audit, ['write', 'describe']), rule(user(p.router), 'cluster', 'literal', 'kafka-cluster', ['idempotent-write'])]
      : []),
    // A tenant may only write its own trigger topics; every record there is also signature-checked.
    ...(p.tenants ?? []).flatMap((t) => t.topics.map((topic) => rule(user(t.principal), 'topic', 'literal', topic, ['write', 'describe']))),
  ];
}

/** Tenancy's rights with regions: write its own cross-region topics, read the peers' mirrored copies, in the two replica groups. */
function regionRules(names: TopicNames, tenancy: string, peers: readonly string[], rule: (principal: string, resource: AclRule['resource'], pattern: AclRule['pattern'], name: string, operations: AclOperation[]) => AclRule): AclRule[] {
  const own = [names.directory, names.auditCheckpoints];
  return [
    ...own.map((t) => rule(tenancy, 'topic', 'literal', t, ['write', 'create', 'describe'])),
    ...peers.flatMap((peer) => own.map((t) => rule(tenancy, 'topic', 'literal', `${peer}.${t}`, ['read', 'create', 'describe']))),
    ...[DIRECTORY_REPLICA_GROUP, AUDIT_CHECKPOINT_REPLICA_GROUP].map((g) => rule(tenancy, 'group', 'literal', names.group(g), ['read', 'describe'])),
  ];
}
