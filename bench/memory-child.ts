/**
 * Child of bench/memory.ts: `node memory-child.js --reference N` runs the reference alone on a
 * torch conv2d input of N elements built in memory and prints the peak RSS above the RSS with the
 * inputs built, in bytes.
 */
import { reference } from '../src/conventions/index.js';
import { setMaxElements } from '../src/core/shapes.js';

// The case is 10⁷ elements, past the default memory guard (4·2²⁰): raised as the CLI's --max-elements does.
setMaxElements(20_000_000);

const side = Math.round(Math.sqrt(Number(process.argv[3]) / 4));
const x = new Float64Array(4 * side * side).map((_, i) => Math.fround(Math.sin(i) * 3));
const w = new Float64Array(4 * 4 * 9).map((_, i) => Math.fround(Math.cos(i)));
const call = { framework: 'torch' as const, op: 'conv2d', attrs: { padding: 1 }, inputs: { input: { shape: [1, 4, side, side], data: x }, weight: { shape: [4, 4, 3, 3], data: w } } };
const before = process.memoryUsage().rss;
const out = reference(call);
const peak = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({ elements: x.length, outElements: out.data.length, above: peak - before }));
