/**
 * MirrorMaker 2's dedicated-mode properties for Weaver's regions (docs/regions.md).
 *
 * Every region mirrors to every other (`a->b`, `b->a`), and only the topics named in
 * `topics` cross: an allowlist of exact names, never a pattern like `weaver\..*`, so a
 * run, step, trigger or audit-entry topic can never be mirrored by accident.
 *
 * Replication policy: MM2's default (`DefaultReplicationPolicy`), which names A's
 * `weaver.directory.v1` `a.weaver.directory.v1` in B. Chosen over IdentityReplicationPolicy
 * because both regions write the same topic names: with identity names, A→B and B→A would
 * copy each other's copies for ever (MM2 detects cycles only through the prefix), and a
 * consumer could not tell a local tenant's record from a replicated one. The prefix is the
 * record's region of origin.
 */
export interface MirrorRegion {
  /** The cluster alias; also the topic prefix in other regions (lowercase, no dots). */
  readonly alias: string;
  readonly bootstrapServers: string;
}

export interface MirrorConfigInput {
  readonly regions: readonly MirrorRegion[];
  /** Exact topic names to mirror from every region (e.g. `weaver.directory.v1`). */
  readonly topics: readonly string[];
  /** 1 for single-broker development clusters; 3 in production. */
  readonly replicationFactor?: number;
  /** How soon a newly created topic starts to be mirrored. */
  readonly refreshTopicsSeconds?: number;
}

const ALIAS = /^[a-z][a-z0-9-]{0,31}$/;
const TOPIC = /^[a-zA-Z0-9._-]+$/;

const escapeRegex = (name: string): string => name.replace(/[.]/g, '\\.');

export function renderMirrorProperties(input: MirrorConfigInput): string {
  const aliases = input.regions.map((r) => r.alias);
  for (const alias of aliases) if (!ALIAS.test(alias)) throw new Error(`region alias "${alias}" must match ${ALIAS.source}`);
  if (new Set(aliases).size !== aliases.length || aliases.length < 2) throw new Error('MirrorMaker needs at least two distinct regions');
  for (const topic of input.topics) if (!TOPIC.test(topic)) throw new Error(`topic "${topic}" must match ${TOPIC.source}`);
  if (input.topics.length === 0) throw new Error('MirrorMaker needs at least one topic to mirror');
  const rf = input.replicationFactor ?? 3;
  const lines: string[] = ['# Written by tools/kafka (renderMirrorProperties); edits are overwritten.', `clusters = ${aliases.join(', ')}`];
  for (const region of input.regions) lines.push(`${region.alias}.bootstrap.servers = ${region.bootstrapServers}`);
  for (const from of aliases) for (const to of aliases) if (from !== to) lines.push(`${from}->${to}.enabled = true`);
  lines.push(
    // Anchored exact names: `topics` is a list of regexes, and an unanchored one would also match `x.weaver.directory.v1`.
    `topics = ${input.topics.map((t) => `^${escapeRegex(t)}$`).join(', ')}`,
    'replication.policy.class = org.apache.kafka.connect.mirror.DefaultReplicationPolicy',
    // Compaction and retention of the directory topics come along with the records.
    'sync.topic.configs.enabled = true',
    'sync.topic.acls.enabled = false',
    // Consumers of replicated topics read them from the beginning (they are compacted and applied
    // idempotently), so no consumer-group offsets need translating across regions.
    'emit.checkpoints.enabled = false',
    'sync.group.offsets.enabled = false',
    'groups.exclude = .*',
    `refresh.topics.interval.seconds = ${input.refreshTopicsSeconds ?? 30}`,
    `replication.factor = ${rf}`,
    `checkpoints.topic.replication.factor = ${rf}`,
    `heartbeats.topic.replication.factor = ${rf}`,
    `offset-syncs.topic.replication.factor = ${rf}`,
    `offset.storage.replication.factor = ${rf}`,
    `config.storage.replication.factor = ${rf}`,
    `status.storage.replication.factor = ${rf}`,
    '',
  );
  return lines.join('\n');
}
