/**
 * Hostile input for `convcheck eval`: lines built to crash a parser, a shape rule or an
 * allocator, interleaved with good cases whose answers must all come back. Deterministic from a
 * seed (a small xorshift), so a failing line can be regenerated.
 *
 * Kinds of hostility, each from a real crash or blow-up of an earlier convcheck:
 * - broken JSON: truncated lines, garbage bytes, deep nesting (up to 100,000 levels) in every field;
 * - wrong types in every field, and keys such as `__proto__`, `constructor`;
 * - sizes: paddings, dilations, strides, output_shape up to 1e300; zero batches beside 2^53 axes;
 *   shapes claiming billions of elements;
 * - rank mismatches (jax conv_transpose with transpose_kernel and a rank-2 rhs);
 * - escape sequences and control characters in ids, keys and strings;
 * - random mutations of good cases: one attribute, dimension or input replaced by a hostile value.
 */
import fc from 'fast-check';
import type { CaseJson } from '../../src/case/case.js';
import { anyCaseArb } from '../../src/generators/cases.js';

export interface HostileLine {
  readonly text: string;
  /** For a good case: its id (an answer must come back with it). */
  readonly goodId?: string;
}

class Rng {
  constructor(private s: number) {
    if (this.s === 0) this.s = 1;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s / 2 ** 32;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

const HUGE = [1e9, 2 ** 31, 2 ** 32 + 1, 2 ** 53, 2 ** 53 + 2, 1e15, 1e300, -1, -1e9, 0, -0, 0.5, 3.7];
const CONTROL = ['\x1b[31m', '\x1b]0;pwned\x07', '\x9b2J', '\r', '\x00', '\x08\x08', '\u2028', '\x7f', '\n'];

function deep(depth: number, open = '[', close = ']', leaf = '1'): string {
  return open.repeat(depth) + leaf + close.repeat(depth);
}

function hostileValue(r: Rng): unknown {
  switch (r.int(12)) {
    case 0:
      return r.pick(HUGE);
    case 1:
      return [r.pick(HUGE), r.pick(HUGE)];
    case 2:
      return [[r.pick(HUGE), r.pick(HUGE)]];
    case 3:
      return 'SAME' + r.pick(CONTROL);
    case 4:
      return null;
    case 5:
      return { a: [1, { b: 'x' }] };
    case 6:
      return true;
    case 7:
      return Array.from({ length: 1 + r.int(40) }, () => r.pick(HUGE));
    case 8:
      return [];
    case 9:
      return 'NaN';
    case 10:
      return [[0, r.pick(HUGE)], [r.pick(HUGE), 0], [1, 1]];
    default:
      return r.pick(['valid', 'same', 'VALID', 'SAME_LOWER', 'SAME_UPPER', 'NOTSET', 'EXPLICIT']);
  }
}

/** Replaces one part of a good case with something hostile. */
function mutate(c: CaseJson, r: Rng): unknown {
  const v = JSON.parse(JSON.stringify(c)) as Record<string, any>;
  const inputs = Object.keys(v['inputs']);
  switch (r.int(9)) {
    case 0:
    case 1: {
      const attrs = (v['attrs'] ??= {});
      const keys = Object.keys(attrs);
      const k = keys.length && r.next() < 0.8 ? r.pick(keys) : r.pick(['padding', 'dilations', 'strides', 'output_shape', 'lhs_dilation', 'rhs_dilation', 'groups', 'group', 'output_padding', 'pads', 'transpose_kernel', 'batch_group_count']);
      attrs[k] = hostileValue(r);
      break;
    }
    case 2: {
      const t = v['inputs'][r.pick(inputs)];
      const i = r.int(t.shape.length);
      t.shape[i] = r.pick(HUGE);
      break;
    }
    case 3: {
      // A zero batch (no data) beside a huge axis: nothing to read, everything to allocate.
      const t = v['inputs'][inputs[0]!];
      t.shape = [0, ...t.shape.slice(1).map(() => r.pick([1, 2 ** 53, 2 ** 31, 1e9, 3]))];
      t.data = [];
      break;
    }
    case 4:
      v['inputs'][r.pick(inputs)].shape.pop();
      break;
    case 5:
      v['id'] = `evil${r.pick(CONTROL)}${r.pick(CONTROL)}id`;
      v['op'] = r.next() < 0.5 ? v['op'] : `${v['op']}${r.pick(CONTROL)}`;
      break;
    case 6:
      v['inputs'][r.pick(inputs)].data[0] = r.pick([{}, [], 'x', null, 'Infinity', 1e308, -1e308]);
      break;
    case 7:
      v['dtype'] = r.pick(['float16', 1, null, 'float64']);
      break;
    default:
      v[r.pick(['__proto__', 'constructor', 'toString', 'expected', 'note'])] = hostileValue(r);
  }
  return v;
}

/** Lines that are hostile as text, not just as values. */
function hostileText(r: Rng, good: string): string {
  switch (r.int(8)) {
    case 0:
      return good.slice(0, r.int(good.length)); // truncated
    case 1:
      return deep(1 + r.int(100_000));
    case 2: {
      // deep nesting inside a field that is otherwise right
      const d = 1000 + r.int(9000);
      return good.replace(/"attrs":\{/, `"attrs":{"padding":${deep(d)},`);
    }
    case 3:
      return `{"id":"deep-obj","framework":"tf","op":"conv1d","attrs":${deep(1000 + r.int(5000), '{"a":', '}')},"inputs":{}}`;
    case 4:
      return Array.from({ length: 1 + r.int(200) }, () => String.fromCharCode(r.int(256))).join('').replace(/\n/g, ' ');
    case 5:
      return `{"id":"${deep(5000, '\\\\u001b[', '')}","framework":"onnx"}`;
    case 6:
      return JSON.stringify({ id: 'big-shape', framework: 'onnx', op: 'Conv', inputs: { X: { shape: [2 ** 20, 2 ** 20], data: [] }, W: { shape: [1], data: [1] } } });
    default:
      return good.replace(/"data":\[[^\]]*\]/, '"data":' + deep(5000));
  }
}

/** Extra hand-written lines: every shape blow-up the issue names, once each. */
const NAMED: readonly unknown[] = [
  { id: 'torch-pad-1e9', framework: 'torch', op: 'conv1d', attrs: { padding: 1e9 }, inputs: { input: { shape: [1, 1, 2], data: [1, 2] }, weight: { shape: [1, 1, 1], data: [1] } } },
  { id: 'zero-batch-2^53', framework: 'jax', op: 'conv_general_dilated', attrs: { window_strides: [1], padding: 'VALID' }, inputs: { lhs: { shape: [0, 1, 2 ** 53], data: [] }, rhs: { shape: [1, 1, 1], data: [1] } } },
  { id: 'lhs-dilation', framework: 'jax', op: 'conv_general_dilated', attrs: { window_strides: [1], padding: [[0, 0]], lhs_dilation: [1e12] }, inputs: { lhs: { shape: [1, 1, 2], data: [1, 2] }, rhs: { shape: [1, 1, 1], data: [1] } } },
  { id: 'rhs-dilation', framework: 'jax', op: 'conv_general_dilated', attrs: { window_strides: [1], padding: [[0, 1e9]], rhs_dilation: [1e9] }, inputs: { lhs: { shape: [1, 1, 2], data: [1, 2] }, rhs: { shape: [1, 1, 2], data: [1, 2] } } },
  { id: 'output-shape', framework: 'tf', op: 'conv1d_transpose', attrs: { output_shape: [1, 1e9, 1], strides: 1e9, padding: 'VALID' }, inputs: { input: { shape: [1, 2, 1], data: [1, 2] }, filters: { shape: [1, 1, 1], data: [1] } } },
  { id: 'onnx-output-shape', framework: 'onnx', op: 'ConvTranspose', attrs: { output_shape: [2 ** 40] }, inputs: { X: { shape: [1, 1, 2], data: [1, 2] }, W: { shape: [1, 1, 1], data: [1] } } },
  { id: 'tk-rank2', framework: 'jax', op: 'conv_transpose', attrs: { strides: [1], padding: 'SAME', transpose_kernel: true }, inputs: { lhs: { shape: [1, 2, 1], data: [1, 2] }, rhs: { shape: [1, 1], data: [1] } } },
  { id: 'work', framework: 'jax', op: 'conv_general_dilated', attrs: { window_strides: [1, 1], padding: [[2000, 2000], [2000, 2000]] }, inputs: { lhs: { shape: [1, 0, 0, 0], data: [] }, rhs: { shape: [1, 0, 2000, 2000], data: [] } } },
];

/**
 * `n` lines: about one good case in `goodEvery`, the rest hostile. Good cases carry ids `good-i`
 * and must each get an answer.
 */
export function hostileLines(n: number, seed: number, goodEvery = 10): HostileLine[] {
  const r = new Rng(seed);
  const goods = fc.sample(anyCaseArb(), { numRuns: Math.ceil(n / goodEvery) + 64, seed });
  const out: HostileLine[] = NAMED.map((v) => ({ text: JSON.stringify(v) }));
  let g = 0;
  while (out.length < n) {
    const base = goods[r.int(goods.length)]!;
    if (r.int(goodEvery) === 0) {
      const id = `good-${g++}`;
      out.push({ text: JSON.stringify({ ...base, id }), goodId: id });
    } else if (r.next() < 0.6) out.push({ text: JSON.stringify(mutate(base, r)) });
    else out.push({ text: hostileText(r, JSON.stringify(base)) });
  }
  return out;
}
