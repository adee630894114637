import { returnedRows } from './query-results';

describe('returnedRows', () => {
  it("gives the rows of an UPDATE/DELETE ... RETURNING (TypeORM's [rows, rowCount]) and of any other statement", () => {
    expect(returnedRows([[{ attempts: 2 }], 1])).toEqual([{ attempts: 2 }]);
    expect(returnedRows([[], 0])).toEqual([]);
    expect(returnedRows([{ a: 1 }, { a: 2 }])).toEqual([{ a: 1 }, { a: 2 }]);
    expect(returnedRows([])).toEqual([]);
  });
});
