/**
 * Runnable Python for a translation: numpy arrays for the tensors, the imports, the call with
 * keyword arguments, and the recipe and bias around it. For ONNX, the node
 * (`onnx.helper.make_node(...)`) inside a one-node model run by onnxruntime.
 */
import type { TensorJson } from '../case/case.js';
import type { AxisAmount } from './recipe.js';
import { inputNameOf, qualified, type Translation } from './translate.js';

const KERNEL: Record<string, string> = { tf: 'filters', jax: 'rhs', onnx: 'W', torch: 'weight' };
const BIAS: Record<string, string> = { onnx: 'B', torch: 'bias' };

/** A Python literal for a JSON-ish attribute value: lists of pairs as tuples where JAX wants them. */
export function py(v: unknown, tuples = false): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return `'${v}'`;
  if (Array.isArray(v)) {
    const items = v.map((x) => py(x, tuples));
    if (!tuples) return `[${items.join(', ')}]`;
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  throw new Error(`toPython: cannot write ${JSON.stringify(v)}`);
}

function array(name: string, t: TensorJson, dtype: string): string {
  const vals = t.data.map((x) => (typeof x === 'number' ? String(x) : x === 'NaN' ? 'np.nan' : x === 'Infinity' ? 'np.inf' : '-np.inf'));
  return `${name} = np.array([${vals.join(', ')}], dtype=np.${dtype}).reshape(${py(t.shape, true)})`;
}

/** Signed pad of `v` (shape `shape`): np.pad for the zeros, a slice for the removals. */
function signedPad(v: string, shape: readonly number[], amounts: readonly AxisAmount[], comment: string): string[] {
  const lines = [`# ${comment}`];
  const widths = shape.map((_, a) => {
    const m = amounts.find((x) => x.axis === a);
    return [Math.max(0, m?.lo ?? 0), Math.max(0, m?.hi ?? 0)];
  });
  if (widths.some(([a, b]) => a! > 0 || b! > 0)) lines.push(`${v} = np.pad(${v}, ${py(widths.map((w) => w), true)})`);
  const padded = shape.map((n, a) => n + widths[a]![0]! + widths[a]![1]!);
  const slices = padded.map((n, a) => {
    const m = amounts.find((x) => x.axis === a);
    const lo = Math.max(0, -(m?.lo ?? 0));
    const hi = Math.max(0, -(m?.hi ?? 0));
    return lo === 0 && hi === 0 ? ':' : `${lo}:${n - hi}`;
  });
  if (slices.some((s) => s !== ':')) lines.push(`${v} = ${v}[${slices.join(', ')}]`);
  return lines;
}

export const kwargs = (attrs: Record<string, unknown>, tuples: boolean) =>
  Object.entries(attrs).map(([k, v]) => `${k}=${k === 'dimension_numbers' || k === 'padding' ? py(v, true) : py(v, tuples)}`);

/** A one-node graph of `node` over `feeds`, run by onnxruntime into `y` (Python lines). */
export function onnxRunLines(elem: string): string[] {
  return [
    'graph = helper.make_graph([node], "convcheck",',
    `                          [helper.make_tensor_value_info(k, ${elem}, v.shape) for k, v in feeds.items()],`,
    `                          [helper.make_tensor_value_info('Y', ${elem}, None)])`,
    "model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 22)])",
    'model.ir_version = 10',
    "y = ort.InferenceSession(model.SerializeToString(), providers=['CPUExecutionProvider']).run(None, feeds)[0]",
  ];
}

