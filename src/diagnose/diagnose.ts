/**
 * diagnose(): two calls meant to be the same computation (or one call and an output observed
 * elsewhere) give different numbers — which convention mistakes explain the gap?
 *
 * Both sides are computed on the reference. When they differ, candidate mistakes (mistakes.ts)
 * are applied to B — or, with an observed output, to A as written and to A's lowering — in sets
 * of growing size (1, then 2, then 3), and the smallest sets that make the outputs agree are
 * kept. A pair explanation is then proved: the corrected call agrees with A on the given inputs
 * and on N random inputs of the same shapes, where B's tensors are made from A's random ones the
 * way B's given tensors were made from A's (correspond.ts).
 *
 * Outputs of a pair are compared in A's layout: B's output is mapped through B's own declared
 * layout (canonical [N, S..., C]) into A's. An observed output is compared as it is.
 */
import type { CaseJson } from '../case/case.js';
import type { Framework, Lowering } from '../conventions/index.js';
import { CaseError } from '../core/errors.js';
import { invertPerm, reshape, transpose, type Tensor } from '../core/tensor.js';
import { applyRecipe, cropOutput, toPython, translate, type Translation } from '../translate/index.js';
import { anatomy, type Anatomy } from './anatomy.js';
import { agrees, compare, isIntegral, type Difference } from './compare.js';
import type { Rearrangement } from './correspond.js';
import { decode, renamed } from './json.js';
import { catalogue, type Candidate } from './mistakes.js';
import { applySet, observedProof, projectOut, proofContext, prove, renameSides, run, type Projector } from './proof.js';
import type { DiagnoseOptions, Diagnosis, Explanation, Mistake, Observed, Proof, Side, TensorOut } from './types.js';
import { whyOf } from './why.js';

export type { DiagnoseOptions, Diagnosis, Explanation, Mistake, Observed, Proof, Side, TensorOut, Verdict } from './types.js';

// ---------------------------------------------------------------------------------------------

const toOut = (t: Tensor): TensorOut => ({ shape: [...t.shape], data: Array.from(t.data) });

/** A lowered call's output, moved into another lowering's native output layout. */
function intoLayout(out: Tensor, from: Lowering, to: Lowering): Tensor {
  const batched = from.unbatched ? reshape(out, [1, ...out.shape]) : out;
  const canon = transpose(batched, from.layout.out);
  const native = transpose(canon, invertPerm(to.layout.out));
  return to.unbatched && native.shape[0] === 1 ? reshape(native, native.shape.slice(1)) : native;
}

function layoutName(l: Lowering, an: Anatomy): string {
  const labels = ['N', ...an.kernelAxes.letters, 'C'];
  const names = new Array<string>(l.layout.out.length);
  l.layout.out.forEach((axis, j) => (names[axis] = labels[j]!));
  return (l.unbatched ? names.slice(1) : names).join('');
}

interface Base {
  readonly appliedTo: Explanation['appliedTo'];
  readonly case: CaseJson;
  readonly candidates: Candidate[];
  readonly project: Projector;
}

function combinations(n: number, k: number, visit: (idx: number[]) => boolean): void {
  const idx = Array.from({ length: k }, (_, i) => i);
  if (k > n) return;
  for (;;) {
    if (visit(idx)) return;
    let i = k - 1;
    while (i >= 0 && idx[i] === n - k + i) i--;
    if (i < 0) return;
    idx[i]!++;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1]! + 1;
  }
}

const conflicts = (set: readonly Candidate[]) => {
  const seen = new Set<string>();
  for (const m of set) for (const t of m.tags) {
    if (seen.has(t)) return true;
    seen.add(t);
  }
  return false;
};

// ---------------------------------------------------------------------------------------------

