import { partitionOwnership, type InstancePartitions } from './partition-takeover';

const at = (s: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, s));
const p = (partition: number, topic = 'weaver.evt.a.v1') => ({ topic, partition });

describe('partitionOwnership', () => {
  it('shows a dead instance\'s partitions as taken over once a survivor of the same agent reports them', () => {
    const instances: InstancePartitions[] = [
      { instanceId: 'dead-1', agent: 'summarizer', health: 'dead', partitions: [p(0), p(1), p(2)], lastHeartbeatAt: at(0) },
      { instanceId: 'live-1', agent: 'summarizer', health: 'healthy', partitions: [p(1), p(3)], lastHeartbeatAt: at(10) },
      { instanceId: 'live-2', agent: 'summarizer', health: 'suspect', partitions: [p(2)], lastHeartbeatAt: at(9) },
      // Another agent's consumer group owning the same topic-partition takes nothing over.
      { instanceId: 'other', agent: 'indexer', health: 'healthy', partitions: [p(0)], lastHeartbeatAt: at(10) },
    ];
    const view = partitionOwnership(instances);
    expect(view.get('dead-1')).toEqual({
      partitions: [p(0)],
      takenOver: [
        { partition: p(1), byInstanceId: 'live-1' },
        { partition: p(2), byInstanceId: 'live-2' },
      ],
    });
    expect(view.get('live-1')).toEqual({ partitions: [p(1), p(3)], takenOver: [] });
  });

  it('credits the fresher report when two live members briefly claim one partition', () => {
    const view = partitionOwnership([
      { instanceId: 'dead-1', agent: 'a', health: 'dead', partitions: [p(0)], lastHeartbeatAt: at(0) },
      { instanceId: 'old', agent: 'a', health: 'healthy', partitions: [p(0)], lastHeartbeatAt: at(5) },
      { instanceId: 'new', agent: 'a', health: 'draining', partitions: [p(0)], lastHeartbeatAt: at(6) },
    ]);
    expect(view.get('dead-1')?.takenOver).toEqual([{ partition: p(0), byInstanceId: 'new' }]);
  });

  it('does not let a dead instance take over another dead one\'s partitions', () => {
    const view = partitionOwnership([
      { instanceId: 'd1', agent: 'a', health: 'dead', partitions: [p(0)], lastHeartbeatAt: at(0) },
      { instanceId: 'd2', agent: 'a', health: 'dead', partitions: [p(0)], lastHeartbeatAt: at(5) },
    ]);
    expect(view.get('d1')).toEqual({ partitions: [p(0)], takenOver: [] });
  });
});
