/**
 * A Diagnosis in plain words, as `convcheck diagnose` prints it.
 */
import type { Difference } from './compare.js';
import type { Diagnosis, Mistake, Side } from './diagnose.js';

const num = (v: number) => (Number.isNaN(v) ? 'NaN' : Number.isInteger(v) || !Number.isFinite(v) ? String(v) : String(Number(v.toPrecision(7))));

function values(data: readonly number[], max = 24): string {
  const shown = data.slice(0, max).map(num).join(', ');
  return `[${shown}${data.length > max ? `, … ${data.length} values` : ''}]`;
}

function side(label: string, s: Side): string[] {
  const head = s.call === 'observed output' ? `${label}  observed output` : `${label}  ${s.id}  (${s.call})`;
  const out = 'error' in s.output ? `   rejected: ${s.output.error}` : `   output [${s.output.shape.join(', ')}]: ${values(s.output.data)}`;
  return [head, out];
}

export function describeDifference(d: Difference, other: string): string {
  if (!d.sameShape) return `The shapes differ: A [${d.shapeA.join(', ')}], ${other} [${d.shapeB.join(', ')}].`;
  const first = d.first.map((f) => `[${f.index.join(', ')}] A ${num(f.a)}, ${other} ${num(f.b)}`).join('; ');
  const tol = d.exact ? 'compared exactly: integer data' : `tolerance ${d.tolerance.toPrecision(3)}`;
  return (
    `${d.differing} of ${d.total} elements differ (${tol}); max |A - ${other}| = ${num(d.maxAbsDiff)}` +
    `${d.maxAt ? ` at [${d.maxAt.join(', ')}]` : ''}. First differences: ${first}.`
  );
}

function mistakeLines(m: Mistake, i: number, observed: boolean): string[] {
  return observed
    ? [`${i}. ${m.id}: ${m.fix}`, `   why: ${m.why}`]
    : [`${i}. ${m.id}: ${m.what}.`, `   why: ${m.why}`, `   fix: ${m.fix}`];
}

export function formatDiagnosis(d: Diagnosis): string {
  const observed = d.mode === 'observed';
  const other = observed ? 'observed' : 'B';
  const lines: string[] = [...side('A', d.a), ...side(observed ? 'O' : 'B', d.b), ''];
  if (d.layoutNote) lines.push(d.layoutNote);
  if (d.difference && d.verdict !== 'agree') lines.push(describeDifference(d.difference, other));
  lines.push(d.summary, '');
  const ex = d.explanation;
  if (d.verdict === 'explained' && ex) {
    const n = ex.mistakes.length;
    lines.push(
      observed
        ? `The observed output is what ${ex.appliedTo === 'A lowered' ? "A's lowering (jax.lax.conv_general_dilated)" : 'A'} computes with ${n === 1 ? 'this change' : `these ${n} changes`} (the smallest set found; ${d.search.setsTried} sets of up to ${d.search.maxMistakes} of ${d.search.candidates.length} candidate mistakes tried):`
        : ex.inverse
          ? `What A would have to get wrong to compute B's output (the smallest set found the other way round; ${d.reverseSearch?.setsTried ?? 0} sets of up to ${d.search.maxMistakes} of ${d.reverseSearch?.candidates.length ?? 0} candidate mistakes in A tried, after ${d.search.setsTried} sets in B explained nothing):`
          : `What differs and why (the smallest set found; ${d.search.setsTried} sets of up to ${d.search.maxMistakes} of ${d.search.candidates.length} candidate mistakes tried):`,
    );
    ex.mistakes.forEach((m, i) => lines.push(...mistakeLines(m, i + 1, observed)));
    const title = observed ? 'That call' : ex.inverse ? "A changed so, which computes B's output" : 'Corrected B';
    lines.push('', `${title} (a case; \`convcheck eval\` computes it):`, JSON.stringify(ex.corrected), '');
    if (ex.python) lines.push('As Python:', ex.python.trimEnd(), '');
    else if (ex.pythonNote) lines.push(`(${ex.pythonNote})`, '');
    const p = ex.proof;
    lines.push('Proof:');
    lines.push(`  on the given inputs: ${observed ? 'it reproduces the observed output' : ex.inverse ? 'B and A changed so agree' : 'A and corrected B agree'}${d.exact ? ' exactly' : ' within tolerance'}.`);
    if (p.trials > 0) {
      lines.push(`  on ${p.trials} random inputs (fast-check fc.sample, seed ${p.seed}; integers in [-4, 4]): ${p.passed} of ${p.trials} agree${p.passed === p.trials ? ' exactly' : ''}.`);
      for (const r of p.randomized) lines.push(`    ${r}`);
      for (const h of p.held) lines.push(`    held: ${h}`);
    } else if (p.note) lines.push(`  (${p.note})`);
    if (d.alternatives.length) {
      lines.push('', `Equally small alternatives${observed ? '' : ' (also proved)'}:`);
      for (const alt of d.alternatives) lines.push(`  - ${alt.map((m) => `${m.id} (${m.fix})`).join(' + ')}`);
    }
  }
  if (d.coincidences.length) {
    lines.push('', 'Sets that match on the given inputs only (they fail on random inputs, so they are coincidences):');
    for (const c of d.coincidences.slice(0, 5)) {
      const f = c.proof.failure;
      lines.push(`  - ${c.mistakes.map((m) => m.id).join(' + ')}: ${c.proof.passed} of ${c.proof.trials} random inputs agree${f ? ` (first failure: trial ${f.trial})` : ''}`);
    }
  }
  if (d.verdict === 'unexplained' && d.difference && !d.difference.sameShape) {
    lines.push(`(No candidate change made the shapes and values agree; ${d.search.setsTried} sets tried.)`);
  } else if (d.verdict === 'unexplained') {
    lines.push(`(${d.search.setsTried} sets of up to ${d.search.maxMistakes} of ${d.search.candidates.length} candidate mistakes tried: ${d.search.candidates.map((c) => c.id).join(', ') || 'none apply'}.)`);
  }
  if (d.verdict === 'unexplained' && d.reverseSearch) {
    lines.push(`(The other way round, ${d.reverseSearch.setsTried} sets of mistakes in A tried: ${d.reverseSearch.candidates.map((c) => c.id).join(', ') || 'none apply'}.)`);
  }
  if (d.hint && d.verdict === 'unexplained') lines.push(`For the right call: ${d.hint}.`);
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}
