/**
 * `translate --emit layer`: the target framework's own layer with the converted weights loaded:
 * torch.nn.ConvNd / ConvTransposeNd (in a small module that adds the pad or crop the call needs),
 * a Keras layer stack, a Flax nn.Conv / nn.ConvTranspose with its params, or an ONNX model with
 * the weights as initializers. `make_layer(w, b=None, x_shape=None)` builds it; x_shape (the
 * input's shape in the target's layout) is needed only where the source's padding depends on the
 * input size, and then the layer is right for that size. `forward(x, w, b=None)` runs the layer
 * on the source's arrays, in the source's layouts, as --emit function's forward does.
 */
import type { CaseJson } from '../case/case.js';
import type { Framework } from '../conventions/index.js';
import { NotExpressible } from './errors.js';
import { genericPlan, tfValidTranspose, type GenericPlan } from './generic.js';
import { emitFunction, padding, staticAttrs } from './python-function.js';
import { py } from './python.js';
import { qualified, type TranslateOptions } from './translate.js';

const tuple = (v: readonly number[]) => py([...v], true);

export interface LayerModule {
  readonly plan: GenericPlan;
  readonly python: string;
}

/**
 * The module: the function module's helpers and convert_weights, then make_layer and a forward
 * that runs the layer. The padding lines are the function module's, read off x_shape.
 */
export function emitLayer(c: CaseJson, to: Framework, opts: TranslateOptions = {}): LayerModule {
  const p = genericPlan(c, to, opts);
  const base = emitFunction(c, to, opts).python;
  // Keep the function module's docstring, imports, convert_* and helpers; replace forward.
  const head = base.slice(0, base.indexOf('\ndef forward(')).replace('computed with', 'as a layer of').replace('Written by convcheck translate --emit function.', 'Written by convcheck translate --emit layer.');
  const perShape = p.sizeDependent && !p.own;
  const body = LAYER[to](p, perShape);
  const tp = p.t.plan;
  const os = p.outputShape;
  const fwd: string[] = [
    `def forward(x, w, b=None${os ? `, output_shape=${tuple(os.value)}` : ''}):`,
    `    """${qualified(p.t.source.framework, p.t.source.op)}(x, w, b) in its own layouts, computed by the layer."""`,
    '    x = np.asarray(x, dtype=DTYPE)',
    ...(tp.addBatch ? ['    x = x[None]'] : []),
    ...(tp.inputPerm.some((q, i) => q !== i) ? [`    x = x.transpose(${tuple(tp.inputPerm)})`] : []),
    `    layer = make_layer(w, b${perShape ? `, x.shape${os ? ', output_shape' : ''}` : ''})`,
    `    y = run_layer(layer, x)`,
    ...(tp.outputPerm.some((q, i) => q !== i) ? [`    y = y.transpose(${tuple(tp.outputPerm)})`] : []),
    ...(tp.dropBatch ? ['    y = y[0]'] : []),
    '    return y',
  ];
  const imports = EXTRA_IMPORTS[to];
  const withImports = imports.length ? head.replace('\nDTYPE =', `${imports.join('\n')}\n\nDTYPE =`) : head;
  return { plan: p, python: `${withImports.trimEnd()}\n\n\n${body.join('\n')}\n\n\n${fwd.join('\n')}\n` };
}

const EXTRA_IMPORTS: Record<Framework, string[]> = {
  torch: ['from torch import nn'],
  tf: ['import keras'],
  jax: ['import jax.numpy as jnp', 'from flax import linen as nn'],
  onnx: ['from onnx import numpy_helper'],
};

/** make_layer's padding: the function module's, read off x_shape (the target-layout input shape). */
function padLines(p: GenericPlan): ReturnType<typeof padding> {
  return padding(p, 'x_shape', 'x_shape', p.t.plan.targetSpatialAxes.input);
}

