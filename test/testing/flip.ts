import type { CaseJson } from 'convcheck';

/** A classic bug: the kernel read back to front (a convolution instead of a correlation). */
export function flipKernel(c: CaseJson): CaseJson {
  const W = c.inputs['W']!;
  const k = W.shape.slice(2).reduce((a, b) => a * b, 1);
  const data = W.data.map((_, i) => W.data[Math.floor(i / k) * k + (k - 1 - (i % k))]!);
  return { ...c, inputs: { ...c.inputs, W: { shape: W.shape, data } } };
}
