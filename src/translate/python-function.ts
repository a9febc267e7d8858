/**
 * `translate --emit function`: a Python module with convert_weights(w), convert_bias(b) and
 * forward(x, w, b=None): the source's arrays in the source's layouts in, the source's output in
 * its layout out, computed with the target framework, at every input and batch size where the
 * source call is valid. It does what generic.ts's runGeneric does on the reference, line for line:
 * the source's padding rule evaluated on x.shape, the target's padding realized from it (or the
 * target's own size-generic form), the call, the crop, the bias, the layout back.
 */
import type { Framework } from '../conventions/index.js';
import { show } from '../core/errors.js';
import { genericPlan, realize, type GenericPlan, type PadRule } from './generic.js';
import { kwargs, onnxRunLines, py } from './python.js';
import { qualified, type TranslateOptions } from './translate.js';
import type { CaseJson } from '../case/case.js';

const tuple = (v: readonly number[]) => py([...v], true);

/** Python for the helpers a module uses, by name. */
const HELPERS: Record<string, string[]> = {
  signed_pad: [
    'def _signed_pad(a, axes, pairs):',
    '    """Pads axes[i] of a by pairs[i] = (before, after) zeros; a negative amount removes elements."""',
    '    widths = [(0, 0)] * a.ndim',
    '    for ax, (lo, hi) in zip(axes, pairs):',
    '        widths[ax] = (max(0, lo), max(0, hi))',
    '    a = np.pad(a, widths)',
    '    index = [slice(None)] * a.ndim',
    '    for ax, (lo, hi) in zip(axes, pairs):',
    '        index[ax] = slice(max(0, -lo), a.shape[ax] - max(0, -hi))',
    '    return a[tuple(index)]',
  ],
  same: [
    'def _same_pads(n, k, s, lower=False):',
    '    """\'SAME\' for input size n, effective kernel k, stride s: ceil(n/s) outputs; odd element at the end (start if lower)."""',
    '    total = max(0, (-(-n // s) - 1) * s + k - n)',
    '    small = total // 2',
    '    return (total - small, small) if lower else (small, total - small)',
  ],
  transpose_pads: [
    'def _transpose_pads(n, out, k, s, forward_lo):',
    '    """Pads of the stride-dilated input of a transposed conv: the adjoint of a conv from `out` elements padded forward_lo at the start."""',
    '    lo = k - 1 - forward_lo',
    '    return (lo, out + k - 1 - lo - ((n - 1) * s + 1))',
  ],
  explicit_transpose: [
    'def _explicit_transpose(lo, hi, k, s):',
    '    """Forward pads b, e >= 0 and slack 0 <= a < s giving (k-1-b, k-1-e+a); the crop takes the rest."""',
    '    b, e = max(0, k - 1 - lo), max(0, k - 1 - hi)',
    '    a = min(s - 1, max(0, hi - (k - 1 - e)))',
    '    return b, e, a, (k - 1 - b - lo, k - 1 - e + a - hi)',
  ],
  torch_transpose: [
    'def _torch_transpose(lo, hi, k, s, d):',
    '    """torch conv_transpose: one padding p >= 0 and output_padding a < max(s, d) giving (k-1-p, k-1-p+a); the crop takes the rest."""',
    '    amax = max(s, d) - 1',
    '    p = max(0, min(k - 1 - lo, k - 1 - hi + amax))',
    '    a = min(amax, max(0, hi - (k - 1 - p)))',
    '    return p, a, (k - 1 - p - lo, k - 1 - p + a - hi)',
  ],
  tf_valid_transpose: [
    'def _tf_valid_transpose(lo, hi, k, s):',
    '    """TF conv_transpose \'VALID\': (k-1, k-1+j) with output_shape slack 0 <= j < s; the crop takes the rest."""',
    '    j = min(s - 1, max(0, hi - (k - 1)))',
    '    return j, (k - 1 - lo, k - 1 + j - hi)',
  ],
};

