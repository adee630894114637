import { compareSemVer, parseSemVer } from './semver';

const v = (text: string) => {
  const parsed = parseSemVer(text);
  if (parsed === undefined) throw new Error(`not semver: ${text}`);
  return parsed;
};

describe('semver', () => {
  it.each(['1', '1.0', '01.0.0', '1.0.0-', '1.0.0+build', 'v1.0.0', '1.0.0-01'])('rejects %s', (text) => {
    expect(parseSemVer(text)).toBeUndefined();
  });

  it('orders versions by semver precedence', () => {
    const ordered = ['0.9.9', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.10.0', '2.0.0'];
    const shuffled = [...ordered].reverse();
    expect(shuffled.sort((a, b) => compareSemVer(v(a), v(b)))).toEqual(ordered);
    expect(compareSemVer(v('1.2.3'), v('1.2.3'))).toBe(0);
  });
});
