/**
 * The catalogue of convention mistakes. Each candidate is a pure function CaseJson -> CaseJson
 * (or undefined where it does not apply) built for one call: it undoes one mistake someone could
 * have made writing that call — a kernel flipped or not, a channel axis reversed, the kernel's
 * in/out axes declared the wrong way, a layout read the other way, the padding split on the
 * wrong side, transpose_kernel forgotten, an output size off by one. Candidates carry `tags`: two
 * candidates sharing a tag act on the same thing and are never combined.
 */
import { parseCase, type CaseJson } from '../case/case.js';
import { lower } from '../conventions/index.js';
import { show } from '../core/errors.js';
import { dilatedSize, samePadding } from '../core/shapes.js';
import { flip, swapAxes, transpose } from '../core/tensor.js';
import { anatomy, jaxDn, type Anatomy, type DimensionNumbers } from './anatomy.js';
import { callKey, tensorOf, withAttr, withTensor } from './json.js';
import { dilation, forwardPadding, outputPaddingVsSame } from './size-mistakes.js';

export type MistakeKind =
  | 'spatial-flip'
  | 'channel-reversal'
  | 'in-out-swap'
  | 'layout'
  | 'padding-split'
  | 'padding-one-side'
  | 'padding-size'
  | 'output-padding'
  | 'dilation'
  | 'transpose-kernel'
  | 'output-size';

export interface Candidate {
  /** Stable name, e.g. `flip-kernel-0`, `swap-io`. */
  readonly id: string;
  readonly kind: MistakeKind;
  readonly tags: readonly string[];
  /** The mistake, as it shows in the call as written. */
  readonly what: string;
  /** The correction, in words or as a code fragment. */
  readonly fix: string;
  /** The native axis of the tensor acted on (kernel or input), where there is one. */
  readonly axis?: number;
  readonly apply: (c: CaseJson) => CaseJson | undefined;
}

export interface CatalogOptions {
  /** Also offer mistakes that only change how the output array is laid out (raw comparisons). */
  readonly outputLayout: boolean;
  /** The other call of a pair (A, when this is B): some candidates borrow its parameters (its dilation). */
  readonly peer?: CaseJson;
}

const pyAxis = (rank: number, axis: number, expr = '::-1') => `[${Array.from({ length: rank }, (_, i) => (i === axis ? expr : ':')).join(', ')}]`;

/** Candidate mistakes for one call. Candidates that do not change the lowered call are dropped. */
export function catalogue(c: CaseJson, opts: CatalogOptions): Candidate[] {
  const an = anatomy(c);
  const list: Candidate[] = [
    ...kernelFlips(c, an),
    ...channelReversals(c, an),
    ...inOutSwap(c, an),
    ...layouts(c, an, opts),
    ...paddingSplits(c, an),
    ...transposeKernel(c, an),
    ...outputSizes(c, an),
    ...forwardPadding(c, an),
    ...outputPaddingVsSame(c, an),
    ...dilation(c, an, opts.peer),
  ];
  const base = loweredKey(c);
  const seen = new Set<string>();
  return list.filter((m) => {
    const out = m.apply(c);
    if (!out) return false;
    const k = callKey(out);
    if (k === callKey(c) || seen.has(k)) return false;
    seen.add(k);
    // A change the lowering cannot see (SAME vs SAME_LOWER with an even total) explains nothing.
    return base === undefined || loweredKey(out) !== base;
  });
}

/** The canonical call a case lowers to, as a string; undefined when the framework rejects it. */
function loweredKey(c: CaseJson): string | undefined {
  try {
    const l = lower(parseCase(c, 'candidate'));
    return JSON.stringify([l.spec, l.layout, l.lhs.shape, Array.from(l.lhs.data), l.rhs.shape, Array.from(l.rhs.data), l.bias ? Array.from(l.bias.data) : null, l.unbatched ?? false]);
  } catch {
    return undefined;
  }
}

