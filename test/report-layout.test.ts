/**
 * The report's axis labels for an output, read from the case: torch's unbatched calls return
 * [C, H, W] (the op names the spatial rank), not "N C W" as a rank-based guess would say.
 */
import { describe, expect, it } from 'vitest';
import type { CaseJson } from '../src/case/case.js';
import { evaluate, parseCase } from '../src/case/case.js';
import { outputLabels, outputLayout } from '../src/report/layout.js';

const torch = (op: string, inputShape: number[], weightShape: number[]): CaseJson => ({
  framework: 'torch',
  op,
  inputs: {
    input: { shape: inputShape, data: new Array<number>(inputShape.reduce((a, b) => a * b, 1)).fill(1) },
    weight: { shape: weightShape, data: new Array<number>(weightShape.reduce((a, b) => a * b, 1)).fill(1) },
  },
});
const shapeOf = (c: CaseJson) => {
  const o = evaluate(parseCase(c, 'layout'));
  if ('error' in o) throw new Error(o.error);
  return o.shape;
};

describe('report layout: torch outputs, batched and unbatched', () => {
  it('conv2d on an unbatched [C, H, W] input: the output is labelled C H W, heatmap H x W, one per channel', () => {
    const c = torch('conv2d', [2, 5, 6], [3, 2, 2, 2]);
    const shape = shapeOf(c);
    expect(shape).toEqual([3, 4, 5]);
    expect(outputLabels(c, shape.length)).toEqual(['C', 'H', 'W']);
    expect(outputLayout(c, shape)).toEqual({ labels: ['C', 'H', 'W'], rowAxis: 1, colAxis: 2, sliceAxes: [0] });
  });

  it('conv2d batched: N C H W', () => {
    const c = torch('conv2d', [1, 2, 5, 6], [3, 2, 2, 2]);
    expect(outputLabels(c, shapeOf(c).length)).toEqual(['N', 'C', 'H', 'W']);
  });

  it('conv1d unbatched [C, W]: C W, channels down and width across', () => {
    const c = torch('conv1d', [2, 7], [3, 2, 3]);
    const shape = shapeOf(c);
    expect(shape).toEqual([3, 5]);
    expect(outputLayout(c, shape)).toEqual({ labels: ['C', 'W'], rowAxis: 0, colAxis: 1, sliceAxes: [] });
  });

  it('conv_transpose3d unbatched: C D H W', () => {
    const c = torch('conv_transpose3d', [2, 2, 2, 2], [2, 1, 2, 2, 2]);
    expect(outputLabels(c, shapeOf(c).length)).toEqual(['C', 'D', 'H', 'W']);
  });
});
