import { ExampleStack } from '../test/example-stack';
import { directory, onboardingSaga } from './workflow';

describe('onboarding-saga example (a saga with a compensating step) on the real broker and database', () => {
  const stack = new ExampleStack();
  beforeAll(() => stack.start([onboardingSaga]));
  afterAll(() => stack.stop());

  it('creates the account, provisions it and welcomes the user', async () => {
    const done = (await onboardingSaga.run({ email: 'ana@acme.test', plan: 'team', seats: 12 }, { runner: stack.runner })) as { accountId: string };
    expect(done).toMatchObject({ outcome: 'welcomed', detail: '[Write a short] ana@acme.test' });
    expect(directory.get(done.accountId)).toEqual({ email: 'ana@acme.test' });
  });

  it('compensates when provisioning fails: the account it created is removed again', async () => {
    const steps: string[] = [];
    const done = (await onboardingSaga.run({ email: 'bo@big.test', plan: 'free', seats: 30 }, { runner: stack.runner, onProgress: (p) => p.kind === 'step.completed' && steps.push(p.step!) })) as { accountId: string };
    expect(done).toMatchObject({ outcome: 'rolled-back', detail: "30 seats exceed the free plan's 1" });
    expect(steps).toEqual(['account-creator', 'workspace-provisioner', 'account-rollback']);
    expect(directory.has(done.accountId)).toBe(false);
  });
});
