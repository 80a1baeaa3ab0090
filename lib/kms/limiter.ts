/** A counting semaphore: at most `limit` tasks run at once; the others wait in FIFO order. */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`Limiter needs a positive limit, got ${limit}`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/** Runs `task` under every limiter in order (e.g. the region's and the process-wide one). */
export function underAll<T>(limiters: Limiter[], task: () => Promise<T>): Promise<T> {
  return limiters.reduceRight<() => Promise<T>>((inner, limiter) => () => limiter.run(inner), task)();
}

/** Maps `items` with at most `concurrency` calls of `fn` in flight, keeping the input order. */
export async function mapConcurrent<T, R>(
  items: T[],
  concurrency: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
