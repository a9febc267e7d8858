/**
 * Shape-only cases, for translate only: a case may leave out `data` (shapes only), or give just
 * the kernel's shape and the input's rank ({"rank": 4}, or no input at all: batched). The data
 * are then filled in (small deterministic integers, so that the translation's own check that the
 * kernel moved right still means something), and the input's sizes chosen: batch 1, the channels
 * the kernel needs, and the first spatial size the source call accepts. The full case format
 * (src/case/case.ts) is not changed: `eval` still needs data.
 */
import { parseCase, type CaseJson, type TensorJson } from '../case/case.js';
import { lower, reference, type Framework } from '../conventions/index.js';
import { CaseError } from '../core/errors.js';
import { sizeOf } from '../core/tensor.js';

export interface Filled {
  readonly json: CaseJson;
  /** Which tensors had no data (their values are made up), and whether the input's sizes were chosen. */
  readonly madeUp: readonly string[];
  readonly inputSizesChosen: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const fill = (n: number, salt: number) => Array.from({ length: n }, (_, i) => ((i * 7 + salt * 5) % 9) - 4 || 1);

const INPUT: Record<Framework, string> = { tf: 'input', jax: 'lhs', onnx: 'X', torch: 'input' };

function kernelName(fw: Framework, op: string): string {
  return fw === 'tf' ? (op === 'depthwise_conv2d' ? 'filter' : 'filters') : fw === 'jax' ? 'rhs' : fw === 'onnx' ? 'W' : 'weight';
}

/** The input layout as a string of N, C and spatial letters (S), and the channels the kernel needs. */
function inputLayout(fw: Framework, op: string, attrs: Record<string, unknown>, k: readonly number[], rank: number): { layout: string; channels: number } {
  const r = k.length - 2;
  const groups = (name: string) => (typeof attrs[name] === 'number' ? (attrs[name] as number) : 1);
  const sp = 'S'.repeat(r);
  switch (fw) {
    case 'tf': {
      const fmt = typeof attrs['data_format'] === 'string' ? (attrs['data_format'] as string) : 'NHWC';
      const cFirst = fmt.startsWith('NC');
      const channels = op === 'depthwise_conv2d' ? k[2]! : op.endsWith('_transpose') ? k[r + 1]! : k[r]!;
      return { layout: cFirst ? `NC${sp}` : `N${sp}C`, channels };
    }
    case 'jax': {
      const dn = Array.isArray(attrs['dimension_numbers']) ? (attrs['dimension_numbers'] as string[]) : undefined;
      const letters = 'HWDXYZ'.slice(0, r);
      const [lhs, rhs] = dn ?? (op === 'conv_transpose' ? [`N${letters}C`, `${letters}IO`] : [`NC${letters}`, `OI${letters}`]);
      const tk = op === 'conv_transpose' && attrs['transpose_kernel'] === true;
      const channels = k[rhs!.indexOf(tk ? 'O' : 'I')]! * groups('feature_group_count');
      return { layout: [...lhs!].map((ch) => (ch === 'N' || ch === 'C' ? ch : 'S')).join(''), channels };
    }
    case 'onnx':
      return { layout: `NC${sp}`, channels: op === 'ConvTranspose' ? k[0]! : k[1]! * groups('group') };
    case 'torch': {
      const channels = op.startsWith('conv_transpose') ? k[0]! : k[1]! * groups('groups');
      return { layout: rank === r + 1 ? `C${sp}` : `NC${sp}`, channels };
    }
  }
}

function accepts(c: CaseJson): boolean {
  try {
    const call = parseCase(c, 'shape-only');
    lower(call);
    return sizeOf(reference(call).shape) > 0;
  } catch {
    return false;
  }
}

/**
 * A case whose tensors may have no data, or whose input may be only `{"rank": R}` or absent,
 * made into a full case. A case with all its data is returned as it is.
 */
export function fillShapes(v: unknown, where: string): Filled {
  if (!isObject(v) || !isObject(v['inputs'])) return { json: v as CaseJson, madeUp: [], inputSizesChosen: false };
  const c = v as unknown as CaseJson;
  const id = c.id ?? where;
  const fw = c.framework;
  if (!(fw in INPUT)) return { json: c, madeUp: [], inputSizesChosen: false };
  const inputs: Record<string, TensorJson> = {};
  const madeUp: string[] = [];
  const kName = kernelName(fw, c.op);
  let salt = 1;
  for (const [name, t] of Object.entries(c.inputs as Record<string, unknown>)) {
    if (!isObject(t)) throw new CaseError(id, `inputs.${name}`, 'must be an object {"shape": [...]} with optional "data"');
    if (t['data'] !== undefined) {
      inputs[name] = t as unknown as TensorJson;
      continue;
    }
    if (name === INPUT[fw] && t['shape'] === undefined) continue; // {"rank": R}: sizes chosen below
    const shape = t['shape'];
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
      throw new CaseError(id, `inputs.${name}.shape`, `must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
    }
    const n = sizeOf(shape as number[]);
    if (n > 1 << 22) throw new CaseError(id, `inputs.${name}.shape`, `[${shape.join(', ')}] is too large for a shape-only case (${n} elements)`);
    inputs[name] = { shape: shape as number[], data: fill(n, salt++) };
    madeUp.push(name);
  }
  const xName = INPUT[fw];
  if (inputs[xName]) return { json: { ...c, inputs }, madeUp, inputSizesChosen: false };
  const k = inputs[kName];
  if (!k) throw new CaseError(id, `inputs.${kName}`, `is needed to choose the input's sizes (give its shape)`);
  const r = k.shape.length - 2;
  const given = (c.inputs as Record<string, unknown>)[xName];
  const rank = isObject(given) && given['rank'] !== undefined ? given['rank'] : r + 2;
  if (!Number.isInteger(rank) || ((rank as number) !== r + 2 && !(fw === 'torch' && (rank as number) === r + 1))) {
    throw new CaseError(id, `inputs.${xName}.rank`, `must be ${r + 2}${fw === 'torch' ? ` (or ${r + 1}, unbatched)` : ''} for a kernel of rank ${r + 2}, got ${JSON.stringify(rank)}`);
  }
  const { layout, channels } = inputLayout(fw, c.op, c.attrs ?? {}, k.shape, rank as number);
  const shapeAt = (n: number) => [...layout].map((ch) => (ch === 'N' ? 1 : ch === 'C' ? channels : n));
  // Prefer a mid-sized input; then any size the call accepts (a TF output_shape allows one).
  for (const n of [8, 9, 10, 11, 12, ...Array.from({ length: 7 }, (_, i) => i + 1), ...Array.from({ length: 52 }, (_, i) => i + 13)]) {
    const shape = shapeAt(n);
    const json = { ...c, inputs: { ...inputs, [xName]: { shape, data: fill(sizeOf(shape), salt) } } };
    if (accepts(json)) return { json, madeUp: [...madeUp, xName], inputSizesChosen: true };
  }
  throw new CaseError(id, `inputs.${xName}`, `no input size from 1 to 64 makes a call ${fw} ${c.op} accepts with this kernel and these attributes`);
}