const signature = (p: GenericPlan, perShape: boolean) => `def make_layer(w, b=None${perShape ? `, x_shape=None${p.outputShape ? `, output_shape=${tuple(p.outputShape.value)}` : ''}` : ''}):`;
const perShapeDoc = (perShape: boolean) =>
  perShape ? ["    # The source's padding depends on the input size: this layer is built for inputs of shape x_shape (target layout)."] : [];

const LAYER: Record<Framework, (p: GenericPlan, perShape: boolean) => string[]> = {
  torch: (p, perShape) => {
    const pad = padLines(p);
    const r = p.rules.length;
    const transposed = p.kind === 'transposed';
    const cls = transposed ? `nn.ConvTranspose${r}d` : `nn.Conv${r}d`;
    const st = staticAttrs(p);
    const g = st['groups'] ?? '1';
    const ch = transposed ? `wt.shape[0], wt.shape[1] * ${g}` : `wt.shape[1] * ${g}, wt.shape[0]`;
    const kw = { stride: st['stride']!, padding: pad.attrs['padding'] ?? '0', ...(transposed ? { output_padding: pad.attrs['output_padding'] ?? '0' } : {}), dilation: st['dilation']!, groups: g };
    const kwText = Object.entries(kw).map(([k, v]) => `${k}=${v}`).join(', ');
    return [
      'class Translated(nn.Module):',
      `    """${cls}${pad.pre ? ' after a pad of the input' : ''}${pad.crop ? ' and a crop of its output' : ''}, with the converted weights."""`,
      '',
      '    def __init__(self, conv, pre=None, crop=None, bias=None):',
      '        super().__init__()',
      '        self.conv, self.pre, self.crop = conv, pre, crop',
      '        self.bias = None if bias is None else nn.Parameter(bias, requires_grad=False)  # added after a crop that may add zeros',
      '',
      '    def forward(self, x):',
      `        if self.pre is not None:  # F.pad takes (before, after) pairs last axis first; negative crops`,
      `            x = F.pad(x, [v for lo_hi in reversed(self.pre) for v in lo_hi])`,
      '        y = self.conv(x)',
      '        if self.crop is not None:',
      `            y = F.pad(y, [-v for lo_hi in reversed(self.crop) for v in lo_hi])`,
      '        if self.bias is not None:',
      `            y = y + self.bias.reshape(${tuple(Array.from({ length: r + 2 }, (_, a) => (a === 1 ? -1 : 1)))})`,
      '        return y',
      '',
      '',
      signature(p, perShape),
      ...perShapeDoc(perShape),
      ...(pad.source ? [`    ${pad.source}`] : []),
      ...pad.lines.map((l) => `    ${l}`),
      '    wt = torch.from_numpy(convert_weights(w))',
      `    conv = ${cls}(${ch}, tuple(wt.shape[2:]), ${kwText}, bias=${p.biasInCall ? 'b is not None' : 'False'})`,
      '    with torch.no_grad():',
      '        conv.weight.copy_(wt)',
      ...(p.biasInCall ? ['        if b is not None:', '            conv.bias.copy_(torch.from_numpy(convert_bias(b)))'] : []),
      `    pre = ${pad.pre ? `[tuple(q) for q in ${pad.pre}]` : 'None'}`,
      `    crop = ${pad.crop ? `[tuple(q) for q in ${pad.crop}]` : 'None'}`,
      `    bias = ${p.biasInCall ? 'None' : 'None if b is None else torch.from_numpy(convert_bias(b))'}`,
      '    return Translated(conv, pre, crop, bias).eval()',
      '',
      '',
      'def run_layer(layer, x):',
      '    with torch.no_grad():',
      '        return layer(torch.from_numpy(np.ascontiguousarray(x))).numpy()',
    ];
  },
  tf: (p, perShape) => keras(p, perShape),
  jax: (p, perShape) => flax(p, perShape),
  onnx: (p, perShape) => onnxModel(p, perShape),
};