function kernelName(an: Anatomy, axis: number): string {
  const k = an.kernelAxes;
  const si = k.spatial.indexOf(axis);
  if (si >= 0) return `${k.letters[si]}, spatial`;
  if (an.dn) return `declared ${an.dn[1][axis]} in ${show(an.dn[1])}`;
  return axis === k.in ? `${k.inName}_channels` : k.outName === 'multiplier' ? 'channel multiplier' : `${k.outName}_channels`;
}

// ---------------------------------------------------------------------------------------------

function kernelFlips(c: CaseJson, an: Anatomy): Candidate[] {
  const w = tensorOf(c, an.kernel)!;
  const axes = an.kernelAxes.spatial.filter((a) => (w.shape[a] ?? 0) > 1);
  const rank = w.shape.length;
  const out: Candidate[] = axes.map((a) => ({
    id: `flip-kernel-${a}`,
    kind: 'spatial-flip',
    tags: [`kflip-${a}`],
    what: `${an.kernel} is mirrored along axis ${a} (${kernelName(an, a)}) relative to what this call needs`,
    fix: `flip ${an.kernel} along axis ${a}: ${an.kernel} = ${an.kernel}${pyAxis(rank, a)}`,
    axis: a,
    apply: (x) => {
      const t = tensorOf(x, an.kernel);
      return t && t.shape.length === rank ? withTensor(x, an.kernel, flip(t, [a])) : undefined;
    },
  }));
  if (axes.length > 1) {
    out.unshift({
      id: 'flip-kernel-all',
      kind: 'spatial-flip',
      tags: axes.map((a) => `kflip-${a}`),
      what: `${an.kernel} is mirrored along every spatial axis (${axes.join(', ')}) relative to what this call needs: it is stored for the other convention`,
      fix: `flip ${an.kernel} along axes ${axes.join(', ')}: np.flip(${an.kernel}, axis=(${axes.join(', ')}))`,
      apply: (x) => {
        const t = tensorOf(x, an.kernel);
        return t && t.shape.length === rank ? withTensor(x, an.kernel, flip(t, axes)) : undefined;
      },
    });
  }
  return out;
}

function channelReversals(c: CaseJson, an: Anatomy): Candidate[] {
  const w = tensorOf(c, an.kernel)!;
  const x = tensorOf(c, an.input)!;
  const out: Candidate[] = [];
  const k = an.kernelAxes;
  for (const [axis, tag] of [
    [k.in, 'krev-in'],
    [k.out, 'krev-out'],
  ] as const) {
    if (axis < 0 || (w.shape[axis] ?? 0) < 2) continue;
    out.push({
      id: `reverse-kernel-${axis}`,
      kind: 'channel-reversal',
      tags: [tag],
      what: `${an.kernel} is reversed along axis ${axis} (${kernelName(an, axis)}), a channel axis: its channels are in the opposite order`,
      fix: `reverse ${an.kernel} along axis ${axis}: ${an.kernel} = ${an.kernel}${pyAxis(w.shape.length, axis)}`,
      axis,
      apply: (y) => {
        const t = tensorOf(y, an.kernel);
        return t && axis < t.shape.length ? withTensor(y, an.kernel, flip(t, [axis])) : undefined;
      },
    });
  }
  const ca = an.inputChannelAxis;
  if (ca >= 0 && (x.shape[ca] ?? 0) > 1) {
    out.push({
      id: `reverse-input-${ca}`,
      kind: 'channel-reversal',
      tags: ['xrev'],
      what: `${an.input} has its channels (axis ${ca}) in the opposite order (RGB vs BGR)`,
      fix: `reverse ${an.input} along axis ${ca}: ${an.input} = ${an.input}${pyAxis(x.shape.length, ca)}`,
      axis: ca,
      apply: (y) => {
        const t = tensorOf(y, an.input);
        return t && ca < t.shape.length ? withTensor(y, an.input, flip(t, [ca])) : undefined;
      },
    });
  }
  return out;
}

