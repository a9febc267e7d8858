/**
 * Harness throughput, side by side in one run:
 * 1. per oracle (ORT, tfjs-wasm): cases/s of the differential property through `convcheck run`
 *    (generation, out-of-process oracle, reference, tolerance model) with one case in flight, the
 *    default window and 64, each also with the default hosts of a one-oracle run, against a raw
 *    in-process loop of the same oracle on the SAME calls (the cell's own inputs, from its seed). Host start-up is measured apart (a one-case run) and left
 *    out of the steady rate.
 * 2. a 2-oracle run (ORT + tfjs-wasm, every property): CPU seconds (this process and its oracle
 *    hosts) over wall seconds, with the oracles one after the other and side by side.
 * 3. shards: the same 2-oracle run as one `convcheck run` process, and as `--shard 1/2` and
 *    `2/2` at once (together the same cells and seeds), wall time for the same cases.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import createOrt from '../oracles/ort/backend.js';
import createTfjs from '../oracles/tfjs/backend.js';
import type { OracleBackend } from '../oracles/types.js';
import { differentialProperty } from '../properties/differential.js';
import { PROPERTIES } from '../properties/index.js';
import type { CaseJson } from '../src/case/case.js';
import { parseCase } from '../src/case/case.js';
import { defaultHosts, openImplementation } from '../src/runner/implementations.js';
import { defaultJobs, runSuite, type RunOptions } from '../src/runner/run.js';
import { IN_FLIGHT } from '../src/runner/search.js';
import { cellSeed } from '../src/runner/seeds.js';
import { valueStream } from '../src/runner/stream.js';
import { packageRoot } from '../src/root.js';
import { median } from './stats.js';

const SEED = 7;
const base: Omit<RunOptions, 'oracles' | 'properties' | 'runs'> = { seed: SEED, timeBudgetMs: 3_600_000, shard: { index: 1, count: 1 }, regressionsDir: null };

/** CPU seconds of this process and of its children that have exited (the oracle hosts). */
function cpuSeconds(): number {
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  const tick = 100; // USER_HZ on Linux
  // fields 14-17 of stat (utime stime cutime cstime) are 12-15 after the ") " split.
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / tick;
}

/** The differential cell's own inputs, as the run draws them from its seed. */
async function cellInputs(oracle: string, n: number): Promise<CaseJson[]> {
  const opened = await openImplementation(oracle);
  if (!opened.impl) throw new Error(`${oracle} unavailable: ${opened.unavailable}`);
  const arb = differentialProperty.arbitrary(opened.impl, { float64: opened.impl.float64 })!;
  await opened.close();
  const stream = valueStream(arb, cellSeed(SEED, oracle, 'differential'), n);
  const out: CaseJson[] = [];
  for (let v = await stream.next(); v; v = await stream.next()) out.push(v.value as CaseJson);
  return out;
}

/**
 * One round: the raw loop (a fresh backend, as each run gets a fresh host with cold session
 * caches; its loading is not timed), then each run configuration. Rounds repeat, so a drift in
 * the machine's speed (a shared VM) touches every configuration alike; the medians are compared.
 */