function ruleExpr(rule: PadRule, i: number): string {
  switch (rule.kind) {
    case 'const':
      return tuple(rule.pads);
    case 'same':
      return `_same_pads(n[${i}], ${rule.k}, ${rule.s}${rule.lower ? ', lower=True' : ''})`;
    case 'tf-output': {
      const lo = rule.forward === 'SAME' ? `_same_pads(out[${i}], ${rule.k}, ${rule.s})[0]` : rule.forward === 'VALID' ? '0' : String(rule.forward);
      return `_transpose_pads(n[${i}], out[${i}], ${rule.k}, ${rule.s}, ${lo})`;
    }
    case 'onnx-output': {
      const total = `${rule.s} * (n[${i}] - 1) + ${rule.outputPadding} + ${rule.k} - out[${i}]`;
      const lo = rule.upper ? `(${total}) // 2` : `(${total}) - (${total}) // 2`;
      return `_transpose_pads(n[${i}], out[${i}], ${rule.k}, ${rule.s}, ${lo})`;
    }
  }
}

/** The module's padding section: lines, attribute expressions by name, and pre/crop expressions. */
interface Padding {
  readonly lines: string[];
  readonly attrs: Record<string, string>;
  readonly pre?: string;
  readonly crop?: string;
  readonly helpers: string[];
  /** Reads the source's padding off x as given (before any layout change). */
  readonly source?: string;
}

/**
 * `shape` is the Python expression of the target-layout input shape the padding is computed
 * from; `sourceShape`/`sourceAxes` where the source's sizes are read (forward: x as given).
 */
