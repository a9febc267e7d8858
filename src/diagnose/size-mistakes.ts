/**
 * Candidate mistakes about where the zeros go and how far the kernel reaches: a dilation ignored
 * (or added), all of the padding on one side, 'SAME' computed for another input size, and a
 * transposed conv's output_padding used where 'SAME' crops. Each is a pure CaseJson -> CaseJson
 * in the call's own framework, like the rest of the catalogue (mistakes.ts).
 *
 * A forward call's padding is rewritten in the call's own form where the framework takes any
 * per-side pads (JAX explicit pairs, ONNX pads, TF conv2d explicit lists); otherwise (torch,
 * TF conv1d/conv3d) the fix pads the input explicitly and calls with no padding, which is
 * exactly what a user of that framework must write.
 */
import { parseCase, type CaseJson } from '../case/case.js';
import { lower, type Lowering } from '../conventions/index.js';
import { show } from '../core/errors.js';
import { convInfo, samePadding, type ConvInfo } from '../core/shapes.js';
import { padAxes } from '../translate/recipe.js';
import type { Anatomy } from './anatomy.js';
import { tensorOf, withAttr, withTensor } from './json.js';
import type { Candidate } from './mistakes.js';

interface Low {
  readonly low: Lowering;
  readonly info: ConvInfo;
}

function lowered(c: CaseJson): Low | undefined {
  try {
    const low = lower(parseCase(c, 'candidate'));
    const canon = (shape: readonly number[], perm: readonly number[]) => perm.map((a) => shape[a]!);
    const info = convInfo('candidate', canon(low.lhs.shape, low.layout.lhs), canon(low.rhs.shape, low.layout.rhs), low.spec);
    return { low, info };
  } catch {
    return undefined;
  }
}

type Pads = number[][];
const same = (a: readonly (readonly number[])[], b: readonly (readonly number[])[]) => a.every((p, i) => p[0] === b[i]![0] && p[1] === b[i]![1]);

/**
 * The call with canonical forward pads `pads`, in its own framework; undefined for transposed
 * calls, or where the framework cannot take them. `how` says in words what the fix writes.
 */
export function withForwardPads(c: CaseJson, an: Anatomy, pads: Pads): { apply: (y: CaseJson) => CaseJson | undefined; how: string } | undefined {
  if (an.transposedOp) return undefined;
  const r = an.r;
  const nonNeg = pads.every(([lo, hi]) => lo! >= 0 && hi! >= 0);
  const positions = an.kernelAxes.letters.map((l) => an.inputLayout.indexOf(l));
  if (an.framework === 'jax') {
    if (an.op !== 'conv_general_dilated') return undefined;
    const ld = c.attrs?.['lhs_dilation'];
    if (Array.isArray(ld) && ld.some((x) => x !== 1)) return undefined;
    return { apply: (y) => withAttr(y, 'padding', pads), how: `padding=${show(pads)}` };
  }
  if (!nonNeg) return undefined;
  if (an.framework === 'onnx') {
    const flat = [...pads.map((p) => p[0]!), ...pads.map((p) => p[1]!)];
    return { apply: (y) => withAttr(withAttr(y, 'auto_pad', undefined), 'pads', flat), how: `pads=${show(flat)}` };
  }
  if (an.framework === 'tf' && (an.op === 'conv2d' || an.op === 'depthwise_conv2d')) {
    const list: Pads = Array.from({ length: r + 2 }, () => [0, 0]);
    positions.forEach((p, i) => (list[p] = [...pads[i]!]));
    return { apply: (y) => withAttr(y, 'padding', list), how: `padding=${show(list)}` };
  }
  // torch, tf conv1d/conv3d: pad the input explicitly, then call with no padding.
  const amounts = positions.map((axis, i) => ({ axis, lo: pads[i]![0]!, hi: pads[i]![1]! }));
  const none = an.framework === 'tf' ? 'VALID' : 0;
  const how =
    an.framework === 'torch'
      ? `${an.input} = F.pad(${an.input}, ${show([...pads].reverse().flat())}) (last axis first), then padding=0`
      : `${an.input} = tf.pad(${an.input}, ${show(Array.from({ length: r + 2 }, (_, a) => amounts.find((m) => m.axis === a) ?? { lo: 0, hi: 0 }).map((m) => [m.lo, m.hi]))}), then padding='VALID'`;
  return {
    apply: (y) => {
      const x = tensorOf(y, an.input);
      if (!x || x.shape.length !== an.inputLayout.length) return undefined;
      return withAttr(withTensor(y, an.input, padAxes(x, amounts)), 'padding', none);
    },
    how,
  };
}

// ---------------------------------------------------------------------------------------------

