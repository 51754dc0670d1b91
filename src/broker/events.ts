// Wake-ups for long-polling fetches: a fetch waiting for data registers here and is resolved on the
// next append to any partition it reads, or on its timeout.

type Waiter = () => void;

export class AppendNotifier {
  private readonly waiters = new Map<string, Set<Waiter>>();

  private static key(topic: string, partition: number): string {
    return `${topic}\u0000${partition}`;
  }

  /** Resolves after an append to any of the partitions, or after timeoutMs. */
  waitForAppend(partitions: Iterable<readonly [string, number]>, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const keys: string[] = [];
      const wake: Waiter = () => {
        clearTimeout(timer);
        for (const key of keys) {
          const set = this.waiters.get(key);
          set?.delete(wake);
          if (set?.size === 0) this.waiters.delete(key);
        }
        resolve();
      };
      for (const [topic, partition] of partitions) {
        const key = AppendNotifier.key(topic, partition);
        keys.push(key);
        let set = this.waiters.get(key);
        if (!set) this.waiters.set(key, (set = new Set()));
        set.add(wake);
      }
      const timer = setTimeout(wake, timeoutMs);
    });
  }

  appended(topic: string, partition: number): void {
    if (this.waiters.size === 0) return;
    const set = this.waiters.get(AppendNotifier.key(topic, partition));
    if (!set) return;
    for (const wake of [...set]) wake();
  }

  /** Releases every waiter, for shutdown. */
  wakeAll(): void {
    for (const set of [...this.waiters.values()]) for (const wake of [...set]) wake();
  }
}
