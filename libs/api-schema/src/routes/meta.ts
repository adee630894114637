import { z } from 'zod';
import { defineRoute, json, type ApiRoute } from '../route';

export const getOpenApi = defineRoute({
  operationId: 'getOpenApi',
  method: 'GET',
  path: '/openapi.json',
  summary: 'This API\'s OpenAPI 3.1 document (generated from API_ROUTES)',
  tags: ['meta'],
  auth: 'public',
  status: 200,
  response: json(z.looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) })),
});

export const META_ROUTES: readonly ApiRoute[] = [getOpenApi];
