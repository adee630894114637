import { router } from '@weaver/contracts';
import type { DeltaWriter, LlmClientFactory, LlmScope, StepDeltaSink } from '@weaver/agent-runtime';
import type { EmbedRequest, EmbedResponse, LlmClient, LlmMessage, LlmRequest, LlmResponse, LlmStream, LlmStreamChunk } from '@weaver/sdk';
import { structuredVia } from '@weaver/sdk/internal';
import { tenantMetadata, unary } from '@weaver/service-kit';
import type { ZodType } from 'zod';

const ROLES: Record<LlmMessage['role'], router.Role> = {
  system: router.Role.ROLE_SYSTEM,
  user: router.Role.ROLE_USER,
  assistant: router.Role.ROLE_ASSISTANT,
  tool: router.Role.ROLE_TOOL,
};

/**
 * `this.llm` for one step: every call — generate, stream, embed, and each attempt of
 * structured — goes through the router service with an idempotency key of (tenant, run, step,
 * call number). A step re-executed after a crash makes the same calls in the same order, so the
 * router answers them from its record and bills nothing twice. The number is taken when the
 * call is made (not when it settles), so concurrent calls of a step keep their order.
 *
 * `deltas`: where streamed text goes on its way to the run's SSE stream (StepDeltas); unset,
 * streams reach only the agent.
 */
export function routerLlm(client: router.RouterServiceClient, deltas?: StepDeltaSink): LlmClientFactory {
  return (scope: LlmScope): LlmClient => {
    let call = 0;
    const nextKey = (): string => `${scope.tenantId}/${scope.runId}/${scope.step}/${++call}`;
    // The router takes the tenant from the metadata (vouched for by this runner's certificate).
    const meta = tenantMetadata(scope.tenantId);
    const generate = async (req: LlmRequest): Promise<LlmResponse> => fromResponse(await unary(client.generate(toRequest(scope, req, nextKey()), meta)));
    return {
      generate,
      stream: (req) => streamOf(client.generateStream(toRequest(scope, req, nextKey()), meta), deltas?.open(scope)),
      embed: async (req: EmbedRequest): Promise<EmbedResponse> => {
        const res = await unary(client.embed(toEmbedRequest(scope, req, nextKey()), meta));
        return { vectors: res.vectors.map((v) => v.values), model: res.model, usage: { inputTokens: res.usage?.inputTokens ?? 0 }, costUsd: res.usage?.costUsd ?? 0, replayed: res.replayed };
      },
      // The router applies the schema (natively or as an instruction); a repair is another keyed call.
      structured: <T>(schema: ZodType<T>, req: LlmRequest) => structuredVia(generate, schema, req, { native: true }),
    };
  };
}

/**
 * A server stream as an LlmStream. The call starts at once and is read eagerly into a queue, so
 * `response` settles even if the agent never iterates, and chunks are not lost if it iterates late.
 */
function streamOf(chunks: ReturnType<router.RouterServiceClient['generateStream']>, writer: DeltaWriter | undefined): LlmStream {
  const queue: LlmStreamChunk[] = [];
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  let settle!: { resolve: (r: LlmResponse) => void; reject: (e: unknown) => void };
  const response = new Promise<LlmResponse>((resolve, reject) => (settle = { resolve, reject }));
  response.catch(() => undefined); // also thrown from the iterator; an agent may await only one of them
  const end = (): void => {
    ended = true;
    wake?.();
  };
  let done: LlmResponse | undefined;
  chunks.subscribe({
    next: (c) => {
      if (c.text) {
        queue.push({ delta: c.text });
        writer?.push(c.text);
        wake?.();
      } else if (c.done) done = fromResponse(c.done);
    },
    error: (err: unknown) => {
      failure = err;
      void (writer?.close() ?? Promise.resolve()).finally(() => {
        settle.reject(err);
        end();
      });
    },
    complete: () => {
      // The step's deltas are on their way before its result is seen (see StepDeltas).
      void (writer?.close() ?? Promise.resolve()).finally(() => {
        if (done) settle.resolve(done);
        else {
          failure = new Error('the router ended the stream without its final response');
          settle.reject(failure);
        }
        end();
      });
    },
  });
  return {
    response,
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const next = queue.shift();
        if (next) {
          yield next;
          continue;
        }
        if (ended) {
          if (failure !== undefined) throw failure;
          return;
        }
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
    },
  };
}

function fromResponse(res: router.GenerateResponse): LlmResponse {
  return {
    text: res.content,
    toolCalls: res.toolCalls.map((t) => ({ id: t.id, name: t.name, arguments: t.argumentsJson })),
    model: res.model,
    usage: { inputTokens: res.usage?.inputTokens ?? 0, outputTokens: res.usage?.outputTokens ?? 0 },
    costUsd: res.usage?.costUsd ?? 0,
    replayed: res.replayed,
  };
}

/** An SDK request as the router's: assistant tool calls and tool results keep their ids both ways. */
export function toRequest(scope: LlmScope, req: LlmRequest, idempotencyKey: string): router.GenerateRequest {
  const messages: LlmMessage[] = [
    ...(req.system ? [{ role: 'system' as const, content: req.system }] : []),
    ...(req.messages ?? []),
    ...(req.prompt !== undefined ? [{ role: 'user' as const, content: req.prompt }] : []),
  ];
  return {
    ...callOf(scope, idempotencyKey),
    messages: messages.map((m) => ({
      role: ROLES[m.role],
      content: m.content,
      toolCalls: (m.toolCalls ?? []).map((c) => ({ id: c.id, name: c.name, argumentsJson: c.arguments })),
      toolCallId: m.toolCallId ?? '',
    })),
    tools: (req.tools ?? []).map((t) => ({ name: t.name, description: t.description ?? '', jsonSchema: JSON.stringify(t.parameters) })),
    jsonMode: req.json ?? req.jsonSchema !== undefined,
    jsonSchema: req.jsonSchema ? JSON.stringify(req.jsonSchema.schema) : '',
    jsonSchemaName: req.jsonSchema?.name ?? '',
    requiredCapabilities: req.capabilities ?? [],
    modelHint: req.model ?? '',
    maxTokens: req.maxTokens,
    temperature: req.temperature,
    noCache: false,
  };
}

function toEmbedRequest(scope: LlmScope, req: EmbedRequest, idempotencyKey: string): router.EmbedRequest {
  return { ...callOf(scope, idempotencyKey), texts: req.input, modelHint: req.model ?? '' };
}

/** Who a call is for and its idempotency key: the fields every router request carries. */
function callOf(scope: LlmScope, idempotencyKey: string) {
  return { tenantId: scope.tenantId, workflow: scope.workflow, agent: scope.agent, runId: scope.runId, step: scope.step, idempotencyKey, classification: scope.classification };
}
