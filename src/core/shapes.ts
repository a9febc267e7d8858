/**
 * All shape and padding arithmetic of convcheck lives in this file. Conventions derive their
 * canonical parameters through the helpers here, and `convInfo` is the one function that turns a
 * canonical spec plus operand shapes into every derived size. Nothing else does padding algebra.
 */
import { ConvError, LimitError, show } from './errors.js';

/** A signed [low, high] padding pair; a negative amount crops. */
export type PadPair = readonly [number, number];

/**
 * The canonical operation, shaped like XLA's ConvGeneralDilated. Operands are in the canonical
 * channels-last layouts: lhs [N, S1..Sr, C], rhs [K1..Kr, I, O], output [N', S'1..S'r, O].
 */
export interface ConvSpec {
  readonly windowStrides: readonly number[];
  readonly padding: readonly PadPair[];
  readonly lhsDilation: readonly number[];
  readonly rhsDilation: readonly number[];
  readonly featureGroupCount: number;
  readonly batchGroupCount: number;
}

/** Everything derived from a spec and the operand shapes, computed once. */
export interface ConvInfo {
  readonly rank: number;
  readonly batch: number;
  readonly inChannels: number;
  /** Kernel input features per group (rhs axis I). */
  readonly kernelInChannels: number;
  readonly outChannels: number;
  readonly outBatch: number;
  readonly inSpatial: readonly number[];
  readonly kernelSpatial: readonly number[];
  /** Size of each input axis after lhs dilation: (L-1)·d+1, or 0 for an empty axis. */
  readonly dilatedIn: readonly number[];
  /** Size of each kernel axis after rhs dilation: (K-1)·d+1. */
  readonly effectiveKernel: readonly number[];
  readonly padding: readonly PadPair[];
  /** Dilated input plus signed padding. */
  readonly paddedIn: readonly number[];
  readonly outSpatial: readonly number[];
  /** Canonical output shape [N', S'..., O]. */
  readonly outShape: readonly number[];
}

export function dilatedSize(size: number, dilation: number): number {
  return size === 0 ? 0 : (size - 1) * dilation + 1;
}

/** Output size of a valid strided window over `padded` elements; 0 when the window does not fit. */
export function windowCount(padded: number, effKernel: number, stride: number): number {
  return padded < effKernel ? 0 : Math.floor((padded - effKernel) / stride) + 1;
}

function checkPositiveInts(op: string, arg: string, v: readonly number[], rank: number): void {
  if (v.length !== rank) throw new ConvError(op, arg, `must have ${rank} entries, got ${show(v)}`);
  if (v.some((x) => !Number.isInteger(x) || x < 1)) throw new ConvError(op, arg, `must be positive integers, got ${show(v)}`);
}

/**
 * Validates a canonical spec against operand shapes and derives all sizes (XLA's shape rule).
 * `op` names the user-facing op so errors point at what the user wrote.
 */
