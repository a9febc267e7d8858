// A hostile adapter for the isolation tests of `convcheck validate`: ONNX Conv (the example
// adapter's loop) that misbehaves as the option `mode` says. Never part of a real run.
import example from '../../examples/onnx-conv-adapter.mjs';
import { parseCase, reference } from '../../dist/src/index.js';

const stride0 = (c) => (c.attrs?.strides ?? []).some((s) => s === 0);

/**
 * Lenient but correct: ONNX Conv with negative pads computed as the crop they naturally mean
 * (lowered to JAX's conv_general_dilated, whose padding may be negative), plus the bias. The
 * ONNX convention rejects negative pads; everything else goes to the example's loop.
 */
function lenientConv(c) {
  const pads = c.attrs?.pads;
  if (!Array.isArray(pads) || !pads.some((p) => p < 0) || (c.attrs.auto_pad ?? 'NOTSET') !== 'NOTSET') return example.run(c);
  const r = c.inputs.X.shape.length - 2;
  const spatial = 'DHW'.slice(3 - r);
  const jax = {
    framework: 'jax',
    op: 'conv_general_dilated',
    attrs: {
      window_strides: c.attrs.strides ?? new Array(r).fill(1),
      padding: Array.from({ length: r }, (_, i) => [pads[i], pads[i + r]]),
      rhs_dilation: c.attrs.dilations ?? new Array(r).fill(1),
      feature_group_count: c.attrs.group ?? 1,
      dimension_numbers: [`NC${spatial}`, `OI${spatial}`, `NC${spatial}`],
    },
    inputs: { lhs: c.inputs.X, rhs: c.inputs.W },
    dtype: c.dtype,
  };
  const out = reference(parseCase(jax, 'lenient'));
  const data = Array.from(out.data);
  if (c.inputs.B) {
    const per = out.shape.slice(2).reduce((a, b) => a * b, 1);
    for (let i = 0; i < data.length; i++) data[i] += Number(c.inputs.B.data[Math.floor(i / per) % out.shape[1]]);
  }
  return { shape: out.shape, data };
}

const MODES = {
  correct: (c) => example.run(c),
  unprintable: () => {
    throw { toString: () => { throw new Error('toString refuses'); } };
  },
  exit0: () => process.exit(0),
  loop: () => {
    for (;;);
  },
  never: () => new Promise(() => {}),
  stray: (c) => {
    Promise.reject(new Error('stray rejection from the adapter'));
    return example.run(c);
  },
  segv: () => process.kill(process.pid, 'SIGSEGV'),
  'late-exit': (c) => {
    setImmediate(() => process.exit(3)); // after the answer has gone
    return example.run(c);
  },
  fpe: () => process.kill(process.pid, 'SIGFPE'),
  'hang-stride0': (c) => (stride0(c) ? new Promise(() => {}) : example.run(c)),
  lenient: lenientConv,
  // Declines strides > 1 without declaring it (groups are declared lacking, so generators never send them).
  unsupported: (c) => ((c.attrs?.strides ?? []).some((s) => s > 1) ? { unsupported: 'no strides here' } : example.run(c)),
};

export default function create(options) {
  const run = MODES[options.mode ?? 'correct'];
  if (!run) throw new Error(`unknown mode ${options.mode}`);
  return { name: `hostile-${options.mode ?? 'correct'}`, framework: 'onnx', ops: ['Conv'], capabilities: { lacks: ['groups'] }, run };
}
