/**
 * Peak memory of `convcheck eval` on one large case: a torch conv2d whose input has about 10⁷
 * elements ([1, 4, 1581, 1581] × [4, 4, 3, 3], padding 1, float32 values), run as the CLI in a
 * child process; its peak RSS (from /usr/bin/time) per input element, and the same for a Node
 * that only starts (the floor). The budget: 4 float64 copies of the largest tensor.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface MemoryFigure {
  readonly elements: number;
  /** The CLI as it is. */
  readonly peakBytes: number;
  /** The same eval loop printing with writeOutcomeJson (bench/memory-child.ts). */
  readonly streamedPeakBytes: number;
  /** Node that only starts. */
  readonly floorBytes: number;
  /** The reference alone (inputs built in memory): peak RSS above the RSS with the inputs. */
  readonly referenceBytes: number;
}

/** Peak RSS in bytes of `node args…` (GNU time's %M is in KiB). */
function peakRss(args: readonly string[]): number {
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr.toString().slice(-500)}`);
  const lines = r.stderr.toString().trim().split('\n');
  return Number(lines[lines.length - 1]) * 1024;
}

export function memoryFigure(side = 1581, channels = 4): MemoryFigure {
  const dir = mkdtempSync(join(tmpdir(), 'convcheck-mem-'));
  try {
    const file = join(dir, 'big.json');
    const n = channels * side * side;
    // A deterministic spread of float32 values, written without building one giant string.
    const x = new Array<number>(n);
    for (let i = 0; i < n; i++) x[i] = Math.fround(Math.sin(i) * 3);
    const w = Array.from({ length: channels * channels * 9 }, (_, i) => Math.fround(Math.cos(i)));
    writeFileSync(
      file,
      JSON.stringify({ id: 'big', framework: 'torch', op: 'conv2d', attrs: { padding: 1 }, inputs: { input: { shape: [1, channels, side, side], data: x }, weight: { shape: [channels, channels, 3, 3], data: w } } }),
    );
    const here = fileURLToPath(new URL('.', import.meta.url));
    const peakBytes = peakRss([join(here, '..', 'src', 'cli', 'main.js'), 'eval', '--max-elements', '20000000', file]);
    const streamedPeakBytes = peakRss([join(here, 'memory-child.js'), file]);
    const floorBytes = peakRss(['-e', '0']);
    const ref = spawnSync(process.execPath, [join(here, 'memory-child.js'), '--reference', String(n)], { encoding: 'utf8' });
    const referenceBytes = (JSON.parse(ref.stdout) as { above: number }).above;
    return { elements: n, peakBytes, streamedPeakBytes, floorBytes, referenceBytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printMemory(f: MemoryFigure): void {
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  const line = (label: string, b: number) =>
    console.log(`  ${label.padEnd(34)} peak RSS ${mib(b)} = ${(b / f.elements).toFixed(1)} bytes per input element; ${((b - f.floorBytes) / f.elements / 8).toFixed(1)} float64 copies above an idle Node (${mib(f.floorBytes)})`);
  console.log(`eval memory, one torch conv2d case with ${f.elements} input elements (output the same size, ~190 MB of JSON)`);
  line('convcheck eval (CLI as is)', f.peakBytes);
  line('eval loop, streamed result writer', f.streamedPeakBytes);
  console.log(`  the reference alone, above its inputs: ${mib(f.referenceBytes)} = ${(f.referenceBytes / f.elements / 8).toFixed(1)} float64 copies (output included)`);
}

function main(): void {
  printMemory(memoryFigure());
}

if (process.argv[1]?.endsWith('memory.js')) main();