function inOutSwap(c: CaseJson, an: Anatomy): Candidate[] {
  const k = an.kernelAxes;
  if (an.framework === 'jax') {
    const dn = an.dn!;
    const swapped = [...dn[1]].map((ch) => (ch === 'I' ? 'O' : ch === 'O' ? 'I' : ch)).join('');
    return [
      {
        id: 'swap-io',
        kind: 'in-out-swap',
        tags: ['kio'],
        what: `the kernel's in/out axes are declared the wrong way round: ${show(dn[1])} says axis ${dn[1].indexOf('I')} is I and axis ${dn[1].indexOf('O')} is O`,
        fix: `declare the kernel ${show(swapped)}: dimension_numbers=(${show(dn[0])}, ${show(swapped)}, ${show(dn[2])})`,
        apply: (y) => {
          const d = jaxDn(y, an.r);
          const s = [...d[1]].map((ch) => (ch === 'I' ? 'O' : ch === 'O' ? 'I' : ch)).join('');
          return withAttr(y, 'dimension_numbers', [d[0], s, d[2]]);
        },
      },
    ];
  }
  const w = tensorOf(c, an.kernel)!;
  const [a, b] = [Math.min(k.in, k.out), Math.max(k.in, k.out)];
  const perm = w.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  return [
    {
      id: 'swap-io',
      kind: 'in-out-swap',
      tags: ['kio'],
      what: `${an.kernel} has its in/out channel axes (${a} and ${b}) the wrong way round for ${an.call}, whose kernel is ${k.layout}`,
      fix: `transpose ${an.kernel}: ${an.kernel} = ${an.kernel}.transpose(${perm.join(', ')})`,
      apply: (y) => {
        const t = tensorOf(y, an.kernel);
        return t && t.shape.length === w.shape.length ? withTensor(y, an.kernel, swapAxes(t, a, b)) : undefined;
      },
    },
  ];
}

/** 'NHWC' <-> 'NCHW' (batch first, channels moved to the other end of the spatial letters). */
function toggleSpec(s: string): string | undefined {
  if (s.length < 3 || s[0] !== 'N') return undefined;
  if (s[1] === 'C') return `N${s.slice(2)}C`;
  if (s[s.length - 1] === 'C') return `NC${s.slice(1, -1)}`;
  return undefined;
}

