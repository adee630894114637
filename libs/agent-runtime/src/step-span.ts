import { activeSpan, isTracing, WeaverAttr } from '@weaver/observability';
import type { Envelope } from '@weaver/messaging';

/**
 * Names the span the event layer opened for this record (one per step, see consumeSpan in
 * @weaver/messaging) after what it is — `step <agent>` or `dispatch <workflow>` — and labels
 * it with the run. Nothing to do when tracing is off.
 */
export function labelStepSpan(name: string, env: Pick<Envelope, 'tenantId' | 'runId' | 'workflow' | 'id' | 'type'>, extra: Record<string, string | number> = {}): void {
  if (!isTracing()) return;
  const span = activeSpan();
  span.updateName(name);
  span.setAttributes({
    [WeaverAttr.tenant]: env.tenantId,
    [WeaverAttr.run]: env.runId,
    [WeaverAttr.workflow]: env.workflow,
    [WeaverAttr.eventId]: env.id,
    [WeaverAttr.eventType]: env.type,
    ...extra,
  });
}
