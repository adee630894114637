import { redactFields, redactLogArguments, redactText } from './redact';

describe('log redaction', () => {
  it('masks every detectable value in a message', () => {
    expect(redactText('user anna@example.com from 10.1.2.3 paid with 4111-1111-1111-1111')).toBe('user [EMAIL] from [IP_ADDRESS] paid with [CREDIT_CARD]');
  });

  it('redacts string fields at any depth, keeps ids and non-strings, and does not follow cycles forever', () => {
    const cyclic: Record<string, unknown> = { note: 'call +44 20 7946 0018' };
    cyclic['self'] = cyclic;
    const out = redactFields({
      tenantId: '0b6c3c1e-6f7e-4a51-9a43-5f2a1c9d0e11',
      attempt: 3,
      query: { params: ['DE89 3704 0044 0532 0130 00', 'ok'] },
      err: new Error('duplicate key anna@example.com'),
      cyclic,
    });
    expect(out.tenantId).toBe('0b6c3c1e-6f7e-4a51-9a43-5f2a1c9d0e11');
    expect(out.attempt).toBe(3);
    expect(out.query.params).toEqual(['[IBAN]', 'ok']);
    expect(out.err).toEqual({ name: 'Error', message: 'duplicate key [EMAIL]' });
    expect(JSON.stringify(out)).not.toContain('7946');
    expect(JSON.stringify(out)).toContain('[DEPTH]');
  });

  it('redacts the arguments of a pino log call (object, message, interpolation values)', () => {
    const [obj, msg, extra] = redactLogArguments([{ runId: 'r-1', input: 'mail anna@example.com' }, 'login from 10.1.2.3', 42]);
    expect(obj).toEqual({ runId: 'r-1', input: 'mail [EMAIL]' });
    expect(msg).toBe('login from [IP_ADDRESS]');
    expect(extra).toBe(42);
    const [err] = redactLogArguments([new TypeError('duplicate key anna@example.com')]);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('TypeError');
    expect((err as Error).message).toBe('duplicate key [EMAIL]');
    expect((err as Error).stack).not.toContain('anna@');
  });
});
