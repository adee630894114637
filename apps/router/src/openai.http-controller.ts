import { Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '@weaver/errors';
import { chatCallOf, chatCompletionOf, completionIdOf, embedCallOf, embeddingListOf, modelListOf, ModelRouter, openAiCallerOf, type CallerContext } from '@weaver/model-router';
import type { Logger } from '@weaver/observability';
import { InjectLogger, SERVICE_CONFIG } from '@weaver/service-kit';
import { ApiKeyResolver, apiKeyFromHeaders, type ResolvedKey } from '@weaver/tenancy-core';
import { ModelCallGate } from './model-call-gate';
import { OpenAiChatStream } from './openai-chat.stream';
import type { RouterConfig } from './router.config';

/**
 * The OpenAI-compatible API (docs/router.md): the same ModelRouter calls as gRPC — routing,
 * budgets, idempotency (`Idempotency-Key`), PII policy, classification, ledger — for a tenant's
 * API key. Per call: the key from the resolution cache (tenancy only when cold), the model.call
 * decision from the policy cache, then the router's own path (one billing batch statement).
 * Errors: openAiErrorRenderer answers in OpenAI's shape.
 */
@Controller('v1')
export class OpenAiHttpController {
  private readonly enabled: boolean;
  /** `created` of the listed models: when this router started (models.yaml has no dates). */
  private readonly started = Math.floor(Date.now() / 1000);

  constructor(
    private readonly models: ModelRouter,
    private readonly gate: ModelCallGate,
    private readonly keys: ApiKeyResolver,
    @Inject(SERVICE_CONFIG) config: RouterConfig,
    @InjectLogger() private readonly log: Logger,
  ) {
    this.enabled = config.ROUTER_OPENAI_API === 'on';
  }

  private async callerOf(req: FastifyRequest): Promise<{ key: ResolvedKey; caller: CallerContext }> {
    if (!this.enabled) throw new NotFoundError('route', req.url);
    const key = await this.keys.keyOf(apiKeyFromHeaders(req.headers), req.ip);
    return { key, caller: openAiCallerOf(key, req.headers) };
  }

  @Post('chat/completions')
  async chat(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { key, caller } = await this.callerOf(req);
    const { call, request } = chatCallOf(req.body, caller, this.models.models);
    await this.gate.checkKey(call, key, req.ip);
    const id = completionIdOf(call.tenantId, call.idempotencyKey);
    const created = Math.floor(Date.now() / 1000);
    if (request.stream) {
      await new OpenAiChatStream(id, created, request, this.log).send(this.models.generateStream(call), reply);
      return;
    }
    void reply.type('application/json').send(chatCompletionOf(await this.models.generate(call), id, created));
  }

  @Post('embeddings')
  async embeddings(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { key, caller } = await this.callerOf(req);
    const { call, request } = embedCallOf(req.body, caller, this.models.models);
    await this.gate.checkKey(call, key, req.ip);
    void reply.type('application/json').send(embeddingListOf(await this.models.embed(call), request.encoding_format));
  }

  @Get('models')
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.callerOf(req);
    void reply.type('application/json').send(modelListOf(this.models.models.values(), this.started));
  }
}
