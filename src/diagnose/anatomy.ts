/**
 * Where things are in a native call: which input is the data, which the kernel, which kernel axes
 * are spatial and which hold input / output channels, which input axis holds channels. Read from
 * the case as written (not from the lowering, whose kernel is already transformed), so that the
 * candidate mistakes can act on the tensors and attributes the user wrote.
 */
import { parseCase, type CaseJson } from '../case/case.js';
import type { Framework } from '../conventions/index.js';
import { TF_OPS } from '../conventions/tf.js';

export type DimensionNumbers = [string, string, string];

export interface KernelAxes {
  /** Native kernel axes that are spatial, in the order of `letters`. */
  readonly spatial: readonly number[];
  readonly letters: readonly string[];
  /** Native axis holding input channels, and output channels (for depthwise: the multiplier). */
  readonly in: number;
  readonly out: number;
  /** What the convention calls them: `I`/`O` for JAX specs, else `in`/`out`. */
  readonly inName: string;
  readonly outName: string;
  /** The native kernel layout in words: `[width, out_channels, in_channels]`. */
  readonly layout: string;
}

export interface Anatomy {
  readonly framework: Framework;
  readonly op: string;
  /** Qualified op name: `tf.nn.conv1d_transpose`. */
  readonly call: string;
  readonly r: number;
  readonly input: string;
  readonly kernel: string;
  readonly bias?: string;
  /** A transposed convolution op (by its name; JAX conv_transpose included). */
  readonly transposedOp: boolean;
  readonly kernelAxes: KernelAxes;
  /** Native axis of the data input holding channels. */
  readonly inputChannelAxis: number;
  /** Native layout string of the data input, e.g. `NWC`, `NCHW`. */
  readonly inputLayout: string;
  /** torch input without its batch axis. */
  readonly unbatched: boolean;
  /** JAX: the dimension numbers in effect (defaults written out). */
  readonly dn?: DimensionNumbers;
}

const SPATIAL_LETTERS = (r: number) => (r <= 3 ? ['D', 'H', 'W'].slice(3 - r) : [...'XYZABEFGJKLMPQRTUV'.slice(0, r)]);

const WORDS: Record<string, string> = { D: 'depth', H: 'height', W: 'width' };
const spatialWords = (letters: readonly string[]) => letters.map((l) => WORDS[l] ?? l).join(', ');

export const qualifiedOp = (fw: Framework, op: string) =>
  fw === 'tf' ? `tf.nn.${op}` : fw === 'jax' ? `jax.lax.${op}` : fw === 'onnx' ? `ONNX ${op}` : `torch.nn.functional.${op}`;

/** JAX's default dimension numbers (conventions/jax.ts): NC../OI.. for conv_general_dilated, N..C/..IO for conv_transpose. */
export function jaxDefaultDn(op: string, r: number): DimensionNumbers {
  const sp = 'HWDXYZ'.slice(0, r);
  return op === 'conv_transpose' ? [`N${sp}C`, `${sp}IO`, `N${sp}C`] : [`NC${sp}`, `OI${sp}`, `NC${sp}`];
}

export function jaxDn(c: CaseJson, r: number): DimensionNumbers {
  const v = c.attrs?.['dimension_numbers'];
  if (Array.isArray(v) && v.length === 3 && v.every((s) => typeof s === 'string')) return [v[0], v[1], v[2]] as DimensionNumbers;
  return jaxDefaultDn(c.op, r);
}

function tfFormat(c: CaseJson, r: number): string {
  const f = c.attrs?.['data_format'];
  const fmt = typeof f === 'string' ? f : r === 1 ? 'NWC' : r === 2 ? 'NHWC' : 'NDHWC';
  return c.op === 'conv1d' ? (fmt === 'NHWC' ? 'NWC' : fmt === 'NCHW' ? 'NCW' : fmt) : fmt;
}

