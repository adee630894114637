import type { Logger } from '@weaver/observability';
import type { OutboxClaim, TriggerOutbox } from '@weaver/runs';
import type { HeldTrigger, TriggerSender } from './trigger-sender';

export interface TriggerRelayOptions {
  /** Pause between sweeps that found nothing more to do. */
  intervalMs: number;
  /** Entries claimed per sweep (one claim statement, one read per tenant, one send). */
  batchSize?: number;
  logger?: Logger;
}

export interface SweepResult {
  resent: number;
  dropped: number;
  failed: number;
}

/**
 * The gateway's background re-sender: the reason a recorded run gets its trigger even when the
 * client never retries (the broker was down, or the gateway died between recording the run and
 * sending). Each sweep claims due outbox entries of every tenant (`SKIP LOCKED`, so gateway
 * replicas share the work), drops those whose run already left `pending`, and re-sends the rest
 * in one batch, rebuilt from the recorded run.
 */
export class TriggerRelay {
  private running: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly outbox: TriggerOutbox,
    private readonly sender: TriggerSender,
    private readonly options: TriggerRelayOptions,
  ) {}

  start(): void {
    this.stopping = false;
    this.running ??= this.loop();
  }

  /** Finishes the sweep in progress (its send settles or hits its deadline) and stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = null;
  }

  async sweep(): Promise<SweepResult> {
    const claims = await this.outbox.claimDue(this.batchSize);
    if (!claims.length) return { resent: 0, dropped: 0, failed: 0 };
    const held: HeldTrigger[] = [];
    const movedOn: OutboxClaim[] = [];
    for (const [tenantId, ofTenant] of byTenant(claims)) {
      const pending = new Map((await this.outbox.pendingTriggers(tenantId, ofTenant.map((c) => c.runId))).map((t) => [t.runId, t]));
      for (const claim of ofTenant) {
        const trigger = pending.get(claim.runId);
        if (trigger) held.push({ claim, trigger });
        else movedOn.push(claim);
      }
    }
    await this.outbox.settle(movedOn, 'run-left-pending');
    if (!held.length) return { resent: 0, dropped: movedOn.length, failed: 0 };
    const outcome = await this.sender.send(held);
    if (!outcome.sent) this.options.logger?.warn({ triggers: held.length, cause: outcome.cause }, 'trigger relay: re-send failed; will try again');
    return outcome.sent ? { resent: held.length, dropped: movedOn.length, failed: 0 } : { resent: 0, dropped: movedOn.length, failed: held.length };
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 200;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let full = false;
      try {
        const r = await this.sweep();
        full = r.resent + r.dropped === this.batchSize; // more may be due: sweep again at once
        if (r.resent || r.dropped) this.options.logger?.info(r, 'trigger relay: settled unsent triggers');
      } catch (error) {
        this.options.logger?.warn({ err: error }, 'trigger relay: sweep failed; will try again');
      }
      if (!full && !this.stopping) await this.pause();
    }
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, this.options.intervalMs);
      this.wake = done;
    });
  }
}

function byTenant(claims: OutboxClaim[]): Map<string, OutboxClaim[]> {
  const out = new Map<string, OutboxClaim[]>();
  for (const c of claims) {
    const list = out.get(c.tenantId) ?? [];
    list.push(c);
    out.set(c.tenantId, list);
  }
  return out;
}
