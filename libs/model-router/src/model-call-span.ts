import { GenAiAttr, inSpan, isTracing, SpanKind, WeaverAttr, type Attributes, type Span } from '@weaver/observability';
import type { RoutedResult } from './routed-result';
import type { CallerContext } from './routing/route-request';

/** What a model call span reports once the call is answered (RoutedResult, or an embedding's outcome). */
export interface ModelCallOutcome {
  model: string;
  provider?: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  replayed: boolean;
  cached?: boolean;
  finishReason?: string;
}

type Operation = 'chat' | 'embeddings';

/**
 * One span per model call through the router, with the GenAI semantic conventions: named
 * `<operation> <requested model>` (`auto` when the router picks), CLIENT kind (the provider is
 * the remote end), tokens and cost set from the billed answer. A replayed (idempotency record)
 * or cached answer is marked so: it called no provider and cost nothing.
 */
export function inModelCallSpan<T>(operation: Operation, call: CallerContext & { modelHint?: string; maxTokens?: number; temperature?: number }, work: (span: Span) => Promise<T>): Promise<T> {
  if (!isTracing()) return inSpan('', {}, work); // off: no attribute object built per call
  const requested = call.modelHint || 'auto';
  const attributes: Attributes = {
    [GenAiAttr.operation]: operation,
    [GenAiAttr.requestModel]: requested,
    [WeaverAttr.tenant]: call.tenantId,
    [WeaverAttr.run]: call.runId,
    [WeaverAttr.workflow]: call.workflow,
    [WeaverAttr.agent]: call.agent,
    [WeaverAttr.step]: call.step,
    ...(call.maxTokens !== undefined ? { [GenAiAttr.maxTokens]: call.maxTokens } : {}),
    ...(call.temperature !== undefined ? { [GenAiAttr.temperature]: call.temperature } : {}),
  };
  return inSpan(`${operation} ${requested}`, { kind: SpanKind.CLIENT, attributes }, work);
}

/** The answer's attributes on the call's span. */
export function recordModelCall(span: Span, out: ModelCallOutcome): void {
  if (!span.isRecording()) return;
  span.setAttributes({
    [GenAiAttr.responseModel]: out.model,
    ...(out.provider ? { [GenAiAttr.provider]: out.provider, [GenAiAttr.system]: out.provider } : {}),
    [GenAiAttr.inputTokens]: out.inputTokens,
    [GenAiAttr.outputTokens]: out.outputTokens,
    [WeaverAttr.costUsd]: out.costUsd,
    [WeaverAttr.replayed]: out.replayed,
    [WeaverAttr.cached]: out.cached ?? false,
    ...(out.finishReason ? { [GenAiAttr.finishReasons]: [out.finishReason] } : {}),
  });
}

export const routedOutcome = (r: RoutedResult): ModelCallOutcome => ({ ...r, finishReason: r.finishReason });