/** Reads a case's anatomy. Throws CaseError for a malformed case. */
export function anatomy(c: CaseJson): Anatomy {
  const call = parseCase(c, c.id ?? 'case');
  const fw = call.framework;
  const op = call.op;
  const shapeOf = (name: string) => call.inputs[name]?.shape ?? [];
  const span = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
  switch (fw) {
    case 'tf': {
      const r = TF_OPS[op]!.rank;
      const letters = SPATIAL_LETTERS(r);
      const fmt = tfFormat(c, r);
      const transposed = op.endsWith('_transpose');
      const depthwise = op === 'depthwise_conv2d';
      const sp = spatialWords(letters);
      return {
        framework: fw,
        op,
        call: qualifiedOp(fw, op),
        r,
        input: 'input',
        kernel: depthwise ? 'filter' : 'filters',
        transposedOp: transposed,
        kernelAxes: {
          spatial: span(0, r),
          letters,
          in: transposed ? r + 1 : r,
          out: transposed ? r : r + 1,
          inName: 'in',
          outName: depthwise ? 'multiplier' : 'out',
          layout: depthwise
            ? '[height, width, in_channels, channel_multiplier]'
            : transposed
              ? `[${sp}, out_channels, in_channels]`
              : `[${sp}, in_channels, out_channels]`,
        },
        inputChannelAxis: fmt.indexOf('C'),
        inputLayout: fmt,
        unbatched: false,
      };
    }
    case 'jax': {
      const r = shapeOf('lhs').length - 2;
      const dn = jaxDn(c, r);
      const letters = [...dn[1]].filter((ch) => ch !== 'O' && ch !== 'I');
      const tk = op === 'conv_transpose' && c.attrs?.['transpose_kernel'] === true;
      return {
        framework: fw,
        op,
        call: qualifiedOp(fw, op),
        r,
        input: 'lhs',
        kernel: 'rhs',
        transposedOp: op === 'conv_transpose',
        kernelAxes: {
          spatial: letters.map((l) => dn[1].indexOf(l)),
          letters,
          // With transpose_kernel the letters name the forward conv's axes: its O is this call's input.
          in: dn[1].indexOf(tk ? 'O' : 'I'),
          out: dn[1].indexOf(tk ? 'I' : 'O'),
          inName: 'I',
          outName: 'O',
          layout: tk ? `${JSON.stringify(dn[1])}, naming the forward conv's axes (transpose_kernel=True)` : JSON.stringify(dn[1]),
        },
        inputChannelAxis: dn[0].indexOf('C'),
        inputLayout: dn[0],
        unbatched: false,
        dn,
      };
    }
    case 'onnx':
    case 'torch': {
      const r = fw === 'onnx' ? shapeOf('X').length - 2 : Number(/(\d)d$/.exec(op)![1]);
      const letters = SPATIAL_LETTERS(Math.max(r, 0));
      const transposed = /transpose/i.test(op);
      const unbatched = fw === 'torch' && shapeOf('input').length === r + 1;
      const sp = spatialWords(letters);
      return {
        framework: fw,
        op,
        call: qualifiedOp(fw, op),
        r,
        input: fw === 'onnx' ? 'X' : 'input',
        kernel: fw === 'onnx' ? 'W' : 'weight',
        bias: fw === 'onnx' ? 'B' : 'bias',
        transposedOp: transposed,
        kernelAxes: {
          spatial: span(2, r),
          letters,
          in: transposed ? 0 : 1,
          out: transposed ? 1 : 0,
          inName: 'in',
          outName: 'out',
          layout: transposed ? `[in_channels, out_channels/groups, ${sp}]` : `[out_channels, in_channels/groups, ${sp}]`,
        },
        inputChannelAxis: unbatched ? 0 : 1,
        inputLayout: unbatched ? `C${letters.join('')}` : `NC${letters.join('')}`,
        unbatched,
      };
    }
  }
}
