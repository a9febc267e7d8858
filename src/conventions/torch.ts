/**
 * PyTorch (`torch.nn.functional`) conventions. Layouts are NC… / OI…; conv_transpose weights are
 * [C_in, C_out/groups, K...]. Padding is symmetric; 'same' splits k_eff - 1 with the odd
 * element at the end, and is refused for strided convs. A transposed conv pads its *forward*
 * conv by `padding`, and output_padding adds rows at the high end only.
 */
import { ConvError, show } from '../core/errors.js';
import { dilatedSize, transposeOutSize, transposePadding, type PadPair } from '../core/shapes.js';
import { flip, reshape } from '../core/tensor.js';
import { Attrs } from './attrs.js';
import { channelsFirst, groupedTransposeKernel, kernelOIFirst, kernelSpatialFirst, range, type ConvCall, type Lowering } from './lowering.js';

const CONV = { attrs: ['stride', 'padding', 'dilation', 'groups'], inputs: ['input', 'weight'], optional: ['bias'] } as const;
const CONVT = { attrs: ['stride', 'padding', 'output_padding', 'groups', 'dilation'], inputs: ['input', 'weight'], optional: ['bias'] } as const;
export const TORCH_OPS = {
  conv1d: CONV,
  conv2d: CONV,
  conv3d: CONV,
  conv_transpose1d: CONVT,
  conv_transpose2d: CONVT,
  conv_transpose3d: CONVT,
} as const;

export function lowerTorch(call: ConvCall): Lowering {
  const op = `torch.nn.functional.${call.op}`;
  const a = new Attrs(op, call.attrs);
  const r = Number(call.op.match(/(\d)d$/)![1]);
  const transposed = call.op.startsWith('conv_transpose');
  let input = call.inputs['input']!;
  const weight = call.inputs['weight']!;
  const bias = call.inputs['bias'];
  if (weight.shape.length !== r + 2) throw new ConvError(op, 'weight', `must have rank ${r + 2}, got [${weight.shape.join(', ')}]`);
  const unbatched = input.shape.length === r + 1;
  if (unbatched) input = reshape(input, [1, ...input.shape]);
  else if (input.shape.length !== r + 2) {
    throw new ConvError(op, 'input', `must be ${r + 1}-D (unbatched) or ${r + 2}-D (batched), got [${input.shape.join(', ')}]`);
  }
  const C = input.shape[1]!;
  const inSp = input.shape.slice(2);
  const kSp = weight.shape.slice(2);
  const stride = expand(a, 'stride', r);
  const dilation = expand(a, 'dilation', r);
  if (stride.some((s) => s < 1)) throw a.reject('stride', `non-positive stride is not supported, got ${show(stride)}`);
  if (dilation.some((d) => d < 1)) throw a.reject('dilation', `must be positive, got ${show(dilation)}`);
  const groups = a.int('groups', 1);
  if (groups < 1) throw a.reject('groups', `non-positive groups is not supported, got ${groups}`);
  const effK = kSp.map((k, i) => dilatedSize(k, dilation[i]!));
  const outC = transposed ? weight.shape[1]! * groups : weight.shape[0]!;
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== outC)) {
    throw new ConvError(op, 'bias', `must have shape [${outC}], got [${bias.shape.join(', ')}]`);
  }
  const common = { op, lhs: input, ...(bias ? { bias } : {}), ...(unbatched ? { unbatched: true } : {}) };

  if (!transposed) {
    if (C !== weight.shape[1]! * groups) {
      throw new ConvError(op, 'input', `expected ${weight.shape[1]! * groups} channels (weight [${weight.shape.join(', ')}] × groups ${groups}), got ${C}`);
    }
    if (outC % groups !== 0) throw new ConvError(op, 'weight', `output channels (${outC}) must be divisible by groups (${groups})`);
    const pads = forwardPadding(a, r, stride, effK);
    pads.forEach((p, i) => {
      if (inSp[i]! + p[0] + p[1] < effK[i]!) {
        throw new ConvError(op, 'input', `padded size ${inSp[i]! + p[0] + p[1]} on spatial axis ${i}: kernel size (${effK[i]} after dilation) can't be greater than actual input size`);
      }
    });
    return {
      ...common,
      rhs: weight,
      layout: { lhs: channelsFirst(r), rhs: kernelOIFirst(r), out: channelsFirst(r) },
      spec: { windowStrides: stride, padding: pads, lhsDilation: ones(r), rhsDilation: dilation, featureGroupCount: groups, batchGroupCount: 1 },
      kernelSteps: [],
    };
  }

  if (weight.shape[0] !== C) throw new ConvError(op, 'weight', `first axis (${weight.shape[0]}) must equal the input channels (${C})`);
  const padding = expand(a, 'padding', r);
  if (padding.some((p) => p < 0)) throw a.reject('padding', `negative padding is not supported, got ${show(padding)}`);
  const outputPadding = expand(a, 'output_padding', r, 0);
  outputPadding.forEach((p, i) => {
    if (p < 0 || (p >= stride[i]! && p >= dilation[i]!)) {
      throw a.reject('output_padding', `must be smaller than either stride or dilation, got output_padding ${show(outputPadding)}, stride ${show(stride)}, dilation ${show(dilation)}`);
    }
  });
  const outSp = inSp.map((l, i) => transposeOutSize(l, effK[i]!, stride[i]!, [padding[i]!, padding[i]!], outputPadding[i]!));
  // An output size of 0 is a valid empty result (the crop removes every element); a negative
  // one is no tensor at all. torch 2.13 itself depends on the backend path: its native kernel
  // refuses 0 too, its oneDNN kernel (batch > 1 or groups > 1) returns the empty tensor
  // (docs/findings.md, "PyTorch 2.13: zero-size transposed outputs"). The reference follows the
  // mathematics, not either path.
  if (outSp.some((o) => o < 0)) {
    throw new ConvError(op, 'input', `size per channel [${inSp.join(', ')}] gives output size [${outSp.join(', ')}]: output size is too small`);
  }
  return {
    ...common,
    rhs: flip(groupedTransposeKernel(op, weight, groups), range(0, r)),
    layout: { lhs: channelsFirst(r), rhs: kernelSpatialFirst(r), out: channelsFirst(r) },
    spec: {
      windowStrides: ones(r),
      padding: inSp.map((l, i) => transposePadding(l, outSp[i]!, effK[i]!, stride[i]!, padding[i]!)),
      lhsDilation: stride,
      rhsDilation: dilation,
      featureGroupCount: groups,
      batchGroupCount: 1,
    },
    kernelSteps: ['regroup [C_in, C_out/g, K...] -> [K..., C_in/g, C_out] (in/out swap per group)', `flip spatial axes [${range(0, r).join(', ')}]`],
    expectShape: [input.shape[0]!, outC, ...outSp],
  };
}