export function padding(p: GenericPlan, shape = 'x.shape', sourceShape = 'x.shape', sourceAxes: readonly number[] = p.t.plan.sourceSpatialAxes): Padding {
  const r = p.rules.length;
  const { k, s, d } = p.axes;
  const helpers = new Set<string>();
  const lines: string[] = [];
  const attrs: Record<string, string> = {};
  const tfOut = p.to === 'tf' && p.kind === 'transposed';
  const nLine = `n = [${shape}[a] for a in ${tuple(p.t.plan.targetSpatialAxes.input)}]  # input sizes, in the target's layout`;
  if (!p.sizeDependent || p.own) {
    // Fixed pads, or the target's own size-generic form: the values are the same at every size.
    const real = realize(p, p.rules.map((rule) => (rule.kind === 'const' ? rule.pads : [0, 0])), p.t.plan.targetSpatialAxes.input.map(() => 1), 1);
    for (const [key, v] of Object.entries(real.attrs)) if (['padding', 'pads', 'auto_pad', 'output_padding'].includes(key)) attrs[key] = pyAttr(p.to, key, v);
    const pre = real.pre && py(real.pre.map((q) => [...q]), true);
    const crop = real.crop && py(real.crop.map((q) => [...q]), true);
    if (pre || crop) helpers.add('signed_pad');
    if (tfOut) {
      // output_shape follows the input size: out = (n-1)·s + 1 + (the target's canonical pads) - k + 1.
      lines.push(nLine);
      const cropSum = (real.crop ?? []).map(([a, b]) => a + b);
      const outs = p.rules.map((rule, i) => {
        const [lo, hi] = (rule as { pads: readonly number[] }).pads;
        return `(n[${i}] - 1) * ${s[i]} + ${lo! + hi! + (cropSum[i] ?? 0) - k[i]! + 2}`;
      });
      attrs['output_shape'] = `[${shape}[0], ${outs.join(', ')}, ${p.outChannels}]`;
    }
    return { lines, attrs, ...(pre ? { pre } : {}), ...(crop ? { crop } : {}), helpers: [...helpers] };
  }
  // The source's padding depends on the input size: computed from x.shape at call time.
  const os = p.outputShape;
  const source = `pads = source_pads([${sourceShape}[a] for a in ${tuple(sourceAxes)}]${os ? `, [output_shape[j] for j in ${tuple(os.spatial)}]` : ''})  # the source's padding at this size`;
  helpers.add('signed_pad');
  const per = (expr: string) => `[${expr} for i, (lo, hi) in enumerate(pads)]`;
  const K = tuple(k);
  const S = tuple(s);
  if (p.to === 'jax') {
    attrs['padding'] = 'pads';
    return { lines, attrs, helpers: [...helpers], source };
  }
  if (p.kind === 'forward') {
    if (p.to === 'torch') {
      lines.push('p = [max(0, min(lo, hi)) for lo, hi in pads]  # torch pads both ends alike; the input is padded for the rest');
      attrs['padding'] = 'p';
      return { lines, attrs, pre: per('(lo - p[i], hi - p[i])'), helpers: [...helpers], source };
    }
    if (p.to === 'tf' && r !== 2) {
      attrs['padding'] = "'VALID'";
      return { lines, attrs, pre: 'pads', helpers: [...helpers], source };
    }
    lines.push('keep = [(max(0, lo), max(0, hi)) for lo, hi in pads]  # the call pads >= 0; negative pads crop the input first');
    attrs[p.to === 'onnx' ? 'pads' : 'padding'] = p.to === 'onnx' ? '[lo for lo, _ in keep] + [hi for _, hi in keep]' : '[[0, 0]] + [list(q) for q in keep] + [[0, 0]]';
    return { lines, attrs, pre: per('(min(0, lo), min(0, hi))'), helpers: [...helpers], source };
  }
  if (p.to === 'torch') {
    helpers.add('torch_transpose');
    lines.push(`c = [_torch_transpose(lo, hi, k, s, d) for (lo, hi), k, s, d in zip(pads, ${K}, ${S}, ${tuple(d)})]`);
    Object.assign(attrs, { padding: '[q[0] for q in c]', output_padding: '[q[1] for q in c]' });
    return { lines, attrs, crop: '[q[2] for q in c]', helpers: [...helpers], source };
  }
  if (p.to === 'onnx' || r === 2) {
    helpers.add('explicit_transpose');
    lines.push(`c = [_explicit_transpose(lo, hi, k, s) for (lo, hi), k, s in zip(pads, ${K}, ${S})]`);
    if (p.to === 'onnx') Object.assign(attrs, { pads: '[q[0] for q in c] + [q[1] for q in c]', output_padding: '[q[2] for q in c]' });
    else {
      lines.push(nLine);
      attrs['padding'] = '[[0, 0]] + [[q[0], q[1]] for q in c] + [[0, 0]]';
      attrs['output_shape'] = `[${shape}[0]] + [(m - 1) * s + 1 + (k - 1 - q[0]) + (k - 1 - q[1] + q[2]) - k + 1 for m, q, k, s in zip(n, c, ${K}, ${S})] + [${p.outChannels}]`;
    }
    return { lines, attrs, crop: '[q[3] for q in c]', helpers: [...helpers], source };
  }
  helpers.add('tf_valid_transpose');
  lines.push(`c = [_tf_valid_transpose(lo, hi, k, s) for (lo, hi), k, s in zip(pads, ${K}, ${S})]`, nLine);
  attrs['padding'] = "'VALID'";
  attrs['output_shape'] = `[${shape}[0]] + [(m - 1) * s + k + q[0] for m, q, k, s in zip(n, c, ${K}, ${S})] + [${p.outChannels}]`;
  return { lines, attrs, crop: '[q[1] for q in c]', helpers: [...helpers], source };
}

/** A Python literal for an attribute value, as python.ts writes calls (tuples where torch and JAX take them). */
function pyAttr(fw: Framework, key: string, v: unknown): string {
  return fw === 'onnx' ? py(v) : kwargs({ [key]: v }, fw !== 'tf')[0]!.slice(key.length + 1);
}

const IMPORTS: Record<Framework, string[]> = {
  tf: ['import tensorflow as tf'],
  jax: ['import jax', 'from jax import lax'],
  onnx: ['import onnx', 'from onnx import helper, TensorProto', 'import onnxruntime as ort'],
  torch: ['import torch', 'import torch.nn.functional as F'],
};

