/**
 * Children of bench/memory.ts.
 *   node memory-child.js FILE             `convcheck eval` with the streamed result writer
 *                                         (writeOutcomeJson): the eval loop as it will be once
 *                                         the CLI prints results piece by piece.
 *   node memory-child.js --reference N    the reference alone on a torch conv2d input of N
 *                                         elements built in memory; prints the peak RSS above the
 *                                         RSS with the inputs built, in bytes.
 */
import { writeSync } from 'node:fs';
import { evaluate } from '../src/case/case.js';
import { readCases, writeOutcomeJson } from '../src/case/io.js';
import { reference } from '../src/conventions/index.js';
import { setMaxElements } from '../src/core/shapes.js';

// The case is 10⁷ elements, past the default memory guard (4·2²⁰): raised as the CLI's --max-elements does.
setMaxElements(20_000_000);

if (process.argv[2] === '--reference') {
  const side = Math.round(Math.sqrt(Number(process.argv[3]) / 4));
  const x = new Float64Array(4 * side * side).map((_, i) => Math.fround(Math.sin(i) * 3));
  const w = new Float64Array(4 * 4 * 9).map((_, i) => Math.fround(Math.cos(i)));
  const call = { framework: 'torch' as const, op: 'conv2d', attrs: { padding: 1 }, inputs: { input: { shape: [1, 4, side, side], data: x }, weight: { shape: [4, 4, 3, 3], data: w } } };
  const before = process.memoryUsage().rss;
  const out = reference(call);
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ elements: x.length, outElements: out.data.length, above: peak - before }));
} else {
  for (const e of readCases(process.argv[2]!)) {
    if ('error' in e) throw e.error;
    writeOutcomeJson(e.case.id, evaluate(e.case), (piece) => (typeof piece === 'string' ? writeSync(1, piece) : writeSync(1, piece)));
    writeSync(1, '\n');
  }
}
