import { renderMirrorProperties } from './mirror-config';

const regions = [
  { alias: 'a', bootstrapServers: '127.0.0.1:9092' },
  { alias: 'b', bootstrapServers: '127.0.0.1:9192' },
];

describe('renderMirrorProperties', () => {
  const props = renderMirrorProperties({ regions, topics: ['ns.weaver.directory.v1', 'ns.weaver.audit-checkpoints.v1'], replicationFactor: 1 });
  const lines = props.split('\n');

  it('mirrors every region to every other with the prefixing default policy', () => {
    expect(lines).toEqual(expect.arrayContaining(['clusters = a, b', 'a.bootstrap.servers = 127.0.0.1:9092', 'a->b.enabled = true', 'b->a.enabled = true', 'replication.policy.class = org.apache.kafka.connect.mirror.DefaultReplicationPolicy']));
  });

  it('lets through exactly the named topics: anchored, dots escaped', () => {
    const topics = lines.find((l) => l.startsWith('topics = '))!.slice('topics = '.length).split(', ').map((r) => new RegExp(r));
    const mirrored = (name: string): boolean => topics.some((r) => r.test(name));
    expect(mirrored('ns.weaver.directory.v1')).toBe(true);
    expect(mirrored('ns.weaver.audit-checkpoints.v1')).toBe(true);
    for (const runData of ['ns.weaver.runs.v1', 'ns.weaver.triggers.v1', 'ns.weaver.evt.content.researched.v1', 'ns.weaver.audit.v1', 'b.ns.weaver.directory.v1', 'nsXweaver.directory.v1']) {
      expect(mirrored(runData)).toBe(false);
    }
  });

  it('refuses aliases that cannot be topic prefixes, a single region and no topics', () => {
    expect(() => renderMirrorProperties({ regions: [{ alias: 'eu.west', bootstrapServers: 'x:1' }, regions[1]!], topics: ['t'] })).toThrow(/alias/);
    expect(() => renderMirrorProperties({ regions: [regions[0]!], topics: ['t'] })).toThrow(/two distinct/);
    expect(() => renderMirrorProperties({ regions, topics: [] })).toThrow(/at least one topic/);
  });
});
