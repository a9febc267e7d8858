/**
 * Running candidate calls and proving an explanation: the corrected call agrees with A on the
 * given inputs and on random inputs of the same shapes, where B's tensors are made from A's
 * random ones the way B's given tensors were made from A's (correspond.ts).
 */
import fc from 'fast-check';
import { evaluate, parseCase, type CaseJson } from '../case/case.js';
import { lower, type Lowering } from '../conventions/index.js';
import { CaseError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import type { Anatomy } from './anatomy.js';
import { agrees, compare, isIntegral } from './compare.js';
import { applyRearrangement, findRearrangements, isIdentity, rearrangementCode, type Rearrangement } from './correspond.js';
import { decode, tensorOf, withTensor } from './json.js';
import type { Candidate } from './mistakes.js';
import type { Proof } from './types.js';

export function run(c: CaseJson): { out: Tensor; low: Lowering } | { error: string } {
  const call = parseCase(c, c.id ?? 'case');
  const o = evaluate(call);
  if ('error' in o) return { error: o.error };
  return { out: { shape: o.shape, data: o.data }, low: lower(call) };
}

/** How a side's output is brought into the comparison's frame. */
export type Projector = (c: CaseJson) => Tensor | { error: string };

export function applySet(c: CaseJson, set: readonly Candidate[]): CaseJson | undefined {
  let x: CaseJson | undefined = c;
  for (const m of set) {
    x = m.apply(x);
    if (!x) return undefined;
  }
  return x;
}

export function projectOut(p: Projector, c: CaseJson | undefined): Tensor | undefined {
  if (!c) return undefined;
  try {
    const o = p(c);
    return 'error' in o ? undefined : o;
  } catch (e) {
    if (e instanceof CaseError) return undefined;
    throw e;
  }
}

/** A proof from the reverse search names the sides the other way round: give them back their names. */
export function renameSides(p: Proof): Proof {
  const swap = (line: string) => line.replace(/\b([AB])\./g, (_, side: string) => `${side === 'A' ? 'B' : 'A'}.`);
  return { ...p, randomized: p.randomized.map((r) => swap(r)) };
}

export function observedProof(seed: number): Proof {
  return {
    givenInputs: true,
    trials: 0,
    passed: 0,
    seed,
    randomized: [],
    held: [],
    note: 'one observed output: a random check would need the other implementation rerun on new inputs',
  };
}

export interface ProofContext {
  readonly a: CaseJson;
  readonly b: CaseJson;
  readonly anA: Anatomy;
  readonly anB: Anatomy;
  readonly inputMaps: Rearrangement[];
  readonly kernelMaps: Rearrangement[];
}

export function proofContext(a: CaseJson, b: CaseJson, anA: Anatomy, anB: Anatomy): ProofContext {
  const xa = tensorOf(a, anA.input)!;
  const xb = tensorOf(b, anB.input)!;
  const wa = tensorOf(a, anA.kernel)!;
  const wb = tensorOf(b, anB.kernel)!;
  return {
    a,
    b,
    anA,
    anB,
    inputMaps: findRearrangements(xa, xb, { flips: false, cap: 4 }),
    kernelMaps: findRearrangements(wa, wb, { flips: true, cap: 12 }),
  };
}

export function prove(ctx: ProofContext, set: readonly Candidate[], project: Projector, trials: number, seed: number): Proof & { kernelMap?: Rearrangement } {
  const { a, b, anA, anB } = ctx;
  const xa = tensorOf(a, anA.input)!;
  const wa = tensorOf(a, anA.kernel)!;
  const int = fc.integer({ min: -4, max: 4 });
  const arr = (n: number) => fc.array(int, { minLength: n, maxLength: n });
  const samples = fc.sample(fc.record({ x: arr(xa.data.length), w: arr(wa.data.length) }), { seed, numRuns: trials });
  const xs = ctx.inputMaps.length ? ctx.inputMaps : [undefined];
  const ws = ctx.kernelMaps.length ? ctx.kernelMaps : [undefined];
  const held: string[] = [];
  if (!ctx.inputMaps.length) held.push(`${anA.input} / ${anB.input}: B's is not a rearrangement of A's, so both keep their given values`);
  if (!ctx.kernelMaps.length) held.push(`${anA.kernel} / ${anB.kernel}: B's is not a rearrangement of A's, so both keep their given values`);
  if (anA.bias && a.inputs[anA.bias]) held.push(`${anA.bias} of A`);
  if (anB.bias && b.inputs[anB.bias]) held.push(`${anB.bias} of B`);
  if (!ctx.inputMaps.length && !ctx.kernelMaps.length) {
    return { givenInputs: true, trials: 0, passed: 0, seed, randomized: [], held, note: 'no random check: neither of B\'s tensors is a rearrangement of A\'s, so there is no way to make "the same" random inputs for both' };
  }
  let last: Proof | undefined;
  for (const tx of xs) {
    for (const tw of ws) {
      const randomized: string[] = [];
      if (tx) randomized.push(`input: B.${anB.input} = ${isIdentity(tx) ? `A.${anA.input} (the same array)` : `${rearrangementCode(`A.${anA.input}`, tx)}, as in the given call`}`);
      if (tw) randomized.push(`kernel: B.${anB.kernel} = ${isIdentity(tw) ? `A.${anA.kernel} (the same array)` : `${rearrangementCode(`A.${anA.kernel}`, tw)}, as in the given call`}`);
      let passed = 0;
      let failure: Proof['failure'];
      for (const [i, smp] of samples.entries()) {
        let ca = a;
        let cb = b;
        if (tx) {
          const x = { shape: xa.shape, data: Float64Array.from(smp.x) };
          ca = withTensor(ca, anA.input, x);
          cb = withTensor(cb, anB.input, applyRearrangement(x, tx));
        }
        if (tw) {
          const w = { shape: wa.shape, data: Float64Array.from(smp.w) };
          ca = withTensor(ca, anA.kernel, w);
          cb = withTensor(cb, anB.kernel, applyRearrangement(w, tw));
        }
        const ra = run(ca);
        const outB = projectOut(project, applySet(cb, set));
        if ('error' in ra || !outB) {
          failure ??= { trial: i, difference: compare(('error' in ra ? { shape: [], data: new Float64Array() } : ra.out), outB ?? { shape: [], data: new Float64Array() }, true) };
          continue;
        }
        const intData = isIntegral(ra.out.data) && Object.values(cb.inputs).every((t) => isIntegral(decode(t).data));
        const d = compare(ra.out, outB, intData);
        if (agrees(d)) passed++;
        else failure ??= { trial: i, difference: d };
      }
      last = { givenInputs: true, trials: samples.length, passed, seed, randomized, held, ...(failure ? { failure } : {}) };
      if (passed === samples.length) return { ...last, ...(tw ? { kernelMap: tw } : {}) };
    }
  }
  return last!;
}