/** Padding candidates of a forward call: all on one side, SAME for another input size. */
export function forwardPadding(c: CaseJson, an: Anatomy): Candidate[] {
  const l = lowered(c);
  if (!l || an.transposedOp || l.low.spec.lhsDilation.some((x) => x !== 1)) return [];
  const cur: Pads = l.low.spec.padding.map((p) => [...p]);
  const { inSpatial: n, effectiveKernel: k } = l.info;
  const s = l.low.spec.windowStrides;
  const out: Candidate[] = [];
  const add = (id: string, kind: Candidate['kind'], pads: Pads, what: string) => {
    if (same(pads, cur)) return;
    const w = withForwardPads(c, an, pads);
    if (w) out.push({ id, kind, tags: ['pad-split'], what, fix: w.how, apply: w.apply });
  };
  const total = cur.map(([lo, hi]) => lo! + hi!);
  if (total.some((t) => t > 0) && cur.every(([lo, hi]) => lo! >= 0 && hi! >= 0)) {
    add('pad-one-side-start', 'padding-one-side', total.map((t) => [t, 0]), `the padding ${show(cur)} is split over both ends of each axis where it should all go at the start`);
    add('pad-one-side-end', 'padding-one-side', total.map((t) => [0, t]), `the padding ${show(cur)} is split over both ends of each axis where it should all go at the end`);
  }
  if (s.every((x) => x === 1)) return out;
  // 'SAME' depends on the input size when the stride is > 1: total = (ceil(n/s) - 1)·s + k - n.
  const sameAt = (sizes: readonly number[], lowerSide = false) => sizes.map((m, i) => [...samePadding(m, k[i]!, s[i]!, lowerSide)]);
  const here = sameAt(n);
  const hereLower = sameAt(n, true);
  if (same(cur, here) || same(cur, hereLower)) {
    // The call is SAME for its size: an implementation may have used SAME of another size.
    for (let d = 1; d < Math.max(...s); d++) {
      for (const delta of [-d, d]) {
        const sizes = n.map((m) => m + delta);
        if (sizes.some((m) => m < 1)) continue;
        add(`same-for-size-n${delta > 0 ? '+' : '-'}${Math.abs(delta)}`, 'padding-size', sameAt(sizes, same(cur, hereLower) && !same(cur, here)), `'SAME' was computed for an input ${show(sizes)}, not for this input ${show(n)}: SAME's padding depends on the input size at stride ${show(s)}`);
      }
    }
  } else {
    // The call's padding is SAME of another input size: SAME for this size is the fix.
    const other = n.map((m, i) => {
      for (let d = 1; d < s[i]!; d++) for (const dm of [m - d, m + d]) if (dm >= 1 && same([cur[i]!], [[...samePadding(dm, k[i]!, s[i]!)]])) return dm;
      return undefined;
    });
    if (other.some((m) => m !== undefined)) {
      const sizes = other.map((m, i) => m ?? n[i]!);
      add('same-for-this-size', 'padding-size', here, `the padding ${show(cur)} is what 'SAME' gives for an input ${show(sizes)}, but this input is ${show(n)}, for which 'SAME' pads ${show(here)} (at stride ${show(s)} SAME depends on the input size)`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

/** The call's dilation as its framework writes it, set to `d` (1: the attribute removed). */
function withDilation(c: CaseJson, an: Anatomy, d: readonly number[]): CaseJson | undefined {
  const one = d.every((x) => x === 1);
  switch (an.framework) {
    case 'jax':
      return withAttr(c, 'rhs_dilation', one ? undefined : [...d]);
    case 'onnx':
      return withAttr(c, 'dilations', one ? undefined : [...d]);
    case 'torch':
      return withAttr(c, 'dilation', one ? undefined : [...d]);
    case 'tf': {
      if (one) return withAttr(c, 'dilations', undefined);
      if (an.op === 'depthwise_conv2d') return undefined;
      if (an.r === 1) return withAttr(c, 'dilations', d[0]);
      if (an.op === 'conv2d' || an.op === 'conv2d_transpose') return withAttr(c, 'dilations', [...d]);
      const full = Array.from({ length: an.r + 2 }, () => 1);
      an.kernelAxes.letters.forEach((l, i) => (full[an.inputLayout.indexOf(l)] = d[i]!));
      return withAttr(c, 'dilations', full);
    }
  }
}

/**
 * A dilation ignored: the call dilates its kernel and the other side (or the implementation that
 * produced an observed output) does not; or B applies undilated what A dilates.
 */
export function dilation(c: CaseJson, an: Anatomy, peer: CaseJson | undefined): Candidate[] {
  const l = lowered(c);
  if (!l) return [];
  const d = l.low.spec.rhsDilation;
  const out: Candidate[] = [];
  if (d.some((x) => x > 1)) {
    const ones = d.map(() => 1);
    out.push({
      id: 'dilation-ignored',
      kind: 'dilation',
      tags: ['dilation'],
      what: `the kernel is dilated by ${show(d)} here, but applied undilated on the other side: the dilation is ignored there`,
      fix: `dilation 1 (no dilation attribute); SAME padding, where used, then follows the undilated kernel`,
      apply: (y) => withDilation(y, an, ones),
    });
  }
  const p = peer && lowered(peer);
  if (p && p.low.spec.rhsDilation.length === d.length && p.low.spec.rhsDilation.some((x, i) => x !== d[i])) {
    const want = p.low.spec.rhsDilation;
    if (want.some((x) => x > 1)) {
      out.push({
        id: 'dilation-as-A',
        kind: 'dilation',
        tags: ['dilation'],
        what: `A dilates its kernel by ${show(want)}, this call by ${show(d)}: the dilation was ${d.every((x) => x === 1) ? 'ignored' : 'changed'} in the port`,
        fix: `dilation ${show(want)}`,
        apply: (y) => withDilation(y, an, want),
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

/**
 * Transposed convs: 'SAME' crops k_eff - s elements from the full output, the odd one at the end
 * (TF, ONNX SAME_UPPER); torch/ONNX padding p with output_padding a crops p at the start and
 * p - a at the end. For the same total (2p - a = k_eff - s) the two place the output window one
 * element apart whenever the total is odd. TF conv2d_transpose and ONNX ConvTranspose can write
 * both; torch only the latter (its fix needs a crop: `convcheck translate`).
 */
export function outputPaddingVsSame(c: CaseJson, an: Anatomy): Candidate[] {
  if (!an.transposedOp) return [];
  const l = lowered(c);
  if (!l) return [];
  const s = l.low.spec.lhsDilation;
  const k = l.info.effectiveKernel;
  const r = an.r;
  const attrs = c.attrs ?? {};
  const out: Candidate[] = [];
  if (an.framework === 'tf' && an.op === 'conv2d_transpose' && (attrs['padding'] ?? 'SAME') === 'SAME') {
    // Forward pads of SAME from output_shape; the torch-style reading: symmetric p, slack a.
    const os = attrs['output_shape'];
    if (!Array.isArray(os)) return [];
    const positions = an.kernelAxes.letters.map((ltr) => an.inputLayout.indexOf(ltr));
    const totals = positions.map((pos, i) => {
      const [lo, hi] = samePadding(os[pos] as number, k[i]!, s[i]!);
      return lo + hi;
    });
    if (totals.every((t) => t % 2 === 0)) return [];
    const list: Pads = Array.from({ length: r + 2 }, () => [0, 0]);
    positions.forEach((pos, i) => (list[pos] = [Math.ceil(totals[i]! / 2), Math.ceil(totals[i]! / 2)]));
    out.push({
      id: 'output-padding-for-same',
      kind: 'output-padding',
      tags: ['pad-split'],
      what: `padding 'SAME' crops ${show(totals)} from the full output with the odd element at the end, where the other call pads symmetrically and adds the odd element back with output_padding (as torch padding=p, output_padding=1 does)`,
      fix: `padding=${show(list)} with the same output_shape (symmetric crop; the odd element kept at the end)`,
      apply: (y) => ((y.attrs?.['padding'] ?? 'SAME') === 'SAME' ? withAttr(y, 'padding', list) : undefined),
    });
  }
  if (an.framework === 'onnx' && attrs['output_shape'] === undefined) {
    const op = perAxis(attrs['output_padding'], r);
    const pads = Array.isArray(attrs['pads']) ? (attrs['pads'] as number[]) : new Array<number>(2 * r).fill(0);
    if (op.every((a) => a === 0) || attrs['auto_pad'] !== undefined) return [];
    // Same output size, SAME_UPPER's split: total t = b + e - a, begin floor(t/2), end t - floor(t/2).
    const totals = op.map((a, i) => pads[i]! + pads[i + r]! - a);
    if (totals.some((t) => t < 0)) return [];
    const next = [...totals.map((t) => Math.floor(t / 2)), ...totals.map((t) => t - Math.floor(t / 2))];
    out.push({
      id: 'output-padding-for-same',
      kind: 'output-padding',
      tags: ['pad-split', 'osize-all'],
      what: `pads ${show(pads)} with output_padding ${show(op)} keep the odd element at the end, where 'SAME' crops it from the end`,
      fix: `pads=${show(next)}, no output_padding (SAME_UPPER's crop)`,
      apply: (y) => withAttr(withAttr(y, 'output_padding', undefined), 'pads', next),
    });
  }
  return out;
}

function perAxis(v: unknown, r: number): number[] {
  if (typeof v === 'number') return new Array<number>(r).fill(v);
  if (Array.isArray(v)) return v.length === 1 ? new Array<number>(r).fill(v[0] as number) : (v as number[]);
  return new Array<number>(r).fill(0);
}
