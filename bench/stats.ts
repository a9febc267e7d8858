/** Timing helpers for the benchmarks: medians of repeated runs, side by side in one process. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function timeIt(reps: number, f: () => unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await f();
    out.push(performance.now() - t);
  }
  return out;
}

export const ms = (x: number) => `${x.toFixed(1)} ms`;