export function diagnose(a: CaseJson, b: CaseJson | { observed: Observed }, opts: DiagnoseOptions = {}): Diagnosis {
  const maxMistakes = opts.maxMistakes ?? 3;
  const trials = opts.trials ?? 20;
  const seed = opts.seed ?? Date.now() % 2 ** 31;
  const anA = anatomy(a); // CaseError for a malformed case
  const ra = run(a);
  const sideA: Side = { id: a.id ?? 'A', call: anA.call, output: 'error' in ra ? { error: ra.error } : toOut(ra.out) };
  const observedMode = 'observed' in b;
  let sideB: Side;
  let anB: Anatomy | undefined;
  if (observedMode) {
    const t = decodeObserved(b.observed);
    sideB = { id: 'observed', call: 'observed output', output: toOut(t) };
  } else {
    anB = anatomy(b);
    const rb = run(b);
    sideB = { id: b.id ?? 'B', call: anB.call, output: 'error' in rb ? { error: rb.error } : toOut(rb.out) };
  }
  const empty = { alternatives: [], coincidences: [], exact: false, search: { candidates: [], maxMistakes, setsTried: 0 } };
  const mode = observedMode ? 'observed' : 'pair';
  if ('error' in ra) {
    return { mode, a: sideA, b: sideB, verdict: 'invalid', summary: `A is rejected by its own framework (${ra.error}); A is the reference side, so there is nothing to compare against.`, ...empty };
  }
  const outA = ra.out;
  const lowA = ra.low;

  // How B (or a mutated A) is brought into A's frame, and whether comparisons are exact.
  let bases: Base[];
  let exact: boolean;
  let layoutNote: string | undefined;
  let difference: Difference | undefined;
  const intA = Object.values(a.inputs).every((t) => isIntegral(decode(t).data)) && isIntegral(outA.data);
  if (observedMode) {
    const obs = decodeObserved((b as { observed: Observed }).observed);
    exact = intA && isIntegral(obs.data);
    difference = compare(outA, obs, exact);
    const native: Projector = (c) => {
      const r = run(c);
      return 'error' in r ? r : r.out;
    };
    bases = [{ appliedTo: 'A', case: a, candidates: catalogue(a, { outputLayout: true }), project: native }];
    if (!(a.framework === 'jax' && a.op === 'conv_general_dilated')) {
      const lowered = loweredBase(a);
      if (lowered) bases.push(lowered);
    }
    // The observed output is the target: every candidate's output is compared with it.
    const d = searchAndReport({ mode, a, sideA, sideB, anA, outA: obs, bases, exact, difference, maxMistakes, trials, seed, observed: true });
    const spec = opts.aSpec ?? 'A.json';
    const quoted = spec.includes(' ') || spec.includes('#') ? `'${spec}'` : spec;
    return d.verdict === 'unexplained' ? { ...d, hint: `the right call in the other implementation's framework is \`convcheck translate ${quoted} --to FW\` (FW: tf, jax, onnx or torch)` } : d;
  }
  const bCase = b as CaseJson;
  const rb = run(bCase);
  exact = intA && Object.values(bCase.inputs).every((t) => isIntegral(decode(t).data));
  const intoA: Projector = (c) => {
    const r = run(c);
    return 'error' in r ? r : intoLayout(r.out, r.low, lowA);
  };
  if (!('error' in rb)) {
    const mapped = intoLayout(rb.out, rb.low, lowA);
    difference = compare(outA, mapped, exact);
    const la = layoutName(lowA, anA);
    const lb = layoutName(rb.low, anB!);
    if (la !== lb) layoutNote = `B's output is laid out ${lb}, A's ${la}: B's output was transposed to ${la} before comparing.`;
  }
  bases = [{ appliedTo: 'B', case: bCase, candidates: catalogue(bCase, { outputLayout: false, peer: a }), project: intoA }];
  const forward = searchAndReport({ mode, a, b: bCase, sideA, sideB, anA, anB: anB!, outA, bases, exact, difference, layoutNote, maxMistakes, trials, seed, observed: false });
  const hint = translateHint(a, bCase.framework, opts.aSpec);
  if (forward.verdict !== 'unexplained' || 'error' in rb) return forward.verdict === 'unexplained' ? { ...forward, hint } : forward;
  // The other way round: which mistakes in A give B's output? B then made the inverse ones. Some
  // mistakes have no single-call inverse in B's framework (torch cannot crop a transposed conv's
  // output unevenly), so searching one direction only would depend on which call is A.
  const intoB: Projector = (c) => {
    const r = run(c);
    return 'error' in r ? r : intoLayout(r.out, r.low, rb.low);
  };
  const reverseBases: Base[] = [{ appliedTo: 'A', case: a, candidates: catalogue(a, { outputLayout: false, peer: bCase }), project: intoB }];
  const back = searchAndReport({
    mode,
    a: bCase,
    b: a,
    sideA: sideB,
    sideB: sideA,
    anA: anB!,
    anB: anA,
    outA: rb.out,
    bases: reverseBases,
    exact,
    difference: compare(rb.out, intoLayout(outA, lowA, rb.low), exact),
    maxMistakes,
    trials,
    seed,
    observed: false,
    swapped: true,
  });
  const reverseSearch = { candidates: back.search.candidates, setsTried: back.search.setsTried };
  if (back.verdict !== 'explained' || !back.explanation) return { ...forward, reverseSearch, hint };
  const ids = back.explanation.mistakes.map((m) => m.id).join(', ');
  const n = back.explanation.mistakes.length;
  const corrected = renamed(back.explanation.corrected, `${a.id ?? 'A'} as B computes it`, `convcheck diagnose: ${a.id ?? 'A'} with ${ids}: what B computes`);
  return {
    ...forward,
    verdict: 'explained',
    summary:
      `No set of mistakes in B explains the difference, but the other way round ${n === 1 ? 'one mistake does' : `${n} mistakes do`}: B computes what A computes with ${ids} ` +
      `(checked on the given inputs${back.explanation.proof.trials ? ` and on ${back.explanation.proof.passed} random inputs` : ''}). B made the inverse of ${n === 1 ? 'that mistake' : 'those mistakes'}; ${hint}.`,
    explanation: { ...back.explanation, appliedTo: 'A', inverse: true, corrected, ...python(corrected), proof: renameSides(back.explanation.proof) },
    alternatives: back.alternatives,
    coincidences: [...forward.coincidences, ...back.coincidences],
    reverseSearch,
    hint,
  };
}

