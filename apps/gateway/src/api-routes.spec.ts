import 'reflect-metadata';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import * as api from '@weaver/api-schema';
import { PRINCIPAL_TYPES } from '@weaver/governance';
import { PII_ACTIONS, PII_TYPES } from '@weaver/pii';
import { RESOURCE_TYPES } from '@weaver/policy';
import { RUN_TRANSITIONS } from '@weaver/runs';
import { QUOTA_FIELDS } from '@weaver/tenancy-core';
import { ValidationError } from '@weaver/errors';
import { GatewayModule } from './gateway.module';
import { parseRequest } from './parse-request';
import { USAGE_DIMENSIONS } from './usage-query';

type Ctor = { name: string; prototype: object };

/** "METHOD /path/{param}" of every HTTP handler the gateway module mounts, from Nest's own metadata. */
function servedRoutes(): string[] {
  // The console's static files are a web page, not part of the JSON API (docs/console.md).
  const controllers = (Reflect.getMetadata('controllers', GatewayModule) as Ctor[]).filter((c) => c.name !== 'ConsoleHttpController');
  return controllers.flatMap((c) => {
    const base = [Reflect.getMetadata(PATH_METADATA, c) as string | string[] | undefined].flat()[0] ?? '';
    const proto = c.prototype as Record<string, unknown>;
    return Object.getOwnPropertyNames(proto).flatMap((name) => {
      const fn = proto[name];
      const method = typeof fn === 'function' ? (Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined) : undefined;
      if (method === undefined || name === 'constructor') return [];
      const sub = [Reflect.getMetadata(PATH_METADATA, fn as object) as string | string[]].flat()[0] ?? '';
      // Nest's `:param` → OpenAPI's `{param}`; `::` is Nest's escaped literal colon (`policies::validate`).
      const path = `/${[base, sub].filter((p) => p && p !== '/').join('/')}`.replace(/::/g, '\u0000').replace(/:([A-Za-z]+)/g, '{$1}').replace(/\u0000/g, ':');
      return [`${RequestMethod[method]} ${path}`];
    });
  });
}

describe('API_ROUTES (@weaver/api-schema) and the gateway', () => {
  it('declares exactly the routes the gateway serves, no more, no less', () => {
    const served = new Set(servedRoutes());
    const declared = new Set(api.API_ROUTES.map((r) => `${r.method} ${r.path}`));
    expect({ undeclared: [...served].filter((r) => !declared.has(r)), notServed: [...declared].filter((r) => !served.has(r)) }).toEqual({ undeclared: [], notServed: [] });
    expect(new Set(api.API_ROUTES.map((r) => r.operationId)).size).toBe(api.API_ROUTES.length);
  });

  it('declares every {param} of a path in its params schema', () => {
    for (const r of api.API_ROUTES) {
      const names = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const keys = r.params ? Object.keys((r.params as unknown as { shape: object }).shape) : [];
      expect([r.operationId, keys.sort()]).toEqual([r.operationId, names.sort()]);
    }
  });

  it('mirrors the domain vocabularies the leaf cannot import', () => {
    expect([...api.PII_TYPES]).toEqual([...PII_TYPES]);
    expect([...api.PII_ACTIONS]).toEqual([...PII_ACTIONS]);
    expect([...api.PRINCIPAL_TYPES]).toEqual([...PRINCIPAL_TYPES]);
    expect([...api.RESOURCE_TYPES]).toEqual([...RESOURCE_TYPES]);
    expect([...api.QUOTA_NAMES]).toEqual(QUOTA_FIELDS.map((f) => f.column));
    expect(QUOTA_FIELDS.map((f) => ({ column: f.column, integer: f.integer, min: f.min, max: f.max }))).toEqual(api.QUOTA_NAMES.map((column) => ({ column, ...api.QUOTA_BOUNDS[column] })));
    expect([...api.USAGE_DIMENSIONS]).toEqual([...USAGE_DIMENSIONS]);
    expect([...api.RUN_STATUSES].sort()).toEqual(Object.keys(RUN_TRANSITIONS).sort());
  });
});

describe('parseRequest', () => {
  const violations = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      if (e instanceof ValidationError) return e.violations;
      throw e;
    }
    throw new Error('no ValidationError');
  };

  it('gives the handler typed, defaulted parts', () => {
    expect(parseRequest(api.listRuns, { query: { limit: '20' } }).query).toEqual({ limit: 20 });
    expect(parseRequest(api.listRuns, { query: {} }).query).toEqual({ limit: 50 });
    expect(parseRequest(api.createTenant, { body: { name: ' acme ' } }).body).toEqual({ name: 'acme', tier: 'standard' });
  });

  it('names every bad field and its rule at once, across path, query and body', () => {
    expect(violations(() => parseRequest(api.startRun, { body: { workflow: 'Bad Name', runId: 'nope' } }))).toEqual([
      { field: 'workflow', rule: 'must be a workflow name (lowercase words joined by - or _, e.g. "content-pipeline")' },
      { field: 'input', rule: 'is required (any JSON value)' },
      { field: 'runId', rule: 'must be a UUID' },
    ]);
    expect(violations(() => parseRequest(api.getUsage, { params: { tenantId: 'not-a-uuid' }, query: {} }))).toEqual([{ field: 'tenantId', rule: 'must be a UUID' }]);
    expect(violations(() => parseRequest(api.listRuns, { query: { limit: '0' } }))).toEqual([{ field: 'limit', rule: 'must be at least 1' }]);
  });

  it('names each unknown key as its own field', () => {
    const tenantId = '11111111-1111-4111-8111-111111111111';
    expect(violations(() => parseRequest(api.setPiiPolicy, { params: { tenantId }, body: { policy: { emial: 'mask', phone: 'hide' } } }))).toEqual([
      { field: 'policy.phone', rule: 'must be one of allow, mask, tokenise, refuse' },
      { field: 'policy.emial', rule: expect.stringContaining('unknown entity type') },
    ]);
    expect(violations(() => parseRequest(api.setQuotas, { params: { tenantId }, body: { concurrent_runs: -1, speed: 3 } }))).toEqual([
      { field: 'concurrent_runs', rule: 'must be an integer from 0 to 10000000' },
      { field: 'speed', rule: expect.stringContaining('is not a quota (one of runs_per_second') },
    ]);
  });
});