function layouts(c: CaseJson, an: Anatomy, opts: CatalogOptions): Candidate[] {
  const r = an.r;
  if (an.framework === 'tf') {
    const fmt = an.inputLayout;
    const other = toggleSpec(fmt);
    if (!other) return [];
    // Full-length lists (strides, dilations, explicit padding, output_shape) are in data_format order.
    const cLast = fmt.endsWith('C');
    const reorder = <T,>(v: readonly T[]): T[] => (cLast ? [v[0]!, v[r + 1]!, ...v.slice(1, r + 1)] : [v[0]!, ...v.slice(2), v[1]!]);
    const toggle = (y: CaseJson, withOutputShape: boolean): CaseJson => {
      let z = withAttr(y, 'data_format', other);
      for (const key of ['strides', 'dilations', 'padding', ...(withOutputShape ? ['output_shape'] : [])]) {
        const v = z.attrs?.[key];
        if (Array.isArray(v) && v.length === r + 2) z = withAttr(z, key, reorder(v));
      }
      return z;
    };
    const out: Candidate[] = [
      {
        id: 'layout-data_format',
        kind: 'layout',
        tags: ['layout-in', 'layout-out'],
        what: `data_format ${show(fmt)} reads the arrays the other way: they hold ${other} data`,
        fix: `data_format=${show(other)}`,
        apply: (y) => toggle(y, false),
      },
    ];
    const os = c.attrs?.['output_shape'];
    if (an.transposedOp && Array.isArray(os) && os.length === r + 2) {
      const moved = reorder(os);
      out.push({
        id: 'layout-data_format-output_shape',
        kind: 'layout',
        tags: ['layout-in', 'layout-out'],
        what: `data_format ${show(fmt)} (and output_shape written for it) reads the arrays the other way: they hold ${other} data`,
        fix: `data_format=${show(other)}, output_shape=${show(moved)}`,
        apply: (y) => toggle(y, true),
      });
    }
    return out;
  }
  if (an.framework === 'jax') {
    const dn = an.dn!;
    const out: Candidate[] = [];
    const lhs = toggleSpec(dn[0]);
    const res = toggleSpec(dn[2]);
    const set = (which: number[]) => (y: CaseJson) => {
      const d = jaxDn(y, r);
      const nd = [...d] as DimensionNumbers;
      for (const i of which) {
        const t = toggleSpec(d[i]!);
        if (!t) return undefined;
        nd[i] = t;
      }
      return withAttr(y, 'dimension_numbers', nd);
    };
    if (lhs) {
      out.push({
        id: 'layout-lhs',
        kind: 'layout',
        tags: ['layout-in'],
        what: `lhs is declared ${show(dn[0])} but the array holds ${lhs} data`,
        fix: `dimension_numbers=(${show(lhs)}, ${show(dn[1])}, ${show(dn[2])})`,
        apply: set([0]),
      });
    }
    if (opts.outputLayout && res) {
      out.push({
        id: 'layout-out',
        kind: 'layout',
        tags: ['layout-out'],
        what: `the output is declared ${show(dn[2])} but is read as ${res}`,
        fix: `dimension_numbers=(${show(dn[0])}, ${show(dn[1])}, ${show(res)})`,
        apply: set([2]),
      });
      if (lhs) {
        out.push({
          id: 'layout-both',
          kind: 'layout',
          tags: ['layout-in', 'layout-out'],
          what: `lhs and output are declared ${show(dn[0])}/${show(dn[2])} but the arrays are ${lhs}/${res}`,
          fix: `dimension_numbers=(${show(lhs)}, ${show(dn[1])}, ${show(res)})`,
          apply: set([0, 2]),
        });
      }
    }
    return out;
  }
  // onnx, torch: channels-first by definition; a channels-last array must be transposed.
  const x = tensorOf(c, an.input)!;
  const rank = x.shape.length;
  if (r < 1) return [];
  const b = an.unbatched ? 0 : 1; // first spatial-or-channel axis
  const toFirst = [...Array.from({ length: b }, (_, i) => i), rank - 1, ...Array.from({ length: rank - 1 - b }, (_, i) => b + i)];
  const toLast = [...Array.from({ length: b }, (_, i) => i), ...Array.from({ length: rank - 1 - b }, (_, i) => b + 1 + i), b];
  const spatial = an.kernelAxes.letters.join('');
  const nLast = `${an.unbatched ? '' : 'N'}${spatial}C`;
  const nFirst = `${an.unbatched ? '' : 'N'}C${spatial}`;
  const mk = (id: string, perm: number[], holds: string): Candidate => ({
    id,
    kind: 'layout',
    tags: ['layout-in'],
    what: `${an.input} holds ${holds} data but ${an.call} reads it as ${nFirst}`,
    fix: `${an.input} = ${an.input}.transpose(${perm.join(', ')})`,
    apply: (y) => {
      const t = tensorOf(y, an.input);
      return t && t.shape.length === rank ? withTensor(y, an.input, transpose(t, perm)) : undefined;
    },
  });
  return [mk('layout-input-channels-last', toFirst, nLast), mk('layout-input-transposed', toLast, `${nFirst} data transposed the other way`)];
}

