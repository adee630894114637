import { joinStateOf, mergeJoinPart, type StoredJoin } from './join-state';

const required = ['sales.collected', 'targets.set'];
const empty: StoredJoin = { parts: {}, completedBy: null };

describe('mergeJoinPart', () => {
  it('waits for the missing type, then completes with the event that supplied the last one', () => {
    const first = mergeJoinPart(empty, { type: 'sales.collected', eventId: 'e1', payload: { total: 5 } }, required);
    expect(first.changed).toBe(true);
    expect(joinStateOf(first.next, required)).toEqual({ completedBy: null, parts: { 'sales.collected': { total: 5 } }, missing: ['targets.set'], classification: ['internal'] });
    const second = mergeJoinPart(first.next, { type: 'targets.set', eventId: 'e2', payload: { target: 9 } }, required);
    expect(joinStateOf(second.next, required)).toEqual({ completedBy: 'e2', parts: { 'sales.collected': { total: 5 }, 'targets.set': { target: 9 } }, missing: [], classification: ['internal'] });
  });

  it('keeps the first event of a type, and never changes a completed join', () => {
    const one = mergeJoinPart(empty, { type: 'sales.collected', eventId: 'e1', payload: 1 }, required).next;
    const again = mergeJoinPart(one, { type: 'sales.collected', eventId: 'e9', payload: 2 }, required);
    expect(again.changed).toBe(false);
    expect(again.next.parts['sales.collected']).toEqual({ eventId: 'e1', payload: 1, classification: [] });
    const done = mergeJoinPart(one, { type: 'targets.set', eventId: 'e2', payload: 3 }, required).next;
    const late = mergeJoinPart(done, { type: 'targets.set', eventId: 'e3', payload: 4 }, required);
    expect(late.changed).toBe(false);
    expect(late.next.completedBy).toBe('e2');
  });

  it('labels the joined step at least as high as every part', () => {
    const one = mergeJoinPart(empty, { type: 'sales.collected', eventId: 'e1', payload: 1, classification: ['public'] }, required).next;
    const both = mergeJoinPart(one, { type: 'targets.set', eventId: 'e2', payload: 2, classification: ['confidential', 'pci'] }, required).next;
    expect(joinStateOf(one, required).classification).toEqual(['public']);
    expect(joinStateOf(both, required).classification).toEqual(['confidential', 'pci']);
  });

  it('ignores a type the join does not require', () => {
    expect(mergeJoinPart(empty, { type: 'other.thing', eventId: 'e1', payload: 1 }, required).changed).toBe(false);
  });
});
