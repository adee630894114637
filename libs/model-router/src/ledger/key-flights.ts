/**
 * In-process ownership of idempotency keys. A second call with a key that a call in this process
 * is still working on waits for it instead of being refused as "in progress": once the first
 * call's response is recorded, every waiter is answered from that record (a replay, never a
 * second bill); if the first call failed (its key released), the next waiter takes the key over.
 * Across replicas the database claim still decides (a concurrent duplicate there is told to retry).
 */
export class KeyFlights {
  /** Resolves to true when the owner's response was recorded under the key. */
  private readonly owners = new Map<string, Promise<boolean>>();

  /** Waits for an owner of `key` to finish; returns `leave` when this call now owns it, undefined when it need only replay. */
  async enter(tenantId: string, key: string): Promise<((recorded: boolean) => void) | undefined> {
    const k = `${tenantId.toLowerCase()}\u0000${key}`;
    for (;;) {
      const owner = this.owners.get(k);
      if (!owner) break;
      if (await owner) return undefined;
    }
    let done!: (recorded: boolean) => void;
    const mine = new Promise<boolean>((resolve) => (done = resolve));
    this.owners.set(k, mine);
    return (recorded) => {
      if (this.owners.get(k) === mine) this.owners.delete(k);
      done(recorded);
    };
  }

  get size(): number {
    return this.owners.size;
  }
}
