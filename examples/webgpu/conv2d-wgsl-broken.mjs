// The kernel of conv2d-wgsl.mjs with one off-by-one in the workgroup tiling: tiles start TILE - 1
// columns apart instead of TILE. Neighbouring tiles overlap by a column, so ceil(OW / TILE) tiles
// reach only 7·tiles + 1 columns: an output row of width 23–24, 30–32, 37–40, ... loses its last
// columns. Every output that small sizes produce is right: convcheck needs --sizes large to see it.
import { makeAdapter, TILE } from './conv2d-wgsl.mjs';

export default makeAdapter('wgsl-conv2d-broken', TILE - 1);