/** Keras: ZeroPadding/Cropping around Conv / ConvTranspose ('valid' plus output_padding, or 'same'). */
function keras(p: GenericPlan, perShape: boolean): string[] {
  if (perShape) {
    throw new NotExpressible('tf', 'padding', "the source's padding depends on the input size and is not TF's 'SAME': a Keras layer has fixed padding. Use --emit function (it computes the padding from x.shape), or translate at your input size");
  }
  const r = p.rules.length;
  const st = staticAttrs(p);
  const consts = p.rules.map((rule) => (rule.kind === 'const' ? rule.pads : ([0, 0] as const)));
  const dil = p.axes.d;
  const common = `kernel_size=wt.shape[:${r}], strides=${tuple(p.kind === 'transposed' ? p.axes.s : p.axes.ws)}, dilation_rate=${tuple(dil)}`;
  let pre: Array<readonly [number, number]> | undefined;
  let crop: Array<readonly [number, number]> | undefined;
  let conv: string;
  if (p.kind === 'forward') {
    const groups = Number(st['groups'] ?? 1);
    if (p.own) conv = `keras.layers.Conv${r}D(filters=wt.shape[-1], ${common}, padding='same', groups=${groups}, use_bias=b is not None)`;
    else {
      pre = consts.map((q) => [q[0], q[1]] as const);
      conv = `keras.layers.Conv${r}D(filters=wt.shape[-1], ${common}, padding='valid', groups=${groups}, use_bias=b is not None)`;
    }
  } else {
    // Keras ConvTranspose 'valid' with output_padding j: canonical (k-1, k-1+j), as tf 'VALID'.
    const c = consts.map((q, i) => tfValidTranspose(q, p.axes.k[i]!, p.axes.s[i]!));
    crop = c.map((x) => x.crop);
    conv = `keras.layers.Conv${r}DTranspose(filters=wt.shape[-2], ${common}, padding='valid', output_padding=${tuple(c.map((x) => x.j))}, use_bias=False)`;
  }
  // Keras takes ((lo, hi), ...) per spatial axis, and a bare (lo, hi) in 1-D.
  const pairs = (v: Array<readonly [number, number]>, sign: number, neg: boolean) => {
    const q = v.map(([a, b]) => [Math.max(0, (neg ? -1 : 1) * sign * a), Math.max(0, (neg ? -1 : 1) * sign * b)]);
    return r === 1 ? tuple(q[0]!) : py(q, true);
  };
  const around = (v: Array<readonly [number, number]> | undefined, sign: number) =>
    !v
      ? []
      : [
          ...(v.some(([a, b]) => sign * a > 0 || sign * b > 0) ? [`keras.layers.ZeroPadding${r}D(padding=${pairs(v, sign, false)})`] : []),
          ...(v.some(([a, b]) => sign * a < 0 || sign * b < 0) ? [`keras.layers.Cropping${r}D(cropping=${pairs(v, sign, true)})`] : []),
        ];
  const layers = [...around(pre, 1), 'conv', ...around(crop, -1)];
  const biasAfter = p.kind === 'transposed';
  return [
    signature(p, false),
    `    """A Keras stack: ${layers.join(' -> ').replace(/keras\.layers\./g, '')}, with the converted weights (channels last)."""`,
    '    wt = convert_weights(w)',
    `    conv = ${conv}`,
    `    layers = [keras.Input(shape=(${Array.from({ length: r }, () => 'None').join(', ')}, wt.shape[${p.kind === 'transposed' ? -1 : -2}]${p.kind === 'transposed' ? '' : ` * ${st['groups'] ?? '1'}`})), ${layers.join(', ')}]`,
    ...(biasAfter ? ['    if b is not None:  # after the crop, whose zeros get the bias too', '        layers.append(keras.layers.Lambda(lambda y, bb=convert_bias(b): y + bb))'] : []),
    '    model = keras.Sequential(layers)',
    `    conv.set_weights([wt]${biasAfter ? '' : ' + ([convert_bias(b)] if b is not None else [])'})`,
    '    return model',
    '',
    '',
    'def run_layer(layer, x):',
    '    return np.asarray(layer(x))',
  ];
}

