/**
 * Which axis of a failure's output tensor is which (batch, channel, spatial), read from the case
 * in its framework's own language, and which two axes a 2-D heatmap shows.
 */
import type { CaseJson } from '../case/case.js';

export interface OutputLayout {
  /** One label per axis: N, C and spatial letters (D, H, W), or d0, d1, ... when unknown. */
  readonly labels: string[];
  /** The axis shown down the heatmap, or -1 for a single row. */
  readonly rowAxis: number;
  /** The axis shown across the heatmap, or -1 for a single cell. */
  readonly colAxis: number;
  /** The remaining axes: one heatmap per combination of their indices, chosen with a select. */
  readonly sliceAxes: number[];
}

const SPATIAL: Readonly<Record<number, string>> = { 1: 'W', 2: 'HW', 3: 'DHW' };

/** The output's axis letters, as the case's framework lays them out; undefined when unknown. */
export function outputLabels(c: CaseJson | undefined, rank: number): string[] | undefined {
  if (c?.framework === 'torch') return torchLabels(c.op, rank);
  if (!c || rank < 3) return undefined;
  const sp = SPATIAL[rank - 2];
  if (!sp) return undefined;
  const attrs = c.attrs ?? {};
  let spec: string | undefined;
  switch (c.framework) {
    case 'onnx':
      spec = `NC${sp}`;
      break;
    case 'tf': {
      const f = attrs['data_format'];
      const channelsFirst = typeof f === 'string' && f.startsWith('NC');
      spec = channelsFirst ? `NC${sp}` : `N${sp}C`;
      break;
    }
    case 'jax': {
      const dn = attrs['dimension_numbers'];
      if (Array.isArray(dn) && typeof dn[2] === 'string') spec = dn[2];
      else spec = c.op === 'conv_transpose' ? `N${sp}C` : `NC${sp}`;
      break;
    }
  }
  if (!spec || spec.length !== rank) return undefined;
  const labels = [...spec];
  if (!labels.includes('N') || !labels.includes('C') || new Set(labels).size !== rank) return undefined;
  return labels;
}

/**
 * torch: the op names the spatial rank (conv2d: 2), and an input without its batch axis gives an
 * output without one: conv2d on [C, H, W] returns [C, H, W], not [N, C, W].
 */
function torchLabels(op: string, rank: number): string[] | undefined {
  const m = /(\d)d$/.exec(op);
  const sp = m ? SPATIAL[Number(m[1])] : undefined;
  if (!sp) return undefined;
  if (rank === sp.length + 2) return ['N', 'C', ...sp];
  if (rank === sp.length + 1) return ['C', ...sp];
  return undefined;
}

/**
 * The heatmap plane: for 2 or more spatial axes the last two (H × W), for one spatial axis
 * channels × width, so each slice is one batch item (and channel, and depth).
 */
export function outputLayout(c: CaseJson | undefined, shape: readonly number[]): OutputLayout {
  const rank = shape.length;
  const all = Array.from({ length: rank }, (_, i) => i);
  const known = outputLabels(c, rank);
  const labels = known ?? all.map((i) => `d${i}`);
  let rowAxis: number;
  let colAxis: number;
  if (rank === 0) [rowAxis, colAxis] = [-1, -1];
  else if (rank === 1) [rowAxis, colAxis] = [-1, 0];
  else if (known) {
    const spatial = all.filter((i) => known[i] !== 'N' && known[i] !== 'C');
    if (spatial.length >= 2) [rowAxis, colAxis] = [spatial[spatial.length - 2]!, spatial[spatial.length - 1]!];
    else [rowAxis, colAxis] = [known.indexOf('C'), spatial[0]!];
  } else [rowAxis, colAxis] = [rank - 2, rank - 1];
  return { labels, rowAxis, colAxis, sliceAxes: all.filter((i) => i !== rowAxis && i !== colAxis) };
}
