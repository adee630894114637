import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('orders keys, drops undefined members and keeps arrays in order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 'x', null], c: true }, u: undefined })).toBe('{"a":{"c":true,"d":[3,"x",null]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('refuses values without a JSON form', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/finite/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
  });
});
