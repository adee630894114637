import { Readiness } from './readiness';

describe('Readiness', () => {
  it('is ready with no checks and when every check passes', async () => {
    const readiness = new Readiness();
    expect(await readiness.evaluate()).toEqual({ ready: true, failing: [] });

    readiness.register('kafka', () => true);
    readiness.register('postgres', async () => true);
    expect(await readiness.evaluate()).toEqual({ ready: true, failing: [] });
  });

  it('names every failing, throwing or hanging check', async () => {
    const readiness = new Readiness(50);
    readiness.register('kafka', () => false);
    readiness.register('postgres', () => {
      throw new Error('connection refused');
    });
    readiness.register('registry', () => new Promise<boolean>(() => undefined));
    readiness.register('router', () => true);

    expect(await readiness.evaluate()).toEqual({ ready: false, failing: ['kafka', 'postgres', 'registry'] });
  });

  it('follows a check that changes, and forgets an unregistered one', async () => {
    const readiness = new Readiness();
    let connected = false;
    const unregister = readiness.register('kafka', () => connected);
    expect((await readiness.evaluate()).ready).toBe(false);

    connected = true;
    expect((await readiness.evaluate()).ready).toBe(true);

    connected = false;
    unregister();
    expect((await readiness.evaluate()).ready).toBe(true);
  });

  it('is not ready once shutting down, whatever the checks say', async () => {
    const readiness = new Readiness();
    readiness.register('kafka', () => true);
    readiness.markShuttingDown();

    expect(await readiness.evaluate()).toEqual({ ready: false, failing: ['shutdown'] });
  });
});