function paddingSplits(c: CaseJson, an: Anatomy): Candidate[] {
  const attrs = c.attrs ?? {};
  const out: Candidate[] = [];
  const pairsSwap = (key: string, pairs: number[][], positions: readonly number[], label: (i: number) => string) => {
    positions.forEach((p, i) => {
      const pr = pairs[p];
      if (!pr || pr[0] === pr[1]) return;
      const swapped = pairs.map((q, j) => (j === p ? [q[1]!, q[0]!] : [...q]));
      out.push({
        id: `pad-swap-${i}`,
        kind: 'padding-split',
        tags: [`pad-${i}`],
        what: `${key} on axis ${label(i)} is ${show(pr)}: begin and end the wrong way round`,
        fix: `${key}=${show(swapped)}`,
        apply: (y) => {
          const v = y.attrs?.[key];
          if (!Array.isArray(v) || !Array.isArray(v[p])) return undefined;
          return withAttr(y, key, (v as number[][]).map((q, j) => (j === p ? [q[1]!, q[0]!] : q)));
        },
      });
    });
  };
  const letters = an.kernelAxes.letters;
  const name = (i: number) => `${i} (${letters[i]})`;
  if (an.framework === 'jax') {
    const pad = attrs['padding'];
    if (typeof pad === 'string' && an.op === 'conv_general_dilated') {
      const up = pad.toUpperCase();
      const other = up === 'SAME' ? 'SAME_LOWER' : up === 'SAME_LOWER' ? 'SAME' : undefined;
      if (other) {
        out.push({
          id: 'pad-same-lower',
          kind: 'padding-split',
          tags: ['pad-split'],
          what: `padding ${show(pad)} puts the odd padding element at the ${up === 'SAME' ? 'end' : 'start'}`,
          fix: `padding=${show(other)} (odd element at the ${up === 'SAME' ? 'start' : 'end'})`,
          apply: (y) => withAttr(y, 'padding', other),
        });
      }
    } else if (pad === 'SAME' && an.op === 'conv_transpose' && attrs['use_consistent_padding'] !== true) {
      const pads = canonicalPads(c);
      if (pads && pads.some(([lo, hi]) => lo !== hi)) {
        const swapped = pads.map(([lo, hi]) => [hi, lo]);
        out.push({
          id: 'pad-same-lower',
          kind: 'padding-split',
          tags: ['pad-split'],
          what: `padding 'SAME' pads the dilated input by ${show(pads)}, the odd element on the wrong side`,
          fix: `padding=${show(swapped)}`,
          apply: (y) => (y.attrs?.['padding'] === 'SAME' ? withAttr(y, 'padding', swapped) : undefined),
        });
      }
    } else if (Array.isArray(pad)) {
      pairsSwap('padding', pad as number[][], letters.map((_, i) => i), name);
    }
  } else if (an.framework === 'onnx') {
    const ap = attrs['auto_pad'];
    if (ap === 'SAME_UPPER' || ap === 'SAME_LOWER') {
      const other = ap === 'SAME_UPPER' ? 'SAME_LOWER' : 'SAME_UPPER';
      out.push({
        id: 'pad-same-lower',
        kind: 'padding-split',
        tags: ['pad-split'],
        what: `auto_pad ${show(ap)} puts the odd padding element at the ${ap === 'SAME_UPPER' ? 'end' : 'start'}${an.transposedOp ? ' (for ConvTranspose: the odd element is cropped from that side)' : ''}`,
        fix: `auto_pad=${show(other)}`,
        apply: (y) => withAttr(y, 'auto_pad', other),
      });
    }
    const pads = attrs['pads'];
    if (Array.isArray(pads) && pads.length === 2 * an.r) {
      const r = an.r;
      for (let i = 0; i < r; i++) {
        const [b, e] = [pads[i] as number, pads[i + r] as number];
        if (b === e) continue;
        const sw = (v: number[]) => v.map((p, j) => (j === i ? v[i + r]! : j === i + r ? v[i]! : p));
        out.push({
          id: `pad-swap-${i}`,
          kind: 'padding-split',
          tags: [`pad-${i}`],
          what: `pads on axis ${name(i)} are begin ${b}, end ${e}: the wrong way round`,
          fix: `pads=${show(sw(pads as number[]))}`,
          apply: (y) => {
            const v = y.attrs?.['pads'];
            return Array.isArray(v) && v.length === 2 * r ? withAttr(y, 'pads', sw(v as number[])) : undefined;
          },
        });
      }
    }
  } else if (an.framework === 'tf') {
    const pad = attrs['padding'] ?? (an.transposedOp ? 'SAME' : undefined);
    const fmt = an.inputLayout;
    const positions = letters.map((l) => fmt.indexOf(l));
    const explicitOk = an.op === 'conv2d' || an.op === 'conv2d_transpose' || an.op === 'depthwise_conv2d';
    if (pad === 'SAME' && explicitOk) {
      const fwd = tfSameForward(c, an);
      if (fwd && fwd.some(([lo, hi]) => lo !== hi)) {
        const list: number[][] = Array.from({ length: an.r + 2 }, () => [0, 0]);
        positions.forEach((p, i) => (list[p] = [fwd[i]![1], fwd[i]![0]]));
        out.push({
          id: 'pad-same-lower',
          kind: 'padding-split',
          tags: ['pad-split'],
          what: `padding 'SAME' ${an.transposedOp ? '(of the forward conv this is the gradient of) ' : ''}pads ${show(fwd)}: TF puts the odd padding element at the end`,
          fix: `padding=${show(list)} (the odd element at the start, as SAME_LOWER or a symmetric pad that the stride never reads past)`,
          apply: (y) => ((y.attrs?.['padding'] ?? (an.transposedOp ? 'SAME' : undefined)) === 'SAME' ? withAttr(y, 'padding', list) : undefined),
        });
      }
    } else if (Array.isArray(pad)) {
      pairsSwap('padding', pad as number[][], positions, name);
    }
  } else if (an.framework === 'torch' && !an.transposedOp) {
    const pad = attrs['padding'];
    const stride = attrs['stride'];
    const unitStride = stride === undefined || stride === 1 || (Array.isArray(stride) && stride.every((s) => s === 1));
    if (pad !== 'same' && pad !== 'valid' && unitStride) {
      out.push({
        id: 'pad-same',
        kind: 'padding-split',
        tags: ['pad-split'],
        what: `padding=${show(pad ?? 0)} pads both ends alike; with an even kernel the total (k-1) is odd and one side must get one more`,
        fix: `padding='same' (k-1 split with the odd element at the end, as TF and JAX 'SAME' at stride 1)`,
        apply: (y) => withAttr(y, 'padding', 'same'),
      });
    }
  }
  return out;
}