async function oracleFigure(oracle: string, create: () => Promise<OracleBackend>, n: number, rounds: number): Promise<void> {
  const calls = (await cellInputs(oracle, n)).map((c) => parseCase(c, 'bench'));
  const rawLoop = async () => {
    const backend = await create();
    const c0 = cpuSeconds();
    const t0 = performance.now();
    for (const c of calls) {
      try {
        if (backend.unsupported(c) === undefined) await backend.run(c);
      } catch {
        // rejected calls cost what they cost
      }
    }
    const t = performance.now() - t0;
    const cpu = cpuSeconds() - c0;
    await backend.dispose?.();
    return { t, cpu, cases: n };
  };
  const harness = async (inFlight: number, runs: number, hosts: number) => {
    const c0 = cpuSeconds();
    const t0 = performance.now();
    const cases = (await runSuite({ ...base, oracles: [oracle], properties: ['differential'], runs, inFlight, hosts }))[0]!.cases;
    // Hosts have exited by now, so their CPU is in this process's children's time.
    return { t: performance.now() - t0, cpu: cpuSeconds() - c0, cases };
  };
  // One at a time, the default window (IN_FLIGHT) and 64; then both with the default hosts of a
  // run of this oracle alone, when that is more than one.
  const hosts = defaultHosts(oracle, defaultJobs());
  const windows = [IN_FLIGHT, 64];
  const configs: Array<[number, number]> = [[1, 1], ...windows.map((w): [number, number] => [w, 1]), ...(hosts > 1 ? windows.map((w): [number, number] => [w, hosts]) : [])];
  const raws: Array<{ t: number; cpu: number }> = [];
  const startups: number[] = [];
  const runs = configs.map(() => [] as Array<{ t: number; cpu: number; cases: number }>);
  for (let r = 0; r < rounds; r++) {
    raws.push(await rawLoop());
    startups.push((await harness(1, 1, 1)).t);
    for (const [k, [inFlight, h]] of configs.entries()) runs[k]!.push(await harness(inFlight, n, h));
  }
  const raw = median(raws.map((x) => x.t));
  const rawRate = n / (raw / 1000);
  const rawCpuPerCase = (median(raws.map((x) => x.cpu)) / n) * 1e6;
  const startup = median(startups);
  console.log(`${oracle}: differential, the cell's first ${n} inputs; medians of ${rounds} interleaved rounds`);
  console.log(`  raw in-process loop                      ${Math.round(rawRate)} cases/s, keeping ${(rawCpuPerCase * rawRate / 1e6).toFixed(2)} cores busy (its threads and GC)`);
  console.log(`  host start-up + 1 case                   ${startup.toFixed(0)} ms (left out below)`);
  for (const [k, [inFlight, h]] of configs.entries()) {
    const rs = runs[k]!;
    const cases = rs[0]!.cases;
    const rate = (cases - 1) / ((median(rs.map((x) => x.t)) - startup) / 1000);
    const cpuPerCase = (median(rs.map((x) => x.cpu)) / cases) * 1e6;
    const spread = rs.map((x) => ((cases - 1) / ((x.t - startup) / 1000) / rawRate).toFixed(2)).join(', ');
    const label = `${inFlight} in flight, ${h} host${h > 1 ? 's' : ''}`.padEnd(24);
    console.log(`  convcheck run, ${label} ${Math.round(rate)} cases/s = ${(rate / rawRate).toFixed(2)}x raw (rounds: ${spread}); ${Math.round(cpuPerCase)} µs CPU per case (harness + hosts, start-up included) vs raw ${Math.round(rawCpuPerCase)}`);
  }
}

async function twoOracles(): Promise<void> {
  const props = PROPERTIES.map((p) => p.name);
  console.log(`ort + tfjs-wasm, ${props.length} properties × 200 runs: CPU (this process + oracle hosts) / wall`);
  for (const jobs of [1, 2]) {
    const cpu0 = cpuSeconds();
    const t0 = performance.now();
    const cells = await runSuite({ ...base, oracles: ['ort', 'tfjs-wasm'], properties: props, runs: 200, jobs });
    const wall = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds() - cpu0;
    const cases = cells.reduce((s, c) => s + c.cases, 0);
    console.log(`  ${jobs === 1 ? 'one oracle at a time' : 'side by side (jobs 2)'}: ${cases} cases in ${wall.toFixed(1)} s, CPU ${cpu.toFixed(1)} s, CPU/wall ${(cpu / wall).toFixed(2)}, ${Math.round(cases / wall)} cases/s`);
  }
}

/** Wall seconds of `convcheck run` processes started together, and the cases they report. */
async function cliRuns(argvs: string[][]): Promise<{ wall: number; cases: number }> {
  const main = join(packageRoot(), 'dist', 'src', 'cli', 'main.js');
  const t0 = performance.now();
  const outs = await Promise.all(
    argvs.map(
      (argv) =>
        new Promise<string>((resolve, reject) => {
          const c = spawn(process.execPath, [main, 'run', ...argv], { stdio: ['ignore', 'pipe', 'ignore'] });
          let out = '';
          c.stdout.on('data', (d: Buffer) => (out += String(d)));
          c.on('exit', (code) => (code === 0 || code === 1 ? resolve(out) : reject(new Error(`convcheck run ${argv.join(' ')} exited ${code}`))));
        }),
    ),
  );
  const wall = (performance.now() - t0) / 1000;
  const cases = outs.reduce((s, o) => s + Number(/\n(\d+) cases, /.exec(o)?.[1] ?? NaN), 0);
  return { wall, cases };
}

async function shards(): Promise<void> {
  const args = ['--oracles', 'ort,tfjs-wasm', '--runs', '300', '--seed', String(SEED), '--time-budget', '1h', '--no-regressions'];
  const one = await cliRuns([args]);
  const two = await cliRuns([
    [...args, '--shard', '1/2'],
    [...args, '--shard', '2/2'],
  ]);
  console.log(`shards: the 2-oracle run (300 runs per cell) as one process and as two shards at once`);
  console.log(`  one process: ${one.cases} cases in ${one.wall.toFixed(1)} s; shards 1/2 + 2/2: ${two.cases} cases in ${two.wall.toFixed(1)} s = ${(one.wall / two.wall).toFixed(2)}x faster`);
}

async function main(): Promise<void> {
  const n = Number(process.env['BENCH_CASES'] ?? 2000);
  const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
  await oracleFigure('ort', () => createOrt({}), n, rounds);
  await oracleFigure('tfjs-wasm', () => createTfjs({ backend: 'wasm' }), n, rounds);
  await twoOracles();
  await shards();
}

void main();