export function toPython(t: Translation): string {
  const c = t.case;
  const fw = c.framework;
  const dtype = c.dtype ?? 'float32';
  const attrs = c.attrs ?? {};
  const xIn = c.inputs[inputNameOf(fw)]!;
  const wIn = c.inputs[KERNEL[fw]!]!;
  const bIn = BIAS[fw] ? c.inputs[BIAS[fw]!] : undefined;
  const lines: string[] = [
    `# ${qualified(c.framework, c.op)}, translated by convcheck from ${qualified(t.source.framework, t.source.op)}`,
    'import numpy as np',
  ];
  if (fw === 'tf') lines.push('import tensorflow as tf');
  if (fw === 'jax') lines.push('import jax', 'from jax import lax');
  if (fw === 'torch') lines.push('import torch', 'import torch.nn.functional as F');
  if (fw === 'onnx') lines.push('import onnx', 'from onnx import helper, TensorProto', 'import onnxruntime as ort');
  if (fw === 'onnx' && dtype === 'float64') lines.push("# NB: onnxruntime's CPU provider has no float64 Conv/ConvTranspose; run float32 or another runtime");
  if (fw === 'jax' && dtype === 'float64') lines.push("jax.config.update('jax_enable_x64', True)");
  lines.push('');
  for (const s of t.kernelSteps.length ? ['kernel from the source kernel:', ...t.kernelSteps] : []) lines.push(`# ${s}`);
  lines.push(array('x', xIn, dtype), array('w', wIn, dtype));
  if (bIn) lines.push(array('b', bIn, dtype));
  if (t.bias) lines.push(array('b', t.bias, dtype));
  if (t.recipe?.pad) lines.push(...signedPad('x', xIn.shape, t.recipe.pad, 'recipe: pad the input (negative amounts remove elements)'));
  lines.push('');

  if (fw === 'tf') {
    lines.push(`y = tf.nn.${c.op}(${['input=x', 'filters=w', ...kwargs(attrs, false)].join(', ')}).numpy()`);
  } else if (fw === 'jax') {
    lines.push(`y = np.asarray(lax.${c.op}(${['lhs=x', 'rhs=w', ...kwargs(attrs, true)].join(', ')}))`);
  } else if (fw === 'torch') {
    const args = ['input=torch.from_numpy(x)', 'weight=torch.from_numpy(w)', ...(bIn ? ['bias=torch.from_numpy(b)'] : []), ...kwargs(attrs, true)];
    lines.push(`y = F.${c.op}(${args.join(', ')}).numpy()`);
  } else {
    const names = ['X', 'W', ...(bIn ? ['B'] : [])];
    const elem = dtype === 'float64' ? 'TensorProto.DOUBLE' : 'TensorProto.FLOAT';
    const attrArgs = Object.entries(attrs).map(([k, v]) => `${k}=${py(v)}`);
    lines.push(
      `node = helper.make_node(${[`'${c.op}'`, `inputs=${py(names)}`, "outputs=['Y']", ...attrArgs].join(', ')})`,
      `feeds = ${['{', names.map((n, i) => `'${n}': ${['x', 'w', 'b'][i]}`).join(', '), '}'].join('')}`,
      ...onnxRunLines(elem),
    );
  }
  if (t.recipe?.crop) {
    const shape = t.plan.outputShape;
    lines.push(...signedPad('y', shape, t.recipe.crop.map((a) => ({ axis: a.axis, lo: -a.lo, hi: -a.hi })), 'recipe: crop the output (negative amounts add zeros)'));
  }
  if (t.bias && t.plan.biasAxis !== undefined) {
    const rank = outputRank(t);
    const shape = Array.from({ length: rank }, (_, a) => (a === t.plan.biasAxis ? -1 : 1));
    lines.push(`y = y + b.reshape(${py(shape, true)})  # ${fw} has no bias input`);
  }
  lines.push('print(y)');
  const back: string[] = [];
  if (t.plan.outputPerm.some((p, i) => p !== i)) back.push(`y = y.transpose(${py(t.plan.outputPerm, true)})`);
  if (t.plan.dropBatch) back.push('y = y[0]');
  if (back.length) lines.push('# in the source\'s layout:', ...back, 'print(y)');
  return lines.join('\n') + '\n';
}

function outputRank(t: Translation): number {
  return t.plan.outputShape.length;
}