/** The canonical pads of a valid call, or undefined. */
function canonicalPads(c: CaseJson): number[][] | undefined {
  try {
    return lower(parseCase(c, 'candidate')).spec.padding.map((p) => [...p]);
  } catch {
    return undefined;
  }
}

/** TF 'SAME': the forward conv's pads per spatial axis (for a transpose: of the conv from output_shape). */
function tfSameForward(c: CaseJson, an: Anatomy): number[][] | undefined {
  let low;
  try {
    low = lower(parseCase(c, 'candidate'));
  } catch {
    return undefined;
  }
  const w = tensorOf(c, an.kernel)!;
  const effK = an.kernelAxes.spatial.map((a, i) => dilatedSize(w.shape[a]!, low.spec.rhsDilation[i]!));
  const fmt = an.inputLayout;
  const pos = an.kernelAxes.letters.map((l) => fmt.indexOf(l));
  if (an.transposedOp) {
    const os = c.attrs?.['output_shape'] as number[];
    return pos.map((p, i) => [...samePadding(os[p]!, effK[i]!, low.spec.lhsDilation[i]!)]);
  }
  const x = tensorOf(c, an.input)!;
  return pos.map((p, i) => [...samePadding(x.shape[p]!, effK[i]!, low.spec.windowStrides[i]!)]);
}

function transposeKernel(c: CaseJson, an: Anatomy): Candidate[] {
  if (an.framework !== 'jax' || an.op !== 'conv_transpose') return [];
  const tk = c.attrs?.['transpose_kernel'] === true;
  return [
    {
      id: 'transpose-kernel',
      kind: 'transpose-kernel',
      tags: ['tk', 'kio'],
      what: tk
        ? 'transpose_kernel=True mirrors the kernel and swaps its in/out axes, but rhs is already the transposed conv\'s own kernel'
        : 'transpose_kernel=False (the default) uses rhs as it is, but it holds the forward conv\'s kernel (as TF, ONNX and PyTorch store a transposed conv\'s kernel)',
      fix: `transpose_kernel=${tk ? 'False' : 'True'}`,
      apply: (y) => withAttr(y, 'transpose_kernel', !(y.attrs?.['transpose_kernel'] === true)),
    },
  ];
}

