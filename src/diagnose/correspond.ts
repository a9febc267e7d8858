/**
 * How B's tensors were made from A's: an axis permutation and a set of reversed axes that turn
 * A's given tensor into B's, found by trying them on the data. The random half of a proof replays
 * the same rearrangement on fresh data, so it checks the procedure (e.g. "rot90 twice, then
 * declare WIO"), not one pair of arrays.
 */
import { flip, transpose, type Tensor } from '../core/tensor.js';

export interface Rearrangement {
  /** b = flip(transpose(a, perm), flips) */
  readonly perm: readonly number[];
  readonly flips: readonly number[];
}

export function applyRearrangement(t: Tensor, r: Rearrangement): Tensor {
  return flip(transpose(t, r.perm), r.flips);
}

export const isIdentity = (r: Rearrangement) => r.flips.length === 0 && r.perm.every((p, i) => p === i);

/** `axes 0, 1 reversed`, `transposed (0, 2, 1)`, `transposed (1, 0, 2), then axis 0 reversed`. */
export function describeRearrangement(r: Rearrangement): string {
  const parts: string[] = [];
  if (!r.perm.every((p, i) => p === i)) parts.push(`transposed (${r.perm.join(', ')})`);
  if (r.flips.length) parts.push(`${r.flips.length === 1 ? 'axis' : 'axes'} ${r.flips.join(', ')} reversed`);
  return parts.length ? parts.join(', then ') : 'the same array';
}

/** The rearrangement as numpy code applied to `name`: `np.flip(a.transpose(1, 0, 2), (0,))`. */
export function rearrangementCode(name: string, r: Rearrangement): string {
  let e = r.perm.every((p, i) => p === i) ? name : `${name}.transpose(${r.perm.join(', ')})`;
  if (r.flips.length) e = `np.flip(${e}, (${r.flips.join(', ')}${r.flips.length === 1 ? ',' : ''}))`;
  return e;
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  const rec = (prefix: number[], rest: number[]) => {
    if (!rest.length) out.push(prefix);
    rest.forEach((x, i) => rec([...prefix, x], [...rest.slice(0, i), ...rest.slice(i + 1)]));
  };
  rec([], Array.from({ length: n }, (_, i) => i));
  return out;
}

function subsets(items: readonly number[]): number[][] {
  const out: number[][] = [];
  for (let m = 0; m < 1 << items.length; m++) out.push(items.filter((_, i) => m & (1 << i)));
  return out.sort((a, b) => a.length - b.length);
}

const same = (a: Tensor, b: Tensor) =>
  a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]) && a.data.every((v, i) => v === b.data[i] || (Number.isNaN(v) && Number.isNaN(b.data[i]!)));

/**
 * Every rearrangement (up to `cap`) that maps `a` onto `b`, simplest first: identity, then fewer
 * reversed axes, then permutations in lexicographic order. Flips of axes of size 1 are not tried.
 */
export function findRearrangements(a: Tensor, b: Tensor, opts: { flips: boolean; cap?: number }): Rearrangement[] {
  const cap = opts.cap ?? 12;
  if (a.shape.length !== b.shape.length || a.data.length !== b.data.length || a.shape.length > 6) return [];
  const sorted = (t: Tensor) => Array.from(t.data).sort((x, y) => x - y).join();
  if (sorted(a) !== sorted(b)) return [];
  const found: Array<Rearrangement & { cost: number }> = [];
  for (const perm of permutations(a.shape.length)) {
    if (!perm.every((p, i) => a.shape[p] === b.shape[i])) continue;
    // Axes of size 1 can be exchanged without moving any data: keep them in order, one perm per class.
    const ones = perm.filter((_, i) => b.shape[i] === 1);
    if (ones.some((p, j) => j > 0 && p < ones[j - 1]!)) continue;
    const moved = transpose(a, perm);
    const axes = b.shape.flatMap((d, i) => (d > 1 ? [i] : []));
    for (const flips of opts.flips ? subsets(axes) : [[]]) {
      if (same(flip(moved, flips), b)) {
        found.push({ perm, flips, cost: flips.length * 10 + (perm.every((p, i) => p === i) ? 0 : 1) });
      }
    }
  }
  return found
    .sort((x, y) => x.cost - y.cost)
    .slice(0, cap)
    .map(({ perm, flips }) => ({ perm, flips }));
}
