/**
 * Kernel translation as data movement you can read. Every convention's kernel is a reshape,
 * a spatial flip or not, and an axis order of one "split" canonical form
 *
 *   [K_0 .. K_{r-1}, I, G, M]     (the canonical [K..., I, O] with O = G·M split per group)
 *
 * so the way from one convention's kernel to another's is: split the axes that must move
 * separately, flip the spatial axes if exactly one side is flipped, transpose, merge. The plan
 * is computed from the two forms, executed on the data, and printed from the same objects: the
 * words can't drift from what was done.
 */
import { flip, reshape, sizeOf, transpose, type Tensor } from '../core/tensor.js';

/**
 * A label of the split form: `S0`..`S{r-1}` (canonical spatial axes), `I` (input channels per
 * group), `G` (groups, present only when there are several), `M` (output channels per group).
 */
export type Label = string;

export interface KernelForm {
  /** The native axes in order, each the run of split labels it holds (merged row-major). */
  readonly axes: readonly (readonly Label[])[];
  /** Whether the native kernel is the canonical one mirrored along every spatial axis. */
  readonly flipped: boolean;
}

export type KernelOp =
  | { readonly kind: 'reshape'; readonly shape: readonly number[] }
  | { readonly kind: 'flip'; readonly axes: readonly number[] }
  | { readonly kind: 'transpose'; readonly perm: readonly number[] };

const spatial = (r: number): Label[][] => Array.from({ length: r }, (_, i) => [`S${i}`]);
const out = (g: number): Label[] => (g > 1 ? ['G', 'M'] : ['M']);

/** A kernel in canonical [K..., I, O] order up to a permutation: `perm[i]` is the native axis of canonical axis i. */
export function canonicalForm(perm: readonly number[], g: number): KernelForm {
  const r = perm.length - 2;
  const axes = new Array<Label[]>(r + 2);
  spatial(r).forEach((s, i) => (axes[perm[i]!] = s));
  axes[perm[r]!] = ['I'];
  axes[perm[r + 1]!] = out(g);
  return { axes, flipped: false };
}

/**
 * The kernel of a transposed conv written as the forward conv's kernel: mirrored, with the axis
 * the layout calls I holding the output channels and the one it calls O the input channels
 * (TF's [K..., out, in]; JAX conv_transpose with transpose_kernel). No groups.
 */
export function swappedForm(perm: readonly number[]): KernelForm {
  const r = perm.length - 2;
  const axes = new Array<Label[]>(r + 2);
  spatial(r).forEach((s, i) => (axes[perm[i]!] = s));
  axes[perm[r]!] = ['M'];
  axes[perm[r + 1]!] = ['I'];
  return { axes, flipped: true };
}

/** ONNX ConvTranspose / torch conv_transpose: [C_in = G·I, M, K...], mirrored. */
export function groupedTransposeForm(r: number, g: number): KernelForm {
  return { axes: [g > 1 ? ['G', 'I'] : ['I'], ['M'], ...spatial(r)], flipped: true };
}

/** tf.nn.depthwise_conv2d: [H, W, C = G, multiplier = M]; one input channel per group. */
export function depthwiseForm(g: number): KernelForm {
  return { axes: [...spatial(2), g > 1 ? ['G'] : ['I'], ['M']], flipped: false };
}

const ORDER = (l: Label) => (l.startsWith('S') ? Number(l.slice(1)) : 1000 + 'IGM'.indexOf(l));

export interface KernelPlan {
  readonly ops: readonly KernelOp[];
  readonly steps: readonly string[];
}

/**
 * Plans source native kernel -> target native kernel. `sizes` gives every label's extent,
 * `names` how to print each label (spatial letters, `O` or `M`).
 */