/** `convcheck translate A --to FW` for the right call in B's framework, or why there is none. */
function translateHint(a: CaseJson, to: Framework, aSpec = 'A.json'): string {
  const cmd = `\`convcheck translate ${aSpec.includes(' ') || aSpec.includes('#') ? `'${aSpec}'` : aSpec} --to ${to}\``;
  try {
    const t = translate(a, to);
    return `the right ${to} call is ${cmd}${t.recipe ? ' (it needs a pad/crop around the call: no single call computes it)' : ''}`;
  } catch (e) {
    return `${cmd} explains why ${to} has no exact equivalent (${(e as Error).message})`;
  }
}

function decodeObserved(o: Observed): Tensor {
  if (!o || !Array.isArray(o.shape) || !Array.isArray(o.data)) throw new CaseError('observed', '(output)', 'must be an object {"shape": [...], "data": [...]}');
  const t = decode({ shape: o.shape, data: o.data });
  if (t.data.length !== o.shape.reduce((x, y) => x * y, 1)) {
    throw new CaseError('observed', 'data', `has ${o.data.length} values, but shape [${o.shape.join(', ')}] needs ${o.shape.reduce((x, y) => x * y, 1)}`);
  }
  if (t.data.some((v, i) => Number.isNaN(v) && o.data[i] !== 'NaN')) throw new CaseError('observed', 'data', 'must be numbers (or "NaN", "Infinity", "-Infinity")');
  return t;
}

