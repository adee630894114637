import type { IncomingMessage } from 'node:http';
import { OpenAIWireServer } from './openai-wire-server';
import type { WireContext } from './wire-server';

const DEPLOYMENT_ROUTE = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/;

/**
 * Azure OpenAI on loopback: OpenAI's bodies, SSE and error shapes (OpenAIWireServer), behind
 * Azure's routes `POST /openai/deployments/{deployment}/chat/completions|embeddings?api-version=…`
 * and its `api-key` header. A request without `api-version` gets Azure's 404
 * `{"error":{"code":"404","message":"Resource not found"}}`; the deployment answers as the model.
 */
export class AzureOpenAIWireServer extends OpenAIWireServer {
  /** Deployments seen, with the api-version each was called with. */
  readonly calls: Array<{ deployment: string; apiVersion: string | null }> = [];

  protected override credentialOf(req: IncomingMessage): string | undefined {
    const key = req.headers['api-key'];
    return typeof key === 'string' ? key : undefined;
  }

  protected override async handle(ctx: WireContext): Promise<void> {
    const url = new URL(ctx.req.url ?? '/', 'http://azure.local');
    const route = DEPLOYMENT_ROUTE.exec(url.pathname);
    const apiVersion = url.searchParams.get('api-version');
    if (!route || !apiVersion) return this.sendError(ctx.res, { status: 404, body: { error: { code: '404', message: 'Resource not found' } } });
    const deployment = decodeURIComponent(route[1] ?? '');
    this.calls.push({ deployment, apiVersion });
    // Azure answers for the deployment whatever model the body names.
    ctx.req.url = `/v1/${route[2]}`;
    return super.handle({ ...ctx, body: { ...(ctx.body as object), model: deployment } });
  }
}
