/**
 * Requests costing more than COSTLY_REQUEST_COST (a quarter of the limit) run one at a time per user: the cost
 * limit bounds what one request may take, this bounds how many of them one person keeps running at once. A second
 * one waits for the first instead of doubling the load (the security review's stall came from two at a time).
 */
export const COSTLY_REQUEST_COST = 2500;

export class PerUserQueue {
  private readonly tails = new Map<string, Promise<void>>();

  /** Resolves when the user's earlier costly requests are done; call the returned function when this one is. */
  async enter(userId: string): Promise<() => void> {
    const before = this.tails.get(userId) ?? Promise.resolve();
    let leave!: () => void;
    const done = new Promise<void>((resolve) => (leave = resolve));
    const tail = before.then(() => done);
    this.tails.set(userId, tail);
    await before;
    return () => {
      leave();
      if (this.tails.get(userId) === tail) this.tails.delete(userId);
    };
  }
}
