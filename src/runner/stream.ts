/**
 * A cell's inputs in fast-check's own order for its seed, read a few ahead. The search keeps
 * several checks in flight, but fast-check hands out one value per predicate call and waits for
 * its answer; so one fc.check is the producer, parked after each value until the search wants
 * more. Index i of this stream is the value `fc.check({ seed, path: String(i) })` starts from,
 * which is how a failure found here is shrunk and replayed.
 */
import fc from 'fast-check';

export interface ValueStream {
  /** The next value (boxed: undefined is a value some arbitraries draw), or undefined at the end. */
  next(): Promise<{ readonly value: unknown } | undefined>;
  /** No more values wanted: the producer is parked for good and left to the garbage collector. */
  stop(): void;
}

export function valueStream(arb: fc.Arbitrary<unknown>, seed: number, numRuns: number): ValueStream {
  const ready: Array<{ readonly value: unknown }> = [];
  let ended = false;
  let stopped = false;
  let wake: (() => void) | undefined;
  let resume: (() => void) | undefined;
  const never = new Promise<boolean>(() => undefined);
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  void fc
    .check(
      fc.asyncProperty(arb, async (v) => {
        if (stopped) return never;
        ready.push({ value: v });
        poke();
        // One value ahead of the consumer is enough: generation is cheap next to a check.
        await new Promise<void>((r) => (resume = r));
        return stopped ? never : true;
      }),
      { seed, numRuns },
    )
    .finally(() => {
      ended = true;
      poke();
    });
  return {
    async next() {
      for (;;) {
        if (ready.length > 0) {
          const v = ready.shift();
          const r = resume;
          resume = undefined;
          r?.();
          return v;
        }
        if (ended || stopped) return undefined;
        await new Promise<void>((r) => (wake = r));
      }
    },
    stop() {
      stopped = true;
      const r = resume;
      resume = undefined;
      r?.();
    },
  };
}
