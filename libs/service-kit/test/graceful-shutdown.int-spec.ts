import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '../src';
import { testTlsEnv } from '@weaver/testing';

const ROOT = join(__dirname, '../../..');
const FIXTURE = join(__dirname, 'fixtures/shutdown-service.fixture.ts');

interface LogLine {
  msg: string;
  [key: string]: unknown;
}

/** The fixture service as a real child process, its JSON log lines collected as they come. */
class ChildService {
  readonly lines: LogLine[] = [];
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private waiters: Array<{ msg: string; resolve: () => void }> = [];

  constructor(private readonly env: Record<string, string>) {
    // The invocation every app's serve target uses (see libs/service-kit/README.md).
    this.child = spawn(process.execPath, ['-r', '@swc-node/register', FIXTURE], {
      cwd: ROOT,
      env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'), LOG_LEVEL: 'info', ...testTlsEnv('operator'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    createInterface({ input: this.child.stdout! }).on('line', (text) => this.onLine(text));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    // 'close' (not 'exit'): all output has been read by then.
    this.exited = new Promise((resolve) => this.child.once('close', (code) => resolve(code)));
  }

  get httpPort(): string {
    return this.env['HTTP_PORT']!;
  }

  waitFor(msg: string): Promise<void> {
    if (this.lines.some((l) => l.msg === msg)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ msg, resolve }));
  }

  signal(sig: NodeJS.Signals): void {
    this.child.kill(sig);
  }

  messages(): string[] {
    return this.lines.map((l) => l.msg);
  }

  private onLine(text: string): void {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      return;
    }
    this.lines.push(line);
    this.waiters = this.waiters.filter((w) => (w.msg === line.msg ? (w.resolve(), false) : true));
  }
}

async function startChild(extra: Record<string, string> = {}): Promise<ChildService> {
  const child = new ChildService({ HTTP_PORT: String(await freePort()), GRPC_PORT: String(await freePort()), ...extra });
  // Whichever comes first: started, or died at start (then the assertions below show why).
  await Promise.race([child.waitFor('service started'), child.exited]);
  return child;
}

describe('graceful shutdown of a real service process', () => {
  it('on SIGTERM: not ready first, then the hooks in order, then exit 0', async () => {
    const child = await startChild();
    child.signal('SIGTERM');

    expect(await child.exited).toBe(0);
    expect(child.messages()).toEqual(
      expect.arrayContaining([
        'shutdown: signal received, marking not ready',
        'fixture: worker stopping',
        'fixture: resource closed',
        'shutdown: complete, exiting',
      ]),
    );
    const order = [
      'fixture: worker started',
      'service started',
      'shutdown: signal received, marking not ready',
      'shutdown: running shutdown hooks (stop consuming, finish in-flight work, commit, close)',
      'fixture: worker stopping',
      'fixture: resource closed',
      'shutdown: complete, exiting',
    ];
    expect(child.messages().filter((m) => order.includes(m))).toEqual(order);
    // While the hooks ran, the still-open HTTP server already answered not-ready.
    expect(child.lines.find((l) => l.msg === 'fixture: worker stopping')?.['readyStatus']).toBe(503);
    expect(child.lines.find((l) => l.msg.startsWith('shutdown: signal'))?.['signal']).toBe('SIGTERM');
  });

  it('drains first: not ready but still serving, responses close their connection, then stops', async () => {
    const child = await startChild({ SHUTDOWN_DRAIN_MS: '60000' });
    const url = `http://127.0.0.1:${child.httpPort}`;
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    child.signal('SIGTERM');
    await child.waitFor('shutdown: draining (not ready, still serving)');

    const ready = await fetch(`${url}/health/ready`);
    const live = await fetch(`${url}/health/live`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'not_ready', failing: ['shutdown'] });
    expect(live.status).toBe(200);
    expect(live.headers.get('connection')).toBe('close');
    // Nothing stopped during the window.
    expect(child.messages()).not.toContain('fixture: worker stopping');
    child.signal('SIGKILL');
    await child.exited;
  });

  it('refuses a drain window outside its range, naming the variable', async () => {
    const child = new ChildService({ HTTP_PORT: String(await freePort()), GRPC_PORT: String(await freePort()), SHUTDOWN_DRAIN_MS: '-5' });

    expect(await child.exited).toBe(1);
    expect(child.stderr).toMatch(/- SHUTDOWN_DRAIN_MS: /);
  });

  it('forces exit 1 when the hooks outlast SHUTDOWN_TIMEOUT_MS', async () => {
    const child = await startChild({ FIXTURE_HANG_ON_SHUTDOWN: 'true', SHUTDOWN_TIMEOUT_MS: '300' });
    child.signal('SIGTERM');

    expect(await child.exited).toBe(1);
    expect(child.messages()).toContain('shutdown: timed out waiting for shutdown hooks, forcing exit');
    expect(child.messages()).not.toContain('fixture: resource closed');
  });

  it('forces exit 1 on a second signal', async () => {
    const child = await startChild({ FIXTURE_HANG_ON_SHUTDOWN: 'true', SHUTDOWN_TIMEOUT_MS: '60000' });
    child.signal('SIGTERM');
    await child.waitFor('fixture: worker stopping');
    child.signal('SIGINT');

    expect(await child.exited).toBe(1);
    expect(child.messages()).toContain('shutdown: second signal received, forcing exit');
  });

  it('refuses to start with invalid config, naming the variable and the rule', async () => {
    const child = new ChildService({ HTTP_PORT: 'eighty', GRPC_PORT: String(await freePort()) });

    expect(await child.exited).toBe(1);
    expect(child.stderr).toContain('shutdown-fixture: invalid configuration in environment');
    expect(child.stderr).toMatch(/- HTTP_PORT: .*number/);
    expect(child.lines.map((l) => l.msg)).not.toContain('service started');
  });
});