/** Flax: nn.Conv (forward) or nn.ConvTranspose (transposed) with explicit pads of the dilated input. */
function flax(p: GenericPlan, perShape: boolean): string[] {
  const r = p.rules.length;
  const st = staticAttrs(p);
  const dn = p.t.case.attrs?.['dimension_numbers'] as string[];
  const spatial = [...dn[1]!].filter((ch) => ch !== 'O' && ch !== 'I');
  // The jax translation's kernel is in dn[1]'s order; Flax wants [spatial..., I, O]; its arrays N...C.
  const kPerm = [...spatial, 'I', 'O'].map((ch) => dn[1]!.indexOf(ch));
  const inPerm = ['N', ...spatial, 'C'].map((ch) => dn[0]!.indexOf(ch));
  const outBack = [...dn[2]!].map((ch) => ['N', ...spatial, 'C'].indexOf(ch));
  const pad = padding(p, 'x_shape', 'x_shape', p.t.plan.targetSpatialAxes.input);
  const groups = Number(p.t.case.attrs?.['feature_group_count'] ?? 1);
  const padExpr = p.own ? `'${p.own}'` : pad.attrs['padding'] === 'pads' ? '[tuple(q) for q in pads]' : tuple(p.rules.map((rule) => (rule.kind === 'const' ? [...rule.pads] : [0, 0])) as unknown as number[]);
  const transposed = p.kind === 'transposed';
  const layer = transposed && groups === 1
    ? `nn.ConvTranspose(features=k.shape[-1], kernel_size=k.shape[:${r}], strides=${tuple(p.axes.s)}, padding=${padExpr}, kernel_dilation=${tuple(p.axes.d)}, use_bias=b is not None, transpose_kernel=False, param_dtype=DTYPE)`
    : `nn.Conv(features=k.shape[-1], kernel_size=k.shape[:${r}], strides=${tuple(p.axes.ws)}, padding=${padExpr}, input_dilation=${tuple(p.axes.s)}, kernel_dilation=${tuple(p.axes.d)}, feature_group_count=${groups}, use_bias=b is not None, param_dtype=DTYPE)`;
  void st;
  return [
    signature(p, perShape),
    `    """(module, params): Flax ${transposed && groups === 1 ? 'nn.ConvTranspose' : 'nn.Conv'} on N...C arrays, kernel [spatial..., in, out], with the converted weights."""`,
    ...perShapeDoc(perShape),
    ...(perShape ? [`    x_shape = [x_shape[a] for a in ${tuple(inPerm)}]  # the jax layout's shape, read as N...C`] : []),
    ...(pad.source ? [`    ${pad.source.replace(/for a in \([^)]*\)/, `for a in ${tuple(Array.from({ length: r }, (_, i) => i + 1))}`)}`] : []),
    `    k = np.transpose(convert_weights(w), ${tuple(kPerm)})`,
    `    module = ${layer}`,
    "    params = {'kernel': jnp.asarray(k)}",
    '    if b is not None:',
    "        params['bias'] = jnp.asarray(convert_bias(b))",
    "    return module, {'params': params}",
    '',
    '',
    'def run_layer(layer, x):',
    '    module, params = layer',
    `    y = np.asarray(module.apply(params, jnp.asarray(np.transpose(x, ${tuple(inPerm)}))))`,
    `    return np.transpose(y, ${tuple(outBack)})  # back to the jax call's layout`,
  ];
}

