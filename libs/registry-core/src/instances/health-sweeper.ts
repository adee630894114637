import type { HealthChange, InstanceDirectory } from './instance-directory';

/**
 * Runs `InstanceDirectory.sweep()` every `intervalMs`. Sweeps never overlap (the next one is
 * scheduled after the previous finished) and `stop()` waits for one in progress, so shutdown
 * does not close the database under a running sweep.
 */
export class HealthSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private active = false;

  constructor(
    private readonly directory: Pick<InstanceDirectory, 'sweep'>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
    private readonly onChanges: (changes: HealthChange[]) => void = () => undefined,
  ) {}

  start(): void {
    if (this.active) return;
    this.active = true;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.active = false;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (!this.active) return;
    this.timer = setTimeout(() => {
      this.running = this.directory
        .sweep()
        .then((changes) => changes.length > 0 && this.onChanges(changes), this.onError)
        .finally(() => {
          this.running = undefined;
          this.schedule();
        }) as Promise<void>;
    }, this.intervalMs);
  }
}