export function convInfo(op: string, lhsShape: readonly number[], rhsShape: readonly number[], spec: ConvSpec): ConvInfo {
  const rank = lhsShape.length - 2;
  if (rank < 0 || rhsShape.length !== lhsShape.length) {
    throw new ConvError(op, 'operands', `must have the same rank >= 2, got lhs ${show(lhsShape)} and rhs ${show(rhsShape)}`);
  }
  checkPositiveInts(op, 'window_strides', spec.windowStrides, rank);
  checkPositiveInts(op, 'lhs_dilation', spec.lhsDilation, rank);
  checkPositiveInts(op, 'rhs_dilation', spec.rhsDilation, rank);
  if (spec.padding.length !== rank || spec.padding.some((p) => p.length !== 2 || !p.every(Number.isInteger))) {
    throw new ConvError(op, 'padding', `must be ${rank} integer (low, high) pairs, got ${show(spec.padding)}`);
  }
  const fgc = spec.featureGroupCount;
  const bgc = spec.batchGroupCount;
  if (!Number.isInteger(fgc) || fgc < 1) throw new ConvError(op, 'feature_group_count', `must be a positive integer, got ${fgc}`);
  if (!Number.isInteger(bgc) || bgc < 1) throw new ConvError(op, 'batch_group_count', `must be a positive integer, got ${bgc}`);
  if (fgc > 1 && bgc > 1) {
    throw new ConvError(op, 'feature_group_count', `(${fgc}) and batch_group_count (${bgc}) cannot both exceed 1`);
  }
  const batch = lhsShape[0]!;
  const inChannels = lhsShape[rank + 1]!;
  const kernelInChannels = rhsShape[rank]!;
  const outChannels = rhsShape[rank + 1]!;
  if (inChannels % fgc !== 0) {
    throw new ConvError(op, 'feature_group_count', `(${fgc}) must divide the input features (${inChannels})`);
  }
  if (inChannels / fgc !== kernelInChannels) {
    throw new ConvError(
      op,
      'rhs',
      `input features (${kernelInChannels}) must equal input features of lhs (${inChannels}) / feature_group_count (${fgc})`,
    );
  }
  if (outChannels % fgc !== 0) {
    throw new ConvError(op, 'feature_group_count', `(${fgc}) must divide the output features (${outChannels})`);
  }
  if (batch % bgc !== 0) throw new ConvError(op, 'batch_group_count', `(${bgc}) must divide the batch size (${batch})`);
  if (outChannels % bgc !== 0) {
    throw new ConvError(op, 'batch_group_count', `(${bgc}) must divide the output features (${outChannels})`);
  }
  const inSpatial = lhsShape.slice(1, rank + 1);
  const kernelSpatial = rhsShape.slice(0, rank);
  const dilatedIn = inSpatial.map((l, i) => dilatedSize(l, spec.lhsDilation[i]!));
  const effectiveKernel = kernelSpatial.map((k, i) => dilatedSize(k, spec.rhsDilation[i]!));
  const paddedIn = dilatedIn.map((l, i) => l + spec.padding[i]![0] + spec.padding[i]![1]);
  paddedIn.forEach((p, i) => {
    if (p < 0) {
      throw new ConvError(op, 'padding', `${show(spec.padding[i])} crops more than axis ${i} has (${dilatedIn[i]} after dilation)`);
    }
  });
  const outSpatial = paddedIn.map((p, i) => windowCount(p, effectiveKernel[i]!, spec.windowStrides[i]!));
  const outBatch = batch / bgc;
  checkCost(op, lhsShape, rhsShape, { batch, inChannels, kernelInChannels, outChannels, kernelSpatial, dilatedIn, paddedIn, outSpatial, outBatch, groups: fgc * bgc });
  return {
    rank,
    batch,
    inChannels,
    kernelInChannels,
    outChannels,
    outBatch,
    inSpatial,
    kernelSpatial,
    dilatedIn,
    effectiveKernel,
    padding: spec.padding,
    paddedIn,
    outSpatial,
    outShape: [outBatch, ...outSpatial, outChannels],
  };
}

// ---------------------------------------------------------------------------------------------
// The memory guard. A 200-byte case can ask for a 2^53-element output (a huge padding, dilation
// or output_shape, or a zero batch beside a huge axis), so every size the reference would
// allocate is estimated here, from the shapes alone, before anything is allocated.

/** Default of `--max-elements`: 2^22 float64 values (32 MiB) per tensor or intermediate. */
export const DEFAULT_MAX_ELEMENTS = 1 << 22;
/** Multiply-adds allowed per call, per allowed element: keeps one call to seconds, not hours. */
export const WORK_PER_ELEMENT = 256;

let maxElements = DEFAULT_MAX_ELEMENTS;

/** Sets the element limit for this process (the CLI's `--max-elements`); returns the old one. */
export function setMaxElements(n: number): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`max elements must be a positive integer, got ${n}`);
  const old = maxElements;
  maxElements = n;
  return old;
}

export function getMaxElements(): number {
  return maxElements;
}

const count = (n: number): string => (n < 1e15 ? String(n) : n.toExponential(3));
const product = (v: readonly number[]): number => v.reduce((a, b) => a * b, 1);

