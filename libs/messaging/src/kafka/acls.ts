import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type AclEntry } from 'kafkajs';
import type { AclOperation, AclRule } from '../acl-plan';
import { kafkaClient, type KafkaConnection } from './connection';

const OPERATIONS: Record<AclOperation, AclOperationTypes> = {
  read: AclOperationTypes.READ,
  write: AclOperationTypes.WRITE,
  create: AclOperationTypes.CREATE,
  describe: AclOperationTypes.DESCRIBE,
  'idempotent-write': AclOperationTypes.IDEMPOTENT_WRITE,
};
const RESOURCES: Record<AclRule['resource'], AclResourceTypes> = {
  topic: AclResourceTypes.TOPIC,
  group: AclResourceTypes.GROUP,
  'transactional-id': AclResourceTypes.TRANSACTIONAL_ID,
  cluster: AclResourceTypes.CLUSTER,
};

/** Writes allow-ACLs (idempotent: the broker keeps one copy of each); needs a principal allowed to alter ACLs. */
export async function applyAcls(connection: KafkaConnection, rules: readonly AclRule[]): Promise<void> {
  const acl: AclEntry[] = rules.flatMap((r) =>
    r.operations.map((op) => ({
      resourceType: RESOURCES[r.resource],
      resourceName: r.name,
      resourcePatternType: r.pattern === 'literal' ? ResourcePatternTypes.LITERAL : ResourcePatternTypes.PREFIXED,
      principal: r.principal,
      host: '*',
      operation: OPERATIONS[op],
      permissionType: AclPermissionTypes.ALLOW,
    })),
  );
  const admin = kafkaClient(connection).admin();
  await admin.connect();
  try {
    await admin.createAcls({ acl });
  } finally {
    await admin.disconnect();
  }
}
