import { router } from '@weaver/contracts';
import type { LlmClientFactory, LlmScope } from '@weaver/agent-runtime';
import { llmClientFrom, type LlmClient, type LlmMessage, type LlmRequest, type LlmResponse } from '@weaver/sdk';
import { tenantMetadata, unary } from '@weaver/service-kit';

const ROLES: Record<LlmMessage['role'], router.Role> = {
  system: router.Role.ROLE_SYSTEM,
  user: router.Role.ROLE_USER,
  assistant: router.Role.ROLE_ASSISTANT,
  tool: router.Role.ROLE_TOOL,
};

/**
 * `this.llm` for one step: every call goes through the router service with an idempotency key
 * of (tenant, run, step, call number). A step re-executed after a crash makes the same calls in
 * the same order, so the router answers them from its record and bills nothing twice.
 */
export function routerLlm(client: router.RouterServiceClient): LlmClientFactory {
  return (scope: LlmScope): LlmClient => {
    let call = 0;
    return llmClientFrom({
      generate: async (req: LlmRequest): Promise<LlmResponse> => {
        call += 1;
        const request = toRequest(scope, req, `${scope.tenantId}/${scope.runId}/${scope.step}/${call}`);
        // The router takes the tenant from the metadata (vouched for by this runner's certificate).
        const res = await unary(client.generate(request, tenantMetadata(scope.tenantId)));
        return {
          text: res.content,
          toolCalls: res.toolCalls.map((t) => ({ id: t.id, name: t.name, arguments: t.argumentsJson })),
          model: res.model,
          usage: { inputTokens: res.usage?.inputTokens ?? 0, outputTokens: res.usage?.outputTokens ?? 0 },
          costUsd: res.usage?.costUsd ?? 0,
          replayed: res.replayed,
        };
      },
    });
  };
}

function toRequest(scope: LlmScope, req: LlmRequest, idempotencyKey: string): router.GenerateRequest {
  const messages: LlmMessage[] = [
    ...(req.system ? [{ role: 'system' as const, content: req.system }] : []),
    ...(req.messages ?? []),
    ...(req.prompt !== undefined ? [{ role: 'user' as const, content: req.prompt }] : []),
  ];
  return {
    tenantId: scope.tenantId,
    workflow: scope.workflow,
    agent: scope.agent,
    runId: scope.runId,
    step: scope.step,
    idempotencyKey,
    messages: messages.map((m) => ({ role: ROLES[m.role], content: m.content, toolCalls: [], toolCallId: m.toolCallId ?? '' })),
    tools: (req.tools ?? []).map((t) => ({ name: t.name, description: t.description ?? '', jsonSchema: JSON.stringify(t.parameters) })),
    jsonMode: req.json ?? false,
    requiredCapabilities: req.capabilities ?? [],
    classification: scope.classification,
    modelHint: req.model ?? '',
    maxTokens: req.maxTokens,
    temperature: req.temperature,
    noCache: false,
  };
}