export function planKernel(src: KernelForm, tgt: KernelForm, sizes: Readonly<Record<Label, number>>, names: Readonly<Record<Label, string>>): KernelPlan {
  const T = tgt.axes.flat();
  const inT = (l: Label) => T.indexOf(l);
  // Units: runs of a source axis that stay together, in order, in the target. A source axis is
  // split only where the target separates its labels.
  let units: Label[][] = [];
  for (const axis of src.axes) {
    let run: Label[] = [axis[0]!];
    for (const l of axis.slice(1)) {
      const prev = run[run.length - 1]!;
      if (inT(prev) >= 0 && inT(l) === inT(prev) + 1) run.push(l);
      else {
        units.push(run);
        run = [l];
      }
    }
    units.push(run);
  }
  // Labels of size 1 that the source has no axis for (depthwise's I): insert where they belong.
  const have = new Set(src.axes.flat());
  for (const l of T.filter((x) => !have.has(x))) {
    const at = units.findIndex((u) => ORDER(u[0]!) > ORDER(l));
    units.splice(at < 0 ? units.length : at, 0, [l]);
  }
  const shapeOf = (us: readonly (readonly Label[])[]) => us.map((u) => u.reduce((a, l) => a * (sizes[l] ?? 1), 1));
  const name = (u: readonly Label[]) => unitName(u, names);
  const listOf = (us: readonly (readonly Label[])[]) => `(${us.map(name).join(', ')})`;
  const same = (a: readonly (readonly Label[])[], b: readonly (readonly Label[])[]) => a.length === b.length && a.every((u, i) => u.join() === b[i]!.join());

  const ops: KernelOp[] = [];
  const steps: string[] = [];
  const srcShape = shapeOf(src.axes);
  if (!same(units, src.axes)) {
    ops.push({ kind: 'reshape', shape: shapeOf(units) });
    steps.push(`reshape ${listOf(src.axes)} [${srcShape.join(', ')}] -> ${listOf(units)} [${shapeOf(units).join(', ')}]`);
  }
  if (src.flipped !== tgt.flipped) {
    const axes = units.flatMap((u, i) => (u[0]!.startsWith('S') ? [i] : []));
    if (axes.length > 0) {
      ops.push({ kind: 'flip', axes });
      steps.push(`flip ${axes.length === 1 ? 'axis' : 'axes'} ${axes.join(', ')} (${axes.map((a) => name(units[a]!)).join(', ')})`);
    }
  }
  // Target order; labels the target has no axis for (size 1) go last and vanish in the merge.
  const rank = (u: readonly Label[]) => (inT(u[0]!) < 0 ? Infinity : inT(u[0]!));
  const perm = units.map((_, i) => i).sort((a, b) => rank(units[a]!) - rank(units[b]!));
  if (perm.some((p, i) => p !== i)) {
    const moved = perm.map((p) => units[p]!);
    ops.push({ kind: 'transpose', perm });
    steps.push(`transpose ${listOf(units)} -> ${listOf(moved)}: axes (${perm.join(', ')})`);
    units = moved;
  }
  if (!same(units, tgt.axes)) {
    const shape = shapeOf(tgt.axes);
    // A bare reshape of the source (no flip, no transpose) reads better as one step.
    if (ops.length === 1 && ops[0]!.kind === 'reshape') {
      ops.length = 0;
      steps.length = 0;
      ops.push({ kind: 'reshape', shape });
      steps.push(`reshape ${listOf(src.axes)} [${srcShape.join(', ')}] -> ${listOf(tgt.axes)} [${shape.join(', ')}]`);
    } else if (shapeOf(units).join() !== shape.join() || ops.length === 0) {
      ops.push({ kind: 'reshape', shape });
      steps.push(`reshape ${listOf(units)} [${shapeOf(units).join(', ')}] -> ${listOf(tgt.axes)} [${shape.join(', ')}]`);
    } else {
      ops.push({ kind: 'reshape', shape });
      steps.push(`read ${listOf(units)} as ${listOf(tgt.axes)} (merge axes, same shape)`);
    }
  }
  return { ops, steps };
}

function unitName(u: readonly Label[], names: Readonly<Record<Label, string>>): string {
  if (u.join() === 'G,M') return 'O';
  if (u.join() === 'G,I') return 'C';
  return u.map((l) => names[l] ?? l).join('·');
}

/** Executes a plan on a kernel tensor. */
export function applyKernelOps(t: Tensor, ops: readonly KernelOp[]): Tensor {
  let k = t;
  for (const op of ops) {
    if (op.kind === 'reshape') {
      if (sizeOf(op.shape) !== k.data.length) throw new Error(`internal: kernel reshape [${k.shape.join(', ')}] -> [${op.shape.join(', ')}]`);
      k = reshape(k, op.shape);
    } else if (op.kind === 'flip') k = flip(k, op.axes);
    else k = transpose(k, op.perm);
  }
  return k;
}
