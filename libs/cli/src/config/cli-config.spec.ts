import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@weaver/errors';
import { CliError } from '../cli-error';
import { DEFAULT_GATEWAY_URL, resolveGateway, resolveOutput } from './cli-config';

describe('resolveGateway', () => {
  let dir: string;
  let credentials: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'weaver-cli-config-'));
    mkdirSync(join(dir, '.weaver'));
    credentials = join(dir, '.weaver', 'credentials.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prefers flags over the environment over the credentials file', () => {
    writeFileSync(credentials, JSON.stringify({ url: 'http://file:1', apiKey: 'wv_file', tenantId: 'ignored' }));
    const env = { WEAVER_URL: 'http://env:2', WEAVER_API_KEY: 'wv_env' };
    expect(resolveGateway({ url: 'http://flag:3/', apiKey: 'wv_flag' }, env, dir, credentials)).toEqual({ url: 'http://flag:3', urlSource: '--url', apiKey: 'wv_flag', apiKeySource: '--api-key' });
    expect(resolveGateway({}, env, dir, credentials)).toMatchObject({ url: 'http://env:2', apiKey: 'wv_env', apiKeySource: 'WEAVER_API_KEY' });
    expect(resolveGateway({}, {}, dir, credentials)).toMatchObject({ url: 'http://file:1', apiKey: 'wv_file', apiKeySource: join('.weaver', 'credentials.json') });
  });

  it('finds the nearest .weaver/credentials.json above the working directory', () => {
    writeFileSync(credentials, JSON.stringify({ url: 'http://file:1', apiKey: 'wv_file' }));
    const nested = join(dir, 'a', 'b');
    mkdirSync(nested, { recursive: true });
    expect(resolveGateway({}, {}, nested)).toMatchObject({ url: 'http://file:1', apiKey: 'wv_file' });
  });

  it('falls back to the default URL and no key when nothing is configured', () => {
    expect(resolveGateway({}, { WEAVER_URL: '', WEAVER_API_KEY: '' }, dir, join(dir, 'missing.json'))).toEqual({ url: DEFAULT_GATEWAY_URL, urlSource: 'the default', apiKey: undefined, apiKeySource: undefined });
  });

  it('names the variable, flag or file field that is wrong', () => {
    expect(() => resolveGateway({}, { WEAVER_URL: 'localhost:8080' }, dir, credentials)).toThrow(ConfigError);
    expect(() => resolveGateway({}, { WEAVER_URL: 'localhost:8080' }, dir, credentials)).toThrow(/WEAVER_URL: must be an http\(s\) URL/);
    expect(() => resolveGateway({ url: 'ftp://x' }, {}, dir, credentials)).toThrow(/--url: must be an http\(s\) URL/);
    expect(() => resolveGateway({ apiKey: 'two words' }, {}, dir, credentials)).toThrow(/--api-key: must be a non-empty key without spaces/);
    writeFileSync(credentials, '{"url": ');
    expect(() => resolveGateway({}, {}, dir, credentials)).toThrow(/credentials\.json is not valid JSON/);
    writeFileSync(credentials, JSON.stringify({ url: 42 }));
    let caught: unknown;
    try {
      resolveGateway({}, {}, dir, credentials);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CliError);
    expect((caught as CliError).message).toMatch(/credentials\.json is invalid: url:/);
    expect((caught as CliError).exitCode).toBe(2);
  });

  it('does not read the credentials file when flags and environment say everything', () => {
    writeFileSync(credentials, 'not json');
    expect(resolveGateway({ url: 'http://flag:3' }, { WEAVER_API_KEY: 'wv_env' }, dir, credentials)).toMatchObject({ url: 'http://flag:3', apiKey: 'wv_env' });
  });
});

describe('resolveOutput', () => {
  const tty = { stdout: true, stderr: true };
  it('colours a terminal unless NO_COLOR, --no-color or --json', () => {
    expect(resolveOutput({}, {}, tty)).toEqual({ json: false, color: true, errColor: true });
    expect(resolveOutput({}, { NO_COLOR: '1' }, tty)).toMatchObject({ color: false, errColor: false });
    expect(resolveOutput({ color: false }, {}, tty)).toMatchObject({ color: false, errColor: false });
    expect(resolveOutput({ json: true }, {}, tty)).toEqual({ json: true, color: false, errColor: false });
    expect(resolveOutput({}, {}, { stdout: false, stderr: true })).toEqual({ json: false, color: false, errColor: true });
  });

  it('treats an empty NO_COLOR as unset (no-color.org)', () => {
    expect(resolveOutput({}, { NO_COLOR: '' }, tty).color).toBe(true);
  });
});
