import { Writable } from 'node:stream';
import { redactSecrets, redactValue } from './log-redaction';
import { createLogger, setLogTextMasker } from './logger';

class QueryFailedError extends Error {
  constructor(
    readonly query: string,
    readonly parameters: unknown[],
    readonly driverError: unknown,
  ) {
    super('duplicate key value violates unique constraint "runs_pkey"');
  }
}

describe('log redaction', () => {
  afterEach(() => setLogTextMasker(undefined));

  it('removes secrets by field name at any depth and by shape in any string', () => {
    const out = redactValue({ headers: { authorization: 'Bearer abc', 'x-api-key': 'k' }, tenant: { apiKey: 'wv_a', name: 'acme' }, list: [{ password: 'p' }] }, undefined);
    expect(out).toEqual({ headers: { authorization: '[redacted]', 'x-api-key': '[redacted]' }, tenant: { apiKey: '[redacted]', name: 'acme' }, list: [{ password: '[redacted]' }] });
    const text = redactSecrets('key wv_0123456789ABCDEFGHIJabcdefghij01, Bearer eyJabcdefgh.ijklmnopqr.stuvwxyz12, postgres://weaver_runs:s3cret@db:5432/weaver?password=again');
    expect(text).toBe('key [redacted], [redacted], postgres://weaver_runs:[redacted]@db:5432/weaver?password=[redacted]');
  });

  it('keeps a database error\'s message and query but never its parameters or detail', () => {
    const err = new QueryFailedError('INSERT INTO runs.runs ...', ['{"ssn":"078-05-1120"}'], { detail: 'Key (run_id)=(x) already exists' });
    const out = redactValue({ err }, undefined) as { err: Record<string, unknown> };
    expect(out.err).toMatchObject({ type: 'Error', message: 'duplicate key value violates unique constraint "runs_pkey"', query: 'INSERT INTO runs.runs ...', parameters: '[omitted: statement data]', driverError: '[omitted: statement data]' });
    expect(JSON.stringify(out)).not.toContain('078-05-1120');
  });

  it('applies every rule to what a Logger writes, the installed personal-data masker included', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    setLogTextMasker((t) => t.replaceAll('ada@example.org', '[EMAIL]'));
    const real = createLogger('test', { level: 'info', destination: sink });
    real.info({ input: { mail: 'ada@example.org' }, token: 't' }, 'run for ada@example.org with wv_0123456789ABCDEFGHIJabcdefghij01');
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ input: { mail: '[EMAIL]' }, token: '[redacted]', msg: 'run for [EMAIL] with [redacted]' });
  });
});