/** A expressed as jax.lax.conv_general_dilated (its lowering), with the way back to A's output array. */
function loweredBase(a: CaseJson): Base | undefined {
  let t: Translation;
  try {
    t = translate(a, 'jax');
  } catch {
    return undefined;
  }
  const c = applyRecipe(t);
  const back: Projector = (x) => {
    const r = run(x);
    if ('error' in r) return r;
    let out = cropOutput(r.out, t.recipe);
    if (t.bias && t.plan.biasAxis !== undefined) {
      const bias = decode(t.bias);
      const axis = t.plan.biasAxis;
      const inner = out.shape.slice(axis + 1).reduce((p, q) => p * q, 1);
      const n = out.shape[axis]!;
      out = { shape: out.shape, data: Float64Array.from(out.data, (v, i) => v + bias.data[Math.floor(i / inner) % n]!) };
    }
    if (out.shape.length !== t.plan.outputPerm.length) return { error: 'rank changed' };
    out = transpose(out, t.plan.outputPerm);
    if (t.plan.dropBatch) out = reshape(out, out.shape.slice(1));
    return out;
  };
  return { appliedTo: 'A lowered', case: c, candidates: catalogue(c, { outputLayout: true }), project: back };
}

// ---------------------------------------------------------------------------------------------

interface SearchArgs {
  readonly mode: 'pair' | 'observed';
  readonly a: CaseJson;
  readonly b?: CaseJson;
  readonly sideA: Side;
  readonly sideB: Side;
  readonly anA: Anatomy;
  readonly anB?: Anatomy;
  /** What every candidate's output must equal: A's output (pair) or the observed one. */
  readonly outA: Tensor;
  readonly bases: Base[];
  readonly exact: boolean;
  readonly difference?: Difference;
  readonly layoutNote?: string;
  readonly maxMistakes: number;
  readonly trials: number;
  readonly seed: number;
  readonly observed: boolean;
  /** The reverse search of a pair: a and b are exchanged; name the mistakes' causes in the user's A/B. */
  readonly swapped?: boolean;
}

/** The most sets proved per size: beyond this the search would be explaining noise. */
const MAX_PROOFS = 32;

