/**
 * Peak memory of `convcheck eval` on one large case: a torch conv2d whose input has about 10⁷
 * elements ([1, 4, 1581, 1581] × [4, 4, 3, 3], padding 1, float32 values), run as the CLI in a
 * child process, from the `.json` file and from stdin; its peak RSS (from /usr/bin/time) per input
 * element, and the budget: 4 float64 copies of the largest tensor (32 bytes per element).
 *
 * Two floors are printed. A Node that only starts is the lowest; the CLI evaluating a one-line
 * case is the fair one for "memory for one eval case": the modules eval loads (tfjs-core, ajv,
 * commander, …) are ~33 MiB whatever the case, and the case's cost is what the large case adds
 * on top of them. The copies are printed above both.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Run {
  /** Peak RSS, bytes. */
  readonly peak: number;
  readonly wallSeconds: number;
}

export interface MemoryFigure {
  readonly elements: number;
  /** `convcheck eval big.json`. */
  readonly file: Run;
  /** `convcheck eval - < big.json`: one line, read by src/case/lines.ts. */
  readonly stdin: Run;
  /** Node that only starts. */
  readonly nodeFloor: number;
  /** The CLI evaluating a one-line case. */
  readonly cliFloor: number;
  /** The reference alone (inputs built in memory): peak RSS above the RSS with the inputs. */
  readonly referenceBytes: number;
}

/** Peak RSS and wall time of `node args…` (GNU time's %M is in KiB), stdin from `input` if given. */
function measure(args: readonly string[], input?: string): Run {
  const fd = input === undefined ? 'ignore' : openSync(input, 'r');
  try {
    const r = spawnSync('/usr/bin/time', ['-f', '%M %e', process.execPath, ...args], { stdio: [fd, 'ignore', 'pipe'], maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr.toString().slice(-500)}`);
    const lines = r.stderr.toString().trim().split('\n');
    const [kib, wall] = lines[lines.length - 1]!.split(' ').map(Number);
    return { peak: kib! * 1024, wallSeconds: wall! };
  } finally {
    if (typeof fd === 'number') closeSync(fd);
  }
}

export function memoryFigure(side = 1581, channels = 4): MemoryFigure {
  const dir = mkdtempSync(join(tmpdir(), 'convcheck-mem-'));
  try {
    const file = join(dir, 'big.json');
    const n = channels * side * side;
    const x = new Array<number>(n);
    for (let i = 0; i < n; i++) x[i] = Math.fround(Math.sin(i) * 3);
    const w = Array.from({ length: channels * channels * 9 }, (_, i) => Math.fround(Math.cos(i)));
    writeFileSync(
      file,
      JSON.stringify({ id: 'big', framework: 'torch', op: 'conv2d', attrs: { padding: 1 }, inputs: { input: { shape: [1, channels, side, side], data: x }, weight: { shape: [channels, channels, 3, 3], data: w } } }),
    );
    const tiny = join(dir, 'tiny.json');
    writeFileSync(tiny, JSON.stringify({ id: 'tiny', framework: 'torch', op: 'conv1d', inputs: { input: { shape: [1, 1, 4], data: [1, 2, 3, 4] }, weight: { shape: [1, 1, 1], data: [1] } } }));
    const here = fileURLToPath(new URL('.', import.meta.url));
    const main = join(here, '..', 'src', 'cli', 'main.js');
    const eval_ = ['eval', '--max-elements', '20000000'];
    const ref = spawnSync(process.execPath, [join(here, 'memory-child.js'), '--reference', String(n)], { encoding: 'utf8' });
    return {
      elements: n,
      file: measure([main, ...eval_, file]),
      stdin: measure([main, ...eval_, '-'], file),
      nodeFloor: measure(['-e', '0']).peak,
      cliFloor: measure([main, 'eval', tiny]).peak,
      referenceBytes: (JSON.parse(ref.stdout) as { above: number }).above,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printMemory(f: MemoryFigure): void {
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  const copies = (b: number, floor: number) => `${((b - floor) / f.elements).toFixed(1)} bytes = ${((b - floor) / f.elements / 8).toFixed(2)} float64 copies`;
  const line = (label: string, r: Run) =>
    console.log(
      `  ${label.padEnd(30)} peak RSS ${mib(r.peak)}, ${r.wallSeconds.toFixed(1)} s; per input element above the CLI: ${copies(r.peak, f.cliFloor)}; above a bare Node: ${copies(r.peak, f.nodeFloor)}`,
    );
  console.log(`eval memory, one torch conv2d case with ${f.elements} input elements (output the same size, ~190 MB of JSON each way); budget 4 copies = 32 bytes per element`);
  console.log(`  floors: a bare Node ${mib(f.nodeFloor)}; the CLI evaluating a one-line case ${mib(f.cliFloor)}`);
  line('convcheck eval big.json', f.file);
  line('convcheck eval - < big.json', f.stdin);
  console.log(`  the reference alone, above its inputs: ${mib(f.referenceBytes)} = ${(f.referenceBytes / f.elements / 8).toFixed(1)} float64 copies (output included)`);
}

function main(): void {
  printMemory(memoryFigure());
}

if (process.argv[1]?.endsWith('memory.js')) main();