function outputSizes(c: CaseJson, an: Anatomy): Candidate[] {
  const out: Candidate[] = [];
  const attrs = c.attrs ?? {};
  const letters = an.kernelAxes.letters;
  const bump = (key: string, list: number[], idx: number, axis: number | string, delta: number, what: string) => {
    const next = list.map((v, j) => (j === idx ? v + delta : v));
    if (next[idx]! < 0) return;
    out.push({
      id: `${key}[${idx}]${delta > 0 ? '+' : '-'}1`,
      kind: 'output-size',
      tags: [`osize-${axis}`],
      what,
      fix: `${key}=${show(next)}`,
      apply: (y) => {
        const v = y.attrs?.[key];
        const cur = Array.isArray(v) ? (v as number[]) : key === 'output_padding' ? perAxis(v, an.r, 0) : undefined;
        if (!cur || cur.length !== list.length) return undefined;
        const n = cur.map((x, j) => (j === idx ? x + delta : x));
        return n[idx]! < 0 ? undefined : withAttr(y, key, n);
      },
    });
  };
  if (an.framework === 'tf' && an.transposedOp) {
    const os = attrs['output_shape'];
    if (!Array.isArray(os)) return out;
    // Every non-batch entry: the layout the output_shape was written for may not be data_format's.
    for (let p = 1; p < os.length; p++) {
      const l = an.inputLayout[p];
      const i = letters.indexOf(l ?? '');
      for (const d of [1, -1]) {
        bump('output_shape', os as number[], p, i >= 0 ? i : `entry-${p}`, d, `output_shape[${p}]${i >= 0 ? ` (${l})` : ''} is ${os[p]}: the output is one element ${d > 0 ? 'short' : 'too long'} (stride parity)`);
      }
    }
  } else if ((an.framework === 'onnx' || an.framework === 'torch') && an.transposedOp) {
    const os = attrs['output_shape'];
    if (an.framework === 'onnx' && Array.isArray(os)) {
      letters.forEach((l, i) => {
        for (const d of [1, -1]) bump('output_shape', os as number[], i, i, d, `output_shape[${i}] (${l}) is ${os[i]}: the output is one element ${d > 0 ? 'short' : 'too long'} (stride parity)`);
      });
    } else {
      const op = perAxis(attrs['output_padding'], an.r, 0);
      letters.forEach((l, i) => {
        for (const d of [1, -1]) bump('output_padding', op, i, i, d, `output_padding on axis ${i} (${l}) is ${op[i]}: the output is one element ${d > 0 ? 'short' : 'too long'} at the end (stride parity)`);
      });
    }
  } else if (an.framework === 'jax') {
    const pad = attrs['padding'];
    const ld = attrs[an.op === 'conv_transpose' ? 'strides' : 'lhs_dilation'];
    const dilated = Array.isArray(ld) && ld.some((s) => s !== 1);
    if (Array.isArray(pad) && dilated) {
      letters.forEach((l, i) => {
        const pr = (pad as number[][])[i];
        if (!pr) return;
        for (const d of [1, -1]) {
          const next = (pad as number[][]).map((q, j) => (j === i ? [q[0]!, q[1]! + d] : [...q]));
          out.push({
            id: `padding-hi-${i}${d > 0 ? '+' : '-'}1`,
            kind: 'output-size',
            tags: [`osize-${i}`, `pad-${i}`],
            what: `the high padding on axis ${i} (${l}) is ${pr[1]}: the output is one ${d > 0 ? 'short' : 'too long'} at the end (stride parity of the transposed conv)`,
            fix: `padding=${show(next)}`,
            apply: (y) => {
              const v = y.attrs?.['padding'];
              return Array.isArray(v) && Array.isArray(v[i]) ? withAttr(y, 'padding', (v as number[][]).map((q, j) => (j === i ? [q[0]!, q[1]! + d] : q))) : undefined;
            },
          });
        }
      });
    }
  }
  return out;
}

function perAxis(v: unknown, r: number, dflt: number): number[] {
  if (typeof v === 'number') return new Array<number>(r).fill(v);
  if (Array.isArray(v)) return v.length === 1 ? new Array<number>(r).fill(v[0] as number) : (v as number[]);
  return new Array<number>(r).fill(dflt);
}
