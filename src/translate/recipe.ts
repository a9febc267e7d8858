/**
 * Exact recipes around a translated call: a signed pad of its input before the call, a signed
 * crop of its output after it. Amounts are per axis of the translated call's own tensors (its
 * layout), so they read the way a user would write `np.pad` or a slice.
 */
import { sizeOf, stridesOf, type Tensor } from '../core/tensor.js';

/** A signed amount at both ends of one tensor axis. */
export interface AxisAmount {
  /** Axis of the tensor in the translated call's layout. */
  readonly axis: number;
  readonly lo: number;
  readonly hi: number;
}

export interface Recipe {
  /** Pad the translated call's input: positive adds zeros, negative removes elements. */
  readonly pad?: readonly AxisAmount[];
  /** Crop the translated call's output: positive removes elements, negative adds zeros. */
  readonly crop?: readonly AxisAmount[];
}

/**
 * Signed padding along arbitrary axes: out[..., j, ...] = t[..., j - lo, ...] where that index
 * exists, else 0. A negative `lo`/`hi` removes elements at that end.
 */
export function padAxes(t: Tensor, amounts: readonly AxisAmount[]): Tensor {
  const lo = new Array<number>(t.shape.length).fill(0);
  const shape = [...t.shape];
  for (const a of amounts) {
    lo[a.axis]! += a.lo;
    shape[a.axis]! += a.lo + a.hi;
    if (shape[a.axis]! < 0) throw new RangeError(`padAxes: axis ${a.axis} of [${t.shape.join(', ')}] cannot lose ${-(a.lo + a.hi)} elements`);
  }
  if (lo.every((x, i) => x === 0 && shape[i] === t.shape[i])) return t;
  const out = new Float64Array(sizeOf(shape));
  const inStrides = stridesOf(t.shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let dst = 0; dst < out.length; dst++) {
    let src = 0;
    let inside = true;
    for (let a = 0; a < shape.length; a++) {
      const j = idx[a]! - lo[a]!;
      if (j < 0 || j >= t.shape[a]!) {
        inside = false;
        break;
      }
      src += j * inStrides[a]!;
    }
    if (inside) out[dst] = t.data[src]!;
    for (let a = shape.length - 1; a >= 0; a--) {
      if (++idx[a]! < shape[a]!) break;
      idx[a] = 0;
    }
  }
  return { shape, data: out };
}

/** The input the translated call must be given: the recipe's pad applied (a no-op without one). */
export function padInput(x: Tensor, recipe?: Recipe): Tensor {
  return recipe?.pad ? padAxes(x, recipe.pad) : x;
}

/** The translated call's output brought back to the original's extent: the recipe's crop. */
export function cropOutput(y: Tensor, recipe?: Recipe): Tensor {
  return recipe?.crop ? padAxes(y, recipe.crop.map((c) => ({ axis: c.axis, lo: -c.lo, hi: -c.hi }))) : y;
}

/** `pad axis 2: 0 before, 1 after` — one line per axis that changes. */
export function describeAmounts(verb: 'pad' | 'crop', amounts: readonly AxisAmount[], names: readonly string[]): string[] {
  return amounts
    .filter((a) => a.lo !== 0 || a.hi !== 0)
    .map((a) => {
      const side = (n: number, where: string) => {
        if (n === 0) return `nothing ${where}`;
        const adds = verb === 'pad' ? n > 0 : n < 0;
        return `${adds ? 'add' : 'remove'} ${Math.abs(n)}${adds ? (Math.abs(n) === 1 ? ' zero' : ' zeros') : ''} ${where}`;
      };
      return `${verb} ${verb === 'pad' ? 'input' : 'output'} axis ${a.axis} (${names[a.axis]}): ${side(a.lo, 'at the start')}, ${side(a.hi, 'at the end')}`;
    });
}