/** The call of the target framework on numpy arrays x, wt (and bt), with the given attribute expressions; sets y. */
function callLines(p: GenericPlan, attrs: Record<string, string>, bias: boolean): string[] {
  const op = p.t.case.op;
  const all = Object.entries(attrs);
  const kw = all.map(([k, v]) => `${k}=${v}`).join(', ');
  switch (p.to) {
    case 'tf':
      return [`y = tf.nn.${op}(x, wt, ${kw}).numpy()`];
    case 'jax':
      return [`y = np.asarray(lax.${op}(x, wt, ${kw}))`];
    case 'torch':
      return [`y = F.${op}(torch.from_numpy(x), torch.from_numpy(wt), ${bias ? 'torch.from_numpy(bt)' : 'None'}, ${kw}).numpy()`];
    case 'onnx': {
      const elem = p.dtype === 'float64' ? 'TensorProto.DOUBLE' : 'TensorProto.FLOAT';
      return [
        `feeds = {'X': x, 'W': wt${bias ? ", 'B': bt" : ''}}`,
        `node = helper.make_node('${op}', list(feeds), ['Y'], ${kw})`,
        ...onnxRunLines(elem),
      ];
    }
  }
}

/** The static attributes of the call (strides, dilations, groups, layouts), as Python. */
export function staticAttrs(p: GenericPlan): Record<string, string> {
  const keep: Record<string, string> = {};
  const real = realize(p, p.rules.map(() => [0, 0] as const), p.rules.map(() => 1), 1);
  for (const [k, v] of Object.entries(real.attrs)) {
    if (['padding', 'pads', 'auto_pad', 'output_padding', 'output_shape'].includes(k)) continue;
    keep[k] = pyAttr(p.to, k, v);
  }
  return keep;
}

export interface FunctionModule {
  readonly plan: GenericPlan;
  readonly python: string;
}

/** The kernel conversion, as numpy statements on `w`. */
function kernelLines(p: GenericPlan): string[] {
  return p.t.plan.kernel.map((op) =>
    op.kind === 'reshape' ? `w = w.reshape(${tuple(op.shape)})` : op.kind === 'flip' ? `w = np.flip(w, axis=${tuple(op.axes)})` : `w = w.transpose(${tuple(op.perm)})`,
  );
}

function sourcePadsLines(p: GenericPlan): string[] {
  if (!p.sizeDependent || p.own) return [];
  const os = p.outputShape;
  return [
    `def source_pads(n${os ? ', out' : ''}):`,
    `    """${qualified(p.t.source.framework, p.t.source.op)}'s padding (before, after) of each spatial axis, for input sizes n${os ? ' and output sizes out' : ''}."""`,
    `    return [${p.rules.map(ruleExpr).join(', ')}]`,
  ];
}

