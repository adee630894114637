import { CliError } from '../cli-error';
import type { GatewayApi, Run, RunEvent } from '../gateway/gateway-api';
import { watchRun } from './run-watch';

const run = (status: Run['status']): Run => ({ runId: 'r1', tenantId: 't', workflow: 'w', status, input: {}, result: null, error: null, failedStep: null, subjectId: null, classification: [], createdAt: '', updatedAt: '', steps: [] });
const unreachable = () => new CliError('UNAVAILABLE', 'cannot reach the gateway at http://g');

/** A gateway whose event streams are scripted: each call to runEvents takes the next script. */
function gatewayWith(streams: Array<RunEvent[] | Error>, stored: Run): GatewayApi {
  return {
    getRun: () => Promise.resolve(stored),
    runEvents: async function* () {
      const next = streams.shift();
      if (next instanceof Error) throw next;
      yield* next ?? [];
    },
  } as unknown as GatewayApi;
}

describe('watchRun', () => {
  const fast = { backoffMs: () => 1 };

  it('follows a run across a gateway that was unreachable for a while (a restart), not failing the watch', async () => {
    const done = run('completed');
    const seen: string[] = [];
    const gateway = gatewayWith([unreachable(), unreachable(), [{ kind: 'run.completed', runId: 'r1', time: '', run: done }]], run('running'));
    await expect(watchRun(gateway, 'r1', (e) => seen.push(e.kind), fast)).resolves.toBe(done);
    expect(seen).toEqual(['run.completed']);
  });

  it('gives up after maxReconnects and says why (the gateway stays unreachable)', async () => {
    const gateway = gatewayWith([unreachable(), unreachable(), unreachable()], run('running'));
    await expect(watchRun(gateway, 'r1', () => undefined, { ...fast, maxReconnects: 2 })).rejects.toThrow('cannot reach the gateway');
  });

  it('does not retry other errors (a refused key stays refused)', async () => {
    const gateway = gatewayWith([new CliError('UNAUTHENTICATED', 'refused'), []], run('running'));
    await expect(watchRun(gateway, 'r1', () => undefined, fast)).rejects.toThrow('refused');
  });
});
