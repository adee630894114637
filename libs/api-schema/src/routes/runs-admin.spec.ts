import { AdminRunListQuery, DeadLetterListQuery, DeadLetterReplayBody, RUNS_ADMIN_ROUTES } from './runs-admin';

const issues = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) => (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('runs-admin routes (api-schema)', () => {
  it('declares every path parameter and unique operation ids', () => {
    for (const r of RUNS_ADMIN_ROUTES) for (const [, name] of r.path.matchAll(/\{(\w+)\}/g)) expect([r.operationId, Object.keys((r.params as { shape?: object } | undefined)?.shape ?? {})]).toEqual([r.operationId, expect.arrayContaining([name])]);
    expect(new Set(RUNS_ADMIN_ROUTES.map((r) => r.operationId)).size).toBe(RUNS_ADMIN_ROUTES.length);
  });

  it('names each bad field and its rule', () => {
    expect(issues(AdminRunListQuery.safeParse({ status: 'done', limit: '0', tenantId: 'x', from: 'yesterday' }))).toEqual([
      'status: must be one of pending, running, completed, failed, cancelled',
      'from: must be an RFC 3339 time or a date (e.g. 2026-12-02T10:00:00Z)',
      'limit: must be at least 1',
      'tenantId: must be a UUID',
    ]);
    expect(issues(DeadLetterListQuery.safeParse({ group: 'a b', extra: '1' }))).toEqual(['group: must be a consumer group name ([a-zA-Z0-9._-]+)', ': Unrecognized key: "extra"']);
    expect(issues(DeadLetterReplayBody.safeParse({ fromOffset: '5', toOffset: '2' }))).toEqual(['group: is required with fromOffset/toOffset (offsets are per DLQ topic)', 'toOffset: must be at or after fromOffset']);
    expect(issues(DeadLetterReplayBody.safeParse({ ids: ['g~0~1'], group: 'g' }))).toEqual(['ids: cannot be combined with group, offsets or times']);
    expect(AdminRunListQuery.parse({})).toEqual({ limit: 50 });
  });
});