export function emitFunction(c: CaseJson, to: Framework, opts: TranslateOptions = {}): FunctionModule {
  const p = genericPlan(c, to, opts);
  const t = p.t;
  const pad = padding(p);
  const attrs = { ...staticAttrs(p), ...pad.attrs };
  const dtype = p.dtype;
  const from = qualified(t.source.framework, t.source.op);
  const target = qualified(to, t.case.op);
  const os = p.outputShape;
  const osDefault = os ? `, output_shape=${tuple(os.value)}` : '';
  const holds = p.sizeDependent
    ? p.own
      ? `The source's padding depends on the input size; ${target} computes the same with its own padding=${show(p.own)} at every size.`
      : `The source's padding depends on the input size: it is computed from x.shape${os ? ' and output_shape' : ''} at call time (source_pads).`
    : `The source's padding does not depend on the input size.`;
  const lines: string[] = [
    `"""${from} computed with ${target}, at every input and batch size where the source call is valid.`,
    '',
    `convert_weights(w) turns the source's kernel into the target's; forward(x, w, b=None${os ? ', output_shape' : ''}) takes x, w (and b)`,
    `as ${from} takes them and returns its output in its layout. ${holds}`,
    ...(os ? [`output_shape is the source's output_shape attribute (${os.framework === 'tf' ? 'the full shape, in data_format order' : 'spatial sizes'}); give the one the source call would get.`] : []),
    `Written by convcheck translate --emit function.`,
    '"""',
    'import numpy as np',
    ...IMPORTS[to],
    ...(to === 'jax' && dtype === 'float64' ? ["jax.config.update('jax_enable_x64', True)"] : []),
    ...(to === 'onnx' && dtype === 'float64' ? ["# NB: onnxruntime's CPU provider has no float64 Conv/ConvTranspose; run float32 or another runtime"] : []),
    '',
    `DTYPE = np.${dtype}`,
    '',
    '',
    'def convert_weights(w):',
    `    """${t.kernelSteps.length ? t.kernelSteps.join('; ') : 'the kernel is used as it is'}."""`,
    '    w = np.asarray(w, dtype=DTYPE)',
    ...kernelLines(p).map((l) => `    ${l}`),
    '    return np.ascontiguousarray(w)',
    '',
    '',
    'def convert_bias(b):',
    '    return np.asarray(b, dtype=DTYPE)',
    '',
  ];
  const helpers = [...pad.helpers, ...(p.sizeDependent && !p.own ? helperNames(p.rules) : [])];
  for (const h of [...new Set(helpers)]) lines.push('', ...HELPERS[h]!, '');
  const sp = sourcePadsLines(p);
  if (sp.length) lines.push('', ...sp, '');
  const tp = t.plan;
  const body: string[] = ['x = np.asarray(x, dtype=DTYPE)'];
  if (pad.source) body.push(pad.source);
  if (tp.addBatch) body.push('x = x[None]  # the target call needs a batch axis');
  if (tp.inputPerm.some((q, i) => q !== i)) body.push(`x = x.transpose(${tuple(tp.inputPerm)})  # into the target's layout`);
  body.push(...pad.lines);
  if (pad.pre) body.push(`x = _signed_pad(x, ${tuple(tp.targetSpatialAxes.input)}, ${pad.pre})  # the padding the call cannot do itself`);
  body.push('wt = convert_weights(w)');
  if (p.biasInCall) body.push('bt = None if b is None else convert_bias(b)');
  if (p.biasInCall) {
    body.push('if bt is None:', ...callLines(p, attrs, false).map((l) => `    ${l}`), 'else:', ...callLines(p, attrs, true).map((l) => `    ${l}`));
  } else body.push(...callLines(p, attrs, false));
  if (pad.crop) body.push(`y = _signed_pad(y, ${tuple(tp.targetSpatialAxes.output)}, [(-lo, -hi) for lo, hi in ${pad.crop}])  # crop to the source's output window`);
  if (!p.biasInCall) {
    const shape = Array.from({ length: tp.outputShape.length }, (_, a) => (a === tp.targetSpatialAxes.outputChannel ? -1 : 1));
    body.push('if b is not None:', `    y = y + convert_bias(b).reshape(${tuple(shape)})  # ${to === 'tf' || to === 'jax' ? `${to} has no bias input` : 'after the crop, whose zeros get the bias too'}`);
  }
  if (tp.outputPerm.some((q, i) => q !== i)) body.push(`y = y.transpose(${tuple(tp.outputPerm)})  # back to the source's layout`);
  if (tp.dropBatch) body.push('y = y[0]');
  body.push('return y');
  lines.push('', `def forward(x, w, b=None${osDefault}):`, `    """${from}(x, w, b) in its own layouts, computed with ${target}."""`, ...body.map((l) => `    ${l}`));
  return { plan: p, python: lines.join('\n').replace(/\n{3,}/g, '\n\n\n') + '\n' };
}

function helperNames(rules: readonly PadRule[]): string[] {
  const out: string[] = [];
  for (const r of rules) {
    if (r.kind === 'same') out.push('same');
    if (r.kind === 'tf-output') out.push('transpose_pads', ...(r.forward === 'SAME' ? ['same'] : []));
    if (r.kind === 'onnx-output') out.push('transpose_pads');
  }
  return out;
}
