import type { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * How a caller proves who it is. `apiKey`: a tenant's key (`Authorization: Bearer wv_...` or
 * `x-api-key`); `admin`: the operator's admin token or a key holding one of `roles`;
 * `apiKeyOrCapability`: a key, or `Authorization: Capability <token>`; `public`: nobody.
 */
export type RouteAuth = 'apiKey' | 'admin' | 'apiKeyOrCapability' | 'public';

/** What a route answers: a JSON body (validated against `schema` in tests), or an event stream. */
export type RouteBody = { readonly kind: 'json'; readonly schema: z.ZodType } | { readonly kind: 'sse'; readonly event: z.ZodType };

/**
 * One REST route: the single source from which the gateway validates, the OpenAPI document is
 * generated, the SDK client and the CLI are typed, and docs/api.md is checked.
 * `path` uses OpenAPI's `{param}` form; every `{param}` must be a key of `params`.
 */
export interface ApiRoute<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends RouteBody = RouteBody,
> {
  readonly operationId: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly summary: string;
  /** Longer prose for the reference (markdown). */
  readonly description?: string;
  readonly tags: readonly string[];
  readonly auth: RouteAuth;
  /** For `admin` routes: the key roles that may call it (the admin token always may). */
  readonly roles?: readonly string[];
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** The success status. */
  readonly status: number;
  readonly response: R;
  /** Error statuses this route documents besides 400/401/403/429/500. */
  readonly errors?: readonly number[];
}

/** Declares a route; the identity function exists so TypeScript keeps the literal schema types. */
export function defineRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends RouteBody>(
  route: ApiRoute<P, Q, B, R>,
): ApiRoute<P, Q, B, R> {
  return route;
}

export const json = <S extends z.ZodType>(schema: S) => ({ kind: 'json', schema }) as const;
export const sse = <S extends z.ZodType>(event: S) => ({ kind: 'sse', event }) as const;

type InferOr<S, D> = S extends z.ZodType ? z.infer<S> : D;
/** The JSON a route answers (or, for SSE, one event). */
export type RouteResponse<T> = T extends ApiRoute<z.ZodType, z.ZodType, z.ZodType, infer R>
  ? R extends { kind: 'json'; schema: infer S } ? InferOr<S, never> : R extends { kind: 'sse'; event: infer E } ? InferOr<E, never> : never
  : never;
/** The body a route takes, as a caller writes it (before defaults). */
export type RouteRequestBody<T> = T extends ApiRoute<z.ZodType, z.ZodType, infer B> ? (B extends z.ZodType ? z.input<B> : never) : never;
/** What a caller sends for a route: its path parameters, query and body (each only when the route has it). */
export type RouteInput<T> = T extends ApiRoute<infer P, infer Q, infer B>
  ? (z.ZodType extends P ? object : { params: z.input<P> }) & (z.ZodType extends Q ? object : { query?: z.input<Q> }) & (z.ZodType extends B ? object : { body: z.input<B> })
  : never;
/** A request as the gateway has it once the route's schemas parsed it (defaults applied, coerced). */
export interface ParsedRequest<T> {
  readonly params: T extends ApiRoute<infer P> ? z.output<P> : never;
  readonly query: T extends ApiRoute<z.ZodType, infer Q> ? z.output<Q> : never;
  readonly body: T extends ApiRoute<z.ZodType, z.ZodType, infer B> ? z.output<B> : never;
}