function searchAndReport(s: SearchArgs): Diagnosis {
  const searchInfo = (tried: number) => ({
    candidates: s.bases.flatMap((b) => b.candidates.map((m) => ({ id: `${b.appliedTo === 'B' ? '' : `${b.appliedTo}: `}${m.id}`, what: m.what }))),
    maxMistakes: s.maxMistakes,
    setsTried: tried,
  });
  const common = { mode: s.mode, a: s.sideA, b: s.sideB, exact: s.exact, ...(s.difference ? { difference: s.difference } : {}), ...(s.layoutNote ? { layoutNote: s.layoutNote } : {}) };
  if (s.difference && agrees(s.difference)) {
    const how = s.exact ? 'exactly (integer data)' : `within ${s.difference.tolerance.toPrecision(3)} (1e-5 · (1 + max |A|))`;
    return {
      ...common,
      verdict: 'agree',
      summary: `A and ${s.observed ? 'the observed output' : 'B'} agree ${how} on these inputs: nothing to explain.`,
      alternatives: [],
      coincidences: [],
      search: searchInfo(0),
    };
  }
  const proofCtx = s.observed ? undefined : proofContext(s.a, s.b!, s.anA, s.anB!);
  let tried = 0;
  const coincidences: Array<{ mistakes: Mistake[]; proof: Proof }> = [];
  for (let k = 1; k <= s.maxMistakes; k++) {
    const found: Array<{ base: Base; set: Candidate[]; corrected: CaseJson; proof: Proof }> = [];
    let proofs = 0;
    for (const base of s.bases) {
      const cands = base.candidates;
      combinations(cands.length, k, (idx) => {
        const set = idx.map((i) => cands[i]!);
        if (conflicts(set)) return false;
        tried++;
        const corrected = applySet(base.case, set);
        const out = projectOut(base.project, corrected);
        if (!out || !agrees(compare(s.outA, out, s.exact))) return false;
        if (s.observed) {
          found.push({ base, set, corrected: corrected!, proof: observedProof(s.seed) });
          return false;
        }
        if (proofs++ >= MAX_PROOFS) return true;
        const proof = prove(proofCtx!, set, base.project, s.trials, s.seed);
        if (proof.trials > 0 && proof.passed < proof.trials) coincidences.push({ mistakes: set.map((m) => toMistake(m, s, proof)), proof });
        else found.push({ base, set, corrected: corrected!, proof });
        return false;
      });
      if (found.length && s.observed) break; // the call as written explains it: no need for its lowering
    }
    if (!found.length) continue;
    const best = found[0]!;
    const mistakes = best.set.map((m) => toMistake(m, s, best.proof));
    const original = best.base.appliedTo === 'B' ? (s.b?.id ?? 'B') : `${s.a.id ?? 'A'}${best.base.appliedTo === 'A lowered' ? ' lowered to jax' : ''}`;
    const corrected = renamed(
      best.corrected,
      `${original} ${s.observed ? 'as observed' : 'corrected'}`,
      s.observed
        ? `convcheck diagnose: the call that computes the observed output (${mistakes.map((m) => m.id).join(', ')})`
        : `convcheck diagnose: ${original} with ${mistakes.length === 1 ? 'one correction' : `${mistakes.length} corrections`} (${mistakes.map((m) => m.id).join(', ')})`,
    );
    const py = python(corrected);
    const explanation: Explanation = { appliedTo: best.base.appliedTo, mistakes, corrected, ...py, proof: best.proof };
    const n = mistakes.length;
    const summary = s.observed
      ? `The observed output is what ${s.anA.call} computes with ${n === 1 ? 'one convention mistake' : `${n} convention mistakes`}: ${mistakes.map((m) => m.id).join(', ')}.`
      : `${n === 1 ? 'One convention mistake in B explains' : `${n} convention mistakes in B explain`} the difference: ${mistakes.map((m) => m.id).join(', ')}; corrected, B equals A on the given inputs${best.proof.trials ? ` and on ${best.proof.passed} random inputs` : ''}.`;
    return {
      ...common,
      verdict: 'explained',
      summary,
      explanation,
      alternatives: found.slice(1, 6).map((f) => f.set.map((m) => toMistake(m, s, f.proof))),
      coincidences,
      search: searchInfo(tried),
    };
  }
  const d = s.difference;
  const where = d
    ? d.sameShape
      ? `${d.differing} of ${d.total} elements differ; max |A - ${s.observed ? 'observed' : 'B'}| = ${fmtNum(d.maxAbsDiff)}${d.maxAt ? ` at [${d.maxAt.join(', ')}]` : ''}`
      : `the shapes differ: A [${d.shapeA.join(', ')}], ${s.observed ? 'observed' : 'B'} [${d.shapeB.join(', ')}]`
    : `B is rejected by its framework: ${(s.sideB.output as { error: string }).error}`;
  return {
    ...common,
    verdict: 'unexplained',
    summary: `No set of up to ${s.maxMistakes} convention mistakes explains the difference (${where}).`,
    alternatives: [],
    coincidences,
    search: searchInfo(tried),
  };
}

const fmtNum = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(6));

function python(c: CaseJson): { python?: string; pythonNote?: string } {
  try {
    return { python: toPython(translate(c, c.framework)) };
  } catch (e) {
    return { pythonNote: `no Python: ${(e as Error).message}` };
  }
}

// ---------------------------------------------------------------------------------------------
// The proof: random inputs, B's tensors made from A's as the given ones were.

function toMistake(m: Candidate, s: SearchArgs, proof: Proof & { kernelMap?: Rearrangement }): Mistake {
  const ctx = s.swapped
    ? { a: s.b!, b: s.a, anA: s.anB!, anB: s.anA, observed: false }
    : { a: s.a, b: s.b, anA: s.anA, anB: s.anB, kernelMap: proof.kernelMap, observed: s.observed };
  return { id: m.id, kind: m.kind, what: m.what, fix: m.fix, why: whyOf(m, ctx) };
}
