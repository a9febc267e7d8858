/**
 * Why a mistake makes a difference, in the conventions' own terms, using what is known about how
 * B was made from A (the kernel rearrangement found on the data).
 */
import { parseCase, type CaseJson } from '../case/case.js';
import { lower } from '../conventions/index.js';
import { show } from '../core/errors.js';
import type { Anatomy } from './anatomy.js';
import { describeRearrangement, type Rearrangement } from './correspond.js';
import type { Candidate } from './mistakes.js';

export interface WhyContext {
  readonly a: CaseJson;
  readonly b?: CaseJson;
  readonly anA: Anatomy;
  readonly anB?: Anatomy;
  /** B's kernel = this rearrangement of A's kernel (as found on the given data). */
  readonly kernelMap?: Rearrangement;
  readonly observed: boolean;
}

/** Whether an op mirrors its kernel spatially relative to a plain correlation. */
function mirrors(an: Anatomy, c: CaseJson): boolean {
  if (an.framework === 'jax') return an.op === 'conv_transpose' && c.attrs?.['transpose_kernel'] === true;
  return an.transposedOp;
}

const RULE_MIRROR =
  'A transposed convolution (TF conv*_transpose, ONNX ConvTranspose, torch conv_transpose*, lax.conv_transpose with transpose_kernel=True) is the adjoint of a forward convolution and holds that convolution\'s kernel: it correlates the stride-dilated input with the kernel mirrored along every spatial axis and with in/out exchanged. A forward convolution (and lax.conv_general_dilated) correlates with the kernel as stored.';

const RULE_PAD =
  "TF and JAX 'SAME' and ONNX SAME_UPPER put the odd padding element at the end; JAX 'SAME_LOWER' and ONNX SAME_LOWER at the start; PyTorch pads both ends by the same amount (padding='same' only at stride 1, odd element at the end).";

const RULE_OUTPUT =
  'A transposed convolution with stride s has s output sizes that a forward convolution maps back to the same input size; TF picks one with output_shape, ONNX with output_shape or output_padding, PyTorch with output_padding (extra elements at the end), JAX with the high padding.';

function padsOf(c: CaseJson | undefined): string | undefined {
  if (!c) return undefined;
  try {
    return show(lower(parseCase(c, 'why')).spec.padding);
  } catch {
    return undefined;
  }
}

function rot90Note(map: Rearrangement | undefined, anB: Anatomy): string {
  if (!map || map.flips.length !== 2 || map.flips[0] !== 0 || map.flips[1] !== 1 || !map.perm.every((p, i) => p === i)) return '';
  const name = (axis: number) => {
    const si = anB.kernelAxes.spatial.indexOf(axis);
    return si >= 0 ? `the spatial axis ${anB.kernelAxes.letters[si]}` : `a channel axis`;
  };
  return ` — np.rot90 applied twice (np.rot90(np.rot90(k))) reverses exactly the first two axes of an array: here ${name(0)} and ${name(1)}`;
}

