import { retryCatalogRace } from './catalog-race';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('retryCatalogRace', () => {
  it('retries the races PostgreSQL reports on shared catalogs, then succeeds', async () => {
    const errors = [pgError('XX000', 'tuple concurrently updated'), pgError('42710', 'role "weaver_app" already exists')];
    let calls = 0;
    const result = await retryCatalogRace(async () => {
      calls += 1;
      const next = errors.shift();
      if (next) throw next;
      return 'done';
    });
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it('passes other errors through at once, and gives up after the last attempt', async () => {
    let calls = 0;
    await expect(retryCatalogRace(async () => {
      calls += 1;
      throw pgError('42501', 'permission denied');
    })).rejects.toThrow('permission denied');
    expect(calls).toBe(1);
    await expect(retryCatalogRace(async () => {
      throw { driverError: pgError('XX000', 'tuple concurrently updated'), message: 'wrapped' };
    }, 2)).rejects.toMatchObject({ message: 'wrapped' });
  });
});