/** ONNX: a model with W (and B) as initializers; Pad and Slice nodes for the pad/crop around the call. */
function onnxModel(p: GenericPlan, perShape: boolean): string[] {
  const r = p.rules.length;
  const pad = padLines(p);
  const st = staticAttrs(p);
  const attrs = { ...st, ...pad.attrs };
  const kw = Object.entries(attrs).map(([k, v]) => `${k}=${v}`).join(', ');
  const elem = p.dtype === 'float64' ? 'TensorProto.DOUBLE' : 'TensorProto.FLOAT';
  const sp = p.t.plan.targetSpatialAxes;
  return [
    signature(p, perShape),
    `    """An ONNX model (opset 22): ${p.t.case.op} with the converted weights as initializers${pad.pre ? ', after a Pad/Slice of X' : ''}${pad.crop ? ', then a Pad/Slice of its output' : ''}."""`,
    ...perShapeDoc(perShape),
    ...(pad.source ? [`    ${pad.source}`] : []),
    ...pad.lines.map((l) => `    ${l}`),
    '    inits = [numpy_helper.from_array(convert_weights(w), "W")]',
    '    if b is not None:',
    '        inits.append(numpy_helper.from_array(convert_bias(b), "B"))',
    '    nodes, x_name = [], "X"',
    ...(pad.pre ? [`    x_name = _signed_pad_nodes(nodes, inits, x_name, ${tuple(sp.input)}, ${pad.pre}, "pre")`] : []),
    `    nodes.append(helper.make_node('${p.t.case.op}', [x_name, "W"] + (["B"] if b is not None${p.biasInCall ? '' : ' and False'} else []), ["conv"], ${kw}))`,
    '    y_name = "conv"',
    ...(pad.crop ? [`    y_name = _signed_pad_nodes(nodes, inits, y_name, ${tuple(sp.output)}, [(-lo, -hi) for lo, hi in ${pad.crop}], "crop")`] : []),
    ...(p.biasInCall ? [] : [
      '    if b is not None:  # after the crop, whose zeros get the bias too',
      `        inits.append(numpy_helper.from_array(convert_bias(b).reshape(${tuple(Array.from({ length: r + 1 }, (_, a) => (a === 0 ? -1 : 1)))}), "Bc"))`,
      '        nodes.append(helper.make_node("Add", [y_name, "Bc"], ["biased"]))',
      '        y_name = "biased"',
    ]),
    '    nodes.append(helper.make_node("Identity", [y_name], ["Y"]))',
    `    dims = ["N", "C"] + ["S%d" % i for i in range(${r})]`,
    `    graph = helper.make_graph(nodes, "convcheck", [helper.make_tensor_value_info("X", ${elem}, dims)], [helper.make_tensor_value_info("Y", ${elem}, ["N", "M"] + ["T%d" % i for i in range(${r})])], initializer=inits)`,
    "    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 22)])",
    '    model.ir_version = 10',
    '    onnx.checker.check_model(model)',
    '    return model',
    '',
    '',
    'def _signed_pad_nodes(nodes, inits, name, axes, pairs, tag):',
    '    """Pad (zeros) then Slice (removals) along axes: the signed pad of _signed_pad, as ONNX nodes."""',
    '    pairs = [tuple(q) for q in pairs]',
    '    if any(lo > 0 or hi > 0 for lo, hi in pairs):',
    '        amounts = [max(0, lo) for lo, _ in pairs] + [max(0, hi) for _, hi in pairs]',
    '        inits += [numpy_helper.from_array(np.array(amounts, dtype=np.int64), tag + "_pads"), numpy_helper.from_array(np.array(axes, dtype=np.int64), tag + "_axes")]',
    '        nodes.append(helper.make_node("Pad", [name, tag + "_pads", "", tag + "_axes"], [tag + "_padded"]))',
    '        name = tag + "_padded"',
    '    if any(lo < 0 or hi < 0 for lo, hi in pairs):',
    '        starts = [max(0, -lo) for lo, _ in pairs]',
    '        ends = [-max(0, -hi) if hi < 0 else np.iinfo(np.int64).max for _, hi in pairs]',
    '        for v, n in ((starts, "_starts"), (ends, "_ends"), (list(axes), "_saxes")):',
    '            inits.append(numpy_helper.from_array(np.array(v, dtype=np.int64), tag + n))',
    '        nodes.append(helper.make_node("Slice", [name, tag + "_starts", tag + "_ends", tag + "_saxes"], [tag + "_sliced"]))',
    '        name = tag + "_sliced"',
    '    return name',
    '',
    '',
    'def run_layer(layer, x):',
    "    return ort.InferenceSession(layer.SerializeToString(), providers=['CPUExecutionProvider']).run(None, {'X': x})[0]",
  ];
}