export function whyOf(m: Candidate, ctx: WhyContext): string {
  const { anA, anB } = ctx;
  const subject = ctx.observed ? 'the implementation that produced the observed output' : 'B';
  const map = ctx.kernelMap;
  switch (m.kind) {
    case 'spatial-flip': {
      const axes = m.axis !== undefined ? [m.axis] : (anB ?? anA).kernelAxes.spatial;
      const made = map && axes.every((x) => map.flips.includes(x)) ? `B's kernel is A's with ${describeRearrangement(map)}${rot90Note(map, anB!)}; that reversal of axis ${axes.join(', ')} is not wanted here. ` : '';
      if (ctx.observed || !anB || !ctx.b) return `${made}The observed output is A's with the kernel mirrored along ${axes.length > 1 ? 'every spatial axis' : `axis ${axes[0]}`}: ${subject} uses the kernel the other way round (true convolution vs cross-correlation, or a transposed conv's kernel used in a forward conv). ${RULE_MIRROR}`;
      const mA = mirrors(anA, ctx.a);
      const mB = mirrors(anB, ctx.b);
      if (mA !== mB) {
        const [x, y] = mA ? ['A', 'B'] : ['B', 'A'];
        return `${made}${x} mirrors its kernel and ${y} does not, so B's kernel must be A's mirrored along every spatial axis; B's is not, along ${axes.length > 1 ? 'any of them' : `axis ${axes[0]}`}. ${RULE_MIRROR}`;
      }
      return `${made}A and B both use their kernels ${mA ? 'mirrored' : 'as stored'}, so the kernels must match tap for tap; B's is mirrored along ${axes.length > 1 ? 'its spatial axes' : `axis ${axes[0]}`}.`;
    }
    case 'channel-reversal': {
      if (m.id.startsWith('reverse-input')) {
        return `The input's channels are in the opposite order from what the kernel expects (RGB vs BGR): every output mixes the wrong channel with each kernel slice.`;
      }
      const an = anB ?? anA;
      let which = m.axis === an.kernelAxes.in ? 'input' : 'output';
      if (map && m.axis !== undefined && map.flips.includes(m.axis)) {
        // Name the axis by what it holds in A's kernel, not by what B (perhaps wrongly) declares.
        const aAxis = map.perm[m.axis]!;
        if (aAxis === anA.kernelAxes.in) which = 'input';
        else if (aAxis === anA.kernelAxes.out) which = 'output';
        return (
          `B's kernel is A's with ${describeRearrangement(map)}${rot90Note(map, an)}. ` +
          `Axis ${m.axis} holds ${which} channels (A's ${anA.kernel} axis ${aAxis}), not kernel taps: reversing it does not mirror the kernel, it reorders the ${which} channels. Only the spatial axes should be reversed.`
        );
      }
      return `${ctx.observed ? 'The observed output is A\'s with' : 'B has'} the kernel's ${which} channels (axis ${m.axis}) in the opposite order: each ${which} channel is paired with another channel's weights.`;
    }
    case 'in-out-swap': {
      let where = '';
      if (map && anB) {
        const j = map.perm.indexOf(anA.kernelAxes.in);
        if (j >= 0 && j !== anB.kernelAxes.in) {
          where = `B's ${anB.kernel} axis ${j} holds A's input-channel axis (${anA.call} ${anA.kernel} are ${anA.kernelAxes.layout}), the channels of the input both calls read, but ${anB.call} takes its input channels from axis ${anB.kernelAxes.in} (${anB.kernelAxes.layout}). `;
        }
      }
      return `${where}A transposed convolution stores the kernel of the forward convolution it is the adjoint of, so its in/out are the transposed call's out/in (TF conv*_transpose filters [..., out_channels, in_channels]; ONNX ConvTranspose and torch conv_transpose* weights [in_channels, out_channels/groups, ...]). With in and out exchanged each output channel reads the wrong weights, and when in = out the shapes still fit, so nothing complains.`;
    }
    case 'layout': {
      const an = anB ?? anA;
      return `${ctx.observed ? 'The observed output is what A computes with its arrays read in the other layout' : `${an.call} reads ${an.input} as ${an.inputLayout}`}: the same array read with the wrong axis as channels mixes channels and positions (NCHW vs NHWC). When the sizes coincide the shapes still fit and nothing complains.`;
    }
    case 'padding-split': {
      const pa = padsOf(ctx.a);
      const pb = padsOf(ctx.b);
      const pads = !ctx.observed && pa && pb ? `A pads the input by ${pa}, B by ${pb} (per spatial axis, of the stride-dilated input for a transposed conv). ` : '';
      return `${pads}${RULE_PAD}`;
    }
    case 'padding-one-side': {
      const pa = padsOf(ctx.a);
      const pb = padsOf(ctx.b);
      const pads = !ctx.observed && pa && pb ? `A pads the input by ${pa}, B by ${pb}. ` : '';
      return `${pads}${subject === 'B' ? 'B' : 'The implementation'} puts the padding on the other side(s) of each axis: every output window is shifted by the difference. Only the padding the windows actually read matters; at stride > 1 the last pad element may never be read. ${RULE_PAD}`;
    }
    case 'padding-size':
      return `At stride s > 1, 'SAME' (TF, JAX, ONNX SAME_*) pads max(0, (ceil(n/s) - 1)·s + k_eff - n) for an input of size n: the amount, and which side gets the odd element, changes with n. A padding computed once for one input size (a fixed number in a port, or SAME worked out for the training resolution) is wrong at other sizes. \`convcheck translate A --to FW --emit function\` writes code that computes it from the input's shape at call time.`;
    case 'output-padding':
      return `A transposed conv with 'SAME' crops k_eff - s elements from its full output, the odd one at the end; padding=p with output_padding=a crops p at the start and p - a at the end. For an odd total the two output windows are one element apart. ${RULE_OUTPUT}`;
    case 'dilation':
      return `A dilation d spreads the kernel taps d apart (effective size (k-1)·d+1): ${subject} ${ctx.observed ? 'applied the kernel undilated' : 'and A differ in it'}, so each output mixes other input positions (and 'SAME' pads for another kernel size).`;
    case 'transpose-kernel':
      return `lax.conv_transpose(transpose_kernel=True) mirrors rhs spatially and exchanges its I/O axes, which is how TF, ONNX and PyTorch use a transposed convolution's kernel (the forward convolution's kernel); with transpose_kernel=False it is a plain correlation of the stride-dilated input with rhs as stored.`;
    case 'output-size':
      return RULE_OUTPUT;
  }
}
