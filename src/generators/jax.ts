/** Builders of JAX (`jax.lax`) cases: conv_general_dilated and conv_transpose, every layout. */
import type { CaseJson } from '../case/case.js';
import { dilatedSize } from '../core/shapes.js';
import { allowed, caseOf, choose, effK, SAME, tensor, VALID } from './build.js';
import type { Axis, Draw } from './draw.js';

const SPATIAL = 'HWD';

/** A random arrangement of the letters of a spec: `N`/`C` (or `O`/`I`) among the spatial ones. */
function arrange(u: number, letters: string[]): string {
  // Deterministic shuffle from one uniform: Lehmer-code style, enough variety for layouts.
  const xs = [...letters];
  let v = u;
  for (let i = xs.length - 1; i > 0; i--) {
    v *= i + 1;
    const j = Math.floor(v) % (i + 1);
    v -= Math.floor(v);
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs.join('');
}

/** JAX pairs window_strides[i] etc. with the i-th spatial letter of the rhs spec. */
function spatialLetters(rhsSpec: string): string[] {
  return [...rhsSpec].filter((c) => c !== 'O' && c !== 'I');
}

function shapeFor(spec: string, sizes: Record<string, number>): number[] {
  return [...spec].map((c) => sizes[c]!);
}

/**
 * Random dimension_numbers (a quarter of the time the defaults, null). With declared layouts, the
 * lhs and output specs are one of those of this rank, and the kernel keeps `rhsDefault`.
 */
function jaxSpecs(d: Draw, r: number, rhsDefault: string): [string, string, string] | null {
  const layouts = d.caps.layouts?.filter((l) => l.length === r + 2 && l.includes('N') && l.includes('C'));
  if (layouts?.length) {
    // JAX needs the same spatial letters in all three specs: rename the layout's to ours.
    let i = 0;
    const lhs = [...choose(d.pick[5]!, layouts)].map((c) => (c === 'N' || c === 'C' ? c : SPATIAL[i++]!)).join('');
    return [lhs, rhsDefault, lhs];
  }
  if (d.pick[5]! < 0.25) return null;
  const sp = [...SPATIAL.slice(0, r)];
  return [arrange(d.pick[5]!, ['N', 'C', ...sp]), arrange(d.pick[6]!, ['O', 'I', ...sp]), arrange(d.pick[7]!, ['N', 'C', ...sp])];
}

/** Signed pads for a dilated length: crop at most about half, then grow high so the kernel fits. */
function signedPads(d: Draw, a: Axis, dilLen: number): [number, number] {
  const maxCrop = d.lacks.has('negativePadding') ? 0 : Math.floor((dilLen - 1) / 2);
  const lo = Math.max(a.lo - 2, -maxCrop);
  let hi = Math.max(a.hi - 2, -maxCrop);
  if (dilLen + lo + hi < effK(a)) hi = effK(a) - dilLen - lo;
  return [lo, hi];
}

export function jaxGeneral(r: number, d: Draw): CaseJson {
  const specs = jaxSpecs(d, r, 'OI' + SPATIAL.slice(0, r));
  const [lhsSpec, rhsSpec, outSpec] = specs ?? ['NC' + SPATIAL.slice(0, r), 'OI' + SPATIAL.slice(0, r), 'NC' + SPATIAL.slice(0, r)];
  const batchGroups = d.pick[0]! < 0.25 && !d.lacks.has('batchGroups');
  const g = d.ch.groups;
  const [fgc, bgc] = batchGroups ? [1, g] : [g, 1];
  const N = batchGroups ? d.ch.batch * g : d.ch.batch;
  const C = batchGroups ? d.ch.inPer : d.ch.inPer * g;
  const I = batchGroups ? C : d.ch.inPer;
  const O = d.ch.outPer * g;
  // lhs dilation needs explicit pads (string padding is refused with it).
  const lhsDil = d.pick[1]! < 0.3 && !d.lacks.has('lhsDilation') && !d.lacks.has('explicitPadding');
  const stringPad = !lhsDil && (d.pick[2]! < 0.5 || d.lacks.has('explicitPadding'));
  const mode = choose(d.pick[3]!, allowed(d, [SAME, ['SAME_LOWER', 'samePadding'], VALID, ['same', 'samePadding']]));
  const len = d.axes.map((a) => 1 + a.extra);
  const ld = d.axes.map((a) => (lhsDil ? a.slack + 1 : 1));
  const padding = stringPad
    ? mode
    : d.axes.map((a, i) => signedPads(d, a, dilatedSize(len[i]!, ld[i]!)));
  if (stringPad && mode.toUpperCase() === 'VALID') d.axes.forEach((a, i) => (len[i] = Math.max(len[i]!, effK(a))));
  const sizes: Record<string, number> = { N, C, O, I };
  const kSizes: Record<string, number> = { ...sizes };
  spatialLetters(rhsSpec).forEach((c, i) => {
    sizes[c] = len[i]!;
    kSizes[c] = d.axes[i]!.k;
  });
  const attrs: Record<string, unknown> = {
    window_strides: d.axes.map((a) => a.s),
    padding,
    lhs_dilation: ld,
    rhs_dilation: d.axes.map((a) => a.d),
    dimension_numbers: specs,
    feature_group_count: fgc,
    batch_group_count: bgc,
  };
  return caseOf(d, 'jax', 'conv_general_dilated', attrs, {
    lhs: tensor(d, 0, shapeFor(lhsSpec, sizes)),
    rhs: tensor(d, 1, shapeFor(rhsSpec, kSizes)),
  });
}

export function jaxTranspose(r: number, d: Draw): CaseJson {
  const sp = SPATIAL.slice(0, r);
  const specs = jaxSpecs(d, r, `${sp}IO`);
  const [lhsSpec, rhsSpec] = specs ?? [`N${sp}C`, `${sp}IO`];
  const transposeKernel = d.pick[0]! < 0.5;
  const consistent = d.pick[1]! < 0.4;
  const mode = choose(d.pick[2]!, allowed(d, [SAME, VALID, ['PAIRS', 'explicitPadding']]));
  const len = d.axes.map((a) => 1 + (a.extra % 4));
  const padding =
    mode !== 'PAIRS'
      ? mode
      : d.axes.map((a, i): [number, number] => {
          const dil = dilatedSize(len[i]!, a.s);
          if (!consistent) return signedPads(d, a, dil);
          // Forward-conv pads (lo, hi) become (k-1-lo, k-1-hi): keep the window inside.
          const lo = Math.min(a.lo % 3, dil + effK(a) - 2);
          const hi = Math.min(a.hi % 3, dil + effK(a) - 2 - lo);
          return [lo, hi];
        });
  const C = d.ch.inPer + 1;
  const O = d.ch.outPer;
  // With transpose_kernel the kernel's O axis is read as input features after the swap.
  const sizes: Record<string, number> = { N: d.ch.batch, C, O: transposeKernel ? C : O, I: transposeKernel ? O : C };
  spatialLetters(rhsSpec).forEach((c, i) => (sizes[c] = len[i]!));
  const kSizes: Record<string, number> = { ...sizes };
  spatialLetters(rhsSpec).forEach((c, i) => (kSizes[c] = d.axes[i]!.k));
  const attrs: Record<string, unknown> = {
    strides: d.axes.map((a) => a.s),
    padding,
    rhs_dilation: d.axes.map((a) => a.d),
    dimension_numbers: specs,
    transpose_kernel: transposeKernel,
    use_consistent_padding: consistent,
  };
  return caseOf(d, 'jax', 'conv_transpose', attrs, {
    lhs: tensor(d, 0, shapeFor(lhsSpec, sizes)),
    rhs: tensor(d, 1, shapeFor(rhsSpec, kSizes)),
  });
}