function ones(r: number): number[] {
  return new Array<number>(r).fill(1);
}

/** torch's expand_param_if_needed: an int, or a list of 1 or r entries. */
function expand(a: Attrs, name: string, r: number, dflt = name === 'padding' ? 0 : 1): number[] {
  const v = a.intOrList(name);
  if (v === undefined) return new Array<number>(r).fill(dflt);
  if (v.length === 1) return new Array<number>(r).fill(v[0]!);
  if (v.length === r) return v;
  throw a.reject(name, `expected ${name} to be a single integer value or a list of ${r} values to match the convolution dimensions, but got ${show(v)}`);
}

function forwardPadding(a: Attrs, r: number, stride: number[], effK: number[]): PadPair[] {
  const raw = a.raw('padding');
  if (typeof raw === 'string') {
    if (raw === 'valid') return range(0, r).map(() => [0, 0]);
    if (raw !== 'same') throw a.reject('padding', `invalid padding string ${show(raw)}, should be one of {'valid', 'same'}`);
    if (stride.some((s) => s !== 1)) throw a.reject('padding', `padding='same' is not supported for strided convolutions`);
    // total = d·(k-1) = k_eff - 1; the odd element goes to the end.
    return effK.map((k) => [Math.floor((k - 1) / 2), k - 1 - Math.floor((k - 1) / 2)]);
  }
  const p = expand(a, 'padding', r);
  if (p.some((x) => x < 0)) throw a.reject('padding', `negative padding is not supported, got ${show(p)}`);
  return p.map((x) => [x, x]);
}

