import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@weaver/errors';
import { compileEntries, packageOf } from './compile';
import { assertProductionDependencies } from './production-tree';

const REPO = join(__dirname, '..', '..', '..');

describe('compileEntries', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'weaver-compile-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('follows requires from an entry, rewrites @weaver/* to relative paths and keeps decorator metadata', () => {
    const result = compileEntries(REPO, ['apps/registry/src/main.ts'], out);
    expect(result.files).toEqual(expect.arrayContaining(['apps/registry/src/main.ts', 'apps/registry/src/registry.module.ts', 'libs/contracts/src/index.ts']));
    expect(result.files.some((f) => f.endsWith('.spec.ts') || f.startsWith('tools/'))).toBe(false);
    const main = readFileSync(join(out, 'apps/registry/src/main.js'), 'utf8');
    expect(main).toContain('require("../../../libs/service-kit/src")');
    expect(main).not.toContain('@weaver/');
    // NestJS injects by the constructor's parameter types, which only decorator metadata records.
    expect(readFileSync(join(out, 'apps/registry/src/registry.grpc-controller.js'), 'utf8')).toContain('"design:paramtypes"');
    expect(result.packages.get('@nestjs/common')).toBeDefined();
  });
});

describe('packageOf', () => {
  it.each([
    ['@grpc/grpc-js', '@grpc/grpc-js'],
    ['@bufbuild/protobuf/wire', '@bufbuild/protobuf'],
    ['kafkajs/src/consumer/filterAbortedMessages', 'kafkajs'],
    ['node:fs', undefined],
    ['worker_threads', undefined],
    ['fs/promises', undefined],
  ])('%s → %s', (specifier, pkg) => expect(packageOf(specifier)).toBe(pkg));
});

describe('assertProductionDependencies', () => {
  it('names a required package that is only a dev dependency, and the file requiring it', () => {
    expect(() => assertProductionDependencies(REPO, new Map([['kafkajs', 'libs/messaging/src/index.ts']]))).not.toThrow();
    expect(() => assertProductionDependencies(REPO, new Map([['tsx', 'libs/x/src/y.ts']]))).toThrow(ValidationError);
    expect(() => assertProductionDependencies(REPO, new Map([['tsx', 'libs/x/src/y.ts']]))).toThrow(/tsx \(required by libs\/x\/src\/y\.ts\)/);
  });
});