type CostInputs = Pick<ConvInfo, 'batch' | 'inChannels' | 'kernelInChannels' | 'outChannels' | 'kernelSpatial' | 'dilatedIn' | 'paddedIn' | 'outSpatial' | 'outBatch'> & {
  readonly groups: number;
};

/**
 * Refuses (LimitError) a call whose operands, dilated or padded input, output, per-axis index
 * tables or multiply-add count exceed the limits. Axis lengths count on their own, because an
 * empty tensor (a zero batch) can still have an axis of 2^53 and the reference builds per-axis
 * tables. Plain float arithmetic is fine here: past 2^53 it is inexact but still far too big.
 */
export function checkCost(op: string, lhsShape: readonly number[], rhsShape: readonly number[], c: CostInputs): void {
  const limit = maxElements;
  const refuse = (what: string, n: number): never => {
    throw new LimitError(op, `${what} would have ${count(n)} elements, more than the limit of ${limit} (--max-elements)`);
  };
  const tensors: Array<[string, readonly number[]]> = [
    ['lhs', lhsShape],
    ['rhs', rhsShape],
    ['the dilated input', [c.batch, ...c.dilatedIn, c.inChannels]],
    ['the padded input', [c.batch, ...c.paddedIn, c.inChannels]],
    ['the output', [c.outBatch, ...c.outSpatial, c.outChannels]],
  ];
  for (const [what, shape] of tensors) {
    const n = product(shape);
    if (n > limit) refuse(`${what} [${shape.join(', ')}]`, n);
    shape.forEach((d, i) => {
      if (d > limit) refuse(`axis ${i} of ${what}`, d);
    });
  }
  const positions = product(c.outSpatial);
  if (positions > limit) refuse('the table of output positions', positions);
  const taps = product(c.kernelSpatial);
  if (taps > limit) refuse('the kernel window', taps);
  const work = c.outBatch * c.groups * positions * taps * Math.max(c.kernelInChannels, 1) * Math.max(c.outChannels / c.groups, 1);
  if (work > limit * WORK_PER_ELEMENT) {
    throw new LimitError(op, `would take about ${count(work)} multiply-adds, more than the limit of ${limit * WORK_PER_ELEMENT} (${WORK_PER_ELEMENT} × --max-elements)`);
  }
}

// ---------------------------------------------------------------------------------------------
// Padding rules of the conventions. Each returns per-axis pads of the *forward* convolution.

/**
 * "SAME" as TF, JAX and ONNX define it for a forward conv: out = ceil(in / s), total padding
 * max(0, (out-1)·s + k_eff - in), the odd element at the end (upper) or the start (lower).
 */
export function samePadding(inSize: number, effKernel: number, stride: number, lower = false): PadPair {
  const out = Math.ceil(inSize / stride);
  const total = Math.max(0, (out - 1) * stride + effKernel - inSize);
  const small = Math.floor(total / 2);
  return lower ? [total - small, small] : [small, total - small];
}

/**
 * Lowers a transposed convolution to the canonical op. A transposed conv is the adjoint of a
 * forward conv that maps `outSize` elements (padded by `forwardPad`) to `inSize` elements.
 * Its canonical form dilates the input by the stride, and pads it so that a valid window of
 * the (flipped) kernel yields `outSize` values:
 *
 *   low  = k_eff - 1 - forwardPad[0]                  (the first output sees the low pad)
 *   high = outSize + k_eff - 1 - low - ((in - 1)·s + 1)
 *
 * `high` absorbs what the forward conv never reached (output_padding, an odd output_shape), and
 * goes negative to crop. With ONNX's pads and output_padding it reduces to k_eff - 1 - end + adj.
 */
export function transposePadding(inSize: number, outSize: number, effKernel: number, stride: number, forwardLow: number): PadPair {
  const low = effKernel - 1 - forwardLow;
  const high = outSize + effKernel - 1 - low - dilatedSize(inSize, stride);
  return [low, high];
}

/** Output size of a transposed conv from its forward padding: (in-1)·s + k_eff - low - high + adj. */
export function transposeOutSize(inSize: number, effKernel: number, stride: number, pads: PadPair, outputPadding = 0): number {
  return (inSize - 1) * stride + effKernel - pads[0] - pads[1] + outputPadding;
}
