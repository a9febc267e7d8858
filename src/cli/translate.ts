/**
 * `convcheck translate CASE --to tf|jax|onnx|torch [--op OP] [--json]`: the equivalent call in
 * another framework — its attributes, the kernel transform, input/output layout changes, any
 * exact pad/crop recipe around it — as runnable Python (an ONNX node in a one-node model for
 * onnx), or with --json as a case `convcheck eval` can run.
 *
 * Exit status: 0 translated; 1 not expressible in the target (the message names the feature) or
 * a source call its own framework rejects; 2 bad usage or malformed input.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseCase, type CaseJson } from '../case/case.js';
import { readCases } from '../case/io.js';
import { FRAMEWORKS, type Framework } from '../conventions/index.js';
import { CaseError, ConvError } from '../core/errors.js';
import { applyRecipe, NotExpressible, qualified, toPython, translate, type Translation } from '../translate/index.js';
import { inputNameOf } from '../translate/translate.js';
import { genericPlan, padsAt, type GenericPlan } from '../translate/generic.js';
import { emitFunction } from '../translate/python-function.js';
import { emitLayer } from '../translate/python-layer.js';
import { fillShapes, type Filled } from '../translate/shape-only.js';
import { unreadable } from './errors.js';

/** Bad usage or malformed input: exit 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** `FILE#ID` -> the file and the id (a file whose name holds '#' is taken as it is). */
function splitSpec(spec: string): { path: string; id?: string } {
  const hash = spec.lastIndexOf('#');
  return hash > 0 && spec !== '-' && !existsSync(spec) ? { path: spec.slice(0, hash), id: spec.slice(hash + 1) } : { path: spec };
}

/**
 * Reads exactly one case: `FILE` (.json, or a .jsonl / stdin holding one case), `-` for stdin, or
 * `FILE#ID` to pick the case with that id from a file of several.
 */
export function readOneCase(spec: string): CaseJson {
  const { path, id } = splitSpec(spec);
  const entries = readCases(path);
  const bad = entries.find((e) => 'error' in e);
  if (bad && 'error' in bad && (id === undefined || bad.error.caseId === id)) throw new InputError(bad.error.message);
  const cases = entries.flatMap((e) => ('case' in e ? [e.case] : []));
  if (id !== undefined) {
    const hit = cases.filter((c) => c.id === id);
    if (hit.length !== 1) {
      throw new InputError(`${path}: ${hit.length ? `${hit.length} cases have` : 'no case has'} id ${JSON.stringify(id)} (ids: ${cases.map((c) => c.id).join(', ')})`);
    }
    return hit[0]!.json;
  }
  if (cases.length !== 1) {
    throw new InputError(`${spec}: expected one case, found ${cases.length}${cases.length > 1 ? ` (pick one with ${path}#ID; ids: ${cases.map((c) => c.id).join(', ')})` : ''}`);
  }
  return cases[0]!.json;
}

/**
 * Like readOneCase, for translate only: a case may leave out its data (shapes only), or give
 * the kernel's shape and the input's rank (translate/shape-only.ts fills them in).
 */
export function readTranslateCase(spec: string): Filled {
  const { path, id } = splitSpec(spec);
  const text = path === '-' ? readFileSync(0, 'utf8') : readFileSync(path, 'utf8');
  const name = path === '-' ? 'stdin' : basename(path);
  let values: Array<{ where: string; value: unknown }>;
  try {
    if (path.endsWith('.jsonl')) throw new SyntaxError('one case per line');
    const v: unknown = JSON.parse(text);
    values = (Array.isArray(v) ? v : [v]).map((value, i, all) => ({ where: all.length > 1 ? `${name}[${i}]` : name, value }));
  } catch (e) {
    if (path.endsWith('.json')) throw new InputError(`${name}: is not valid JSON: ${(e as Error).message}`);
    values = [];
    text.split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      try {
        values.push({ where: `${name}:${i + 1}`, value: JSON.parse(line) });
      } catch (err) {
        throw new InputError(`${name}:${i + 1}: is not valid JSON: ${(err as Error).message}`);
      }
    });
  }
  const idOf = (v: unknown) => (typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string' ? (v as { id: string }).id : undefined);
  const hit = id === undefined ? values : values.filter((v) => idOf(v.value) === id);
  if (hit.length !== 1) {
    const ids = values.map((v) => idOf(v.value) ?? v.where).join(', ');
    if (id !== undefined) throw new InputError(`${path}: ${hit.length ? `${hit.length} cases have` : 'no case has'} id ${JSON.stringify(id)} (ids: ${ids})`);
    throw new InputError(`${spec}: expected one case, found ${hit.length}${hit.length > 1 ? ` (pick one with ${path}#ID; ids: ${ids})` : ''}`);
  }
  const { value, where } = hit[0]!;
  try {
    parseCase(value, where);
    return { json: value as CaseJson, madeUp: [], inputSizesChosen: false };
  } catch (e) {
    // Only missing data or a missing input is for the shape-only path; anything else is malformed.
    if (!(e instanceof CaseError) || !e.field.startsWith('inputs')) throw e;
  }
  const filled = fillShapes(value, where);
  parseCase(filled.json, where); // CaseError: malformed
  return filled;
}

export interface TranslateArgs {
  readonly to?: string;
  /** `function`: a size-generic Python module; `layer`: the target framework's layer with the weights loaded. */
  readonly emit?: string;
  readonly op?: string;
  readonly json?: boolean;
  /** JAX conv_transpose targets only: transpose_kernel (default true). */
  readonly transposeKernel?: boolean;
}

type Out = (s: string) => void;

export function translateCommand(file: string, args: TranslateArgs, out: Out, err: Out): number {
  const to = args.to;
  if (!to || !FRAMEWORKS.includes(to as Framework)) {
    err(`convcheck translate: --to must be one of ${FRAMEWORKS.join(', ')}${to ? `, got ${JSON.stringify(to)}` : ''}`);
    return 2;
  }
  if (args.emit !== undefined && args.emit !== 'function' && args.emit !== 'layer') {
    err(`convcheck translate: --emit must be function or layer, got ${JSON.stringify(args.emit)}`);
    return 2;
  }
  if (args.emit && args.json) {
    err('convcheck translate: --json prints the translated case; --emit prints Python: give one of them');
    return 2;
  }
  const opts = {
    ...(args.op !== undefined ? { op: args.op } : {}),
    ...(args.transposeKernel !== undefined ? { transposeKernel: args.transposeKernel } : {}),
  };
  try {
    const filled = readTranslateCase(file);
    const c = filled.json;
    if (args.emit === 'function') out(emitFunction(c, to as Framework, opts).python.trimEnd());
    else if (args.emit === 'layer') out(emitLayer(c, to as Framework, opts).python.trimEnd());
    else {
      const t = translate(c, to as Framework, opts);
      if (args.json) {
        const tc = asCase(t);
        const madeUp = filled.madeUp.length ? `; NB: a shape-only case: the data of ${filled.madeUp.join(', ')} are made up (small integers), not yours` : '';
        out(JSON.stringify({ ...tc, note: `${tc.note ?? ''}${madeUp}` }));
      }
      else out(describe(t, sizeNote(c, to as Framework, opts, file), filled, inlineIsReadable(c) && !filled.madeUp.length ? undefined : functionModule(c, to as Framework, opts)));
    }
  } catch (e) {
    return report(e, to as Framework, err);
  }
  return 0;
}

/** Tensors small enough to print inline as a runnable example; larger ones are converted in code. */
const INLINE_MAX = 64;
const inlineIsReadable = (c: CaseJson) => Object.values(c.inputs).every((t) => t.data.length <= INLINE_MAX);

function functionModule(c: CaseJson, to: Framework, opts: { op?: string }): string | undefined {
  try {
    return emitFunction(c, to, opts).python;
  } catch {
    return undefined;
  }
}

/** An output_shape source whose padding is the same when the output grows by s per input element. */
function outputFollows(p: GenericPlan, n: readonly number[]): boolean {
  const os = p.outputShape!;
  const out = os.spatial.map((j) => os.value[j]!);
  return p.rules.every((rule, i) => {
    const here = padsAt(rule, n[i]!, out[i]);
    return [1, 2, 3].every((d) => {
      const there = padsAt(rule, n[i]! + d, out[i]! + d * p.axes.s[i]!);
      return there[0] === here[0] && there[1] === here[1];
    });
  });
}

/** The case at the next few input sizes (every spatial axis one to s+1 larger), zero data. */
function otherSizes(c: CaseJson, p: GenericPlan): Array<{ json: CaseJson; sizes: number[] }> {
  const name = inputNameOf(c.framework);
  const x = c.inputs[name]!;
  const axes = p.t.plan.sourceSpatialAxes;
  const steps = Math.max(...p.axes.ws, ...p.axes.s) + 1;
  return Array.from({ length: steps }, (_, i) => {
    const shape = x.shape.map((n, a) => (axes.includes(a) ? n + i + 1 : n));
    const json = { ...c, inputs: { ...c.inputs, [name]: { shape, data: new Array<number>(shape.reduce((q, r) => q * r, 1)).fill(0) } } };
    return { json, sizes: axes.map((a) => shape[a]!) };
  });
}

/** Whether the translation holds at this input size only, in words. */
function sizeNote(c: CaseJson, to: Framework, opts: { op?: string }, file: string): string[] {
  const cmd = `convcheck translate ${/[\s#'"]/.test(file) ? `'${file}'` : file} --to ${to} --emit function`;
  let p: GenericPlan;
  try {
    p = genericPlan(c, to, opts);
  } catch {
    return [];
  }
  const sizes = p.t.plan.sourceSpatialAxes.map((a) => c.inputs[inputNameOf(c.framework)]!.shape[a]);
  const fixedOutput = p.outputShape ? ` and output_shape ${JSON.stringify(p.outputShape.value)}` : '';
  if (p.sizeDependent && !p.own && p.outputShape && outputFollows(p, sizes)) {
    return [
      `every input size, given the output_shape the source gets there: when the output grows by the stride as the input grows, the padding stays the same, and so do the target's attributes${to === 'tf' && p.kind === 'transposed' ? ' (output_shape follows the input size: --emit function computes it)' : ''}.`,
    ];
  }
  if (p.sizeDependent && !p.own) {
    return [
      `THIS INPUT SIZE ONLY: this translation holds for input size ${JSON.stringify(sizes)}${fixedOutput} only. The source's padding depends on the input size (${p.outputShape ? 'its output_shape decides it' : "'SAME' at stride > 1"}); at another size the target needs other padding. For code right at every size: ${cmd}.`,
    ];
  }
  // Fixed pads: the attributes printed may still be this size's choice (TF 'SAME' equal to these
  // pads at this size only). Translate at the next sizes and compare.
  const changed = otherSizes(c, p).find((d) => {
    try {
      const u = translate(d.json, to, opts);
      const key = (x: Translation) => JSON.stringify([x.case.op, { ...x.case.attrs, output_shape: undefined }, x.recipe ?? null]);
      return key(u) !== key(p.t);
    } catch {
      return false;
    }
  });
  if (changed) {
    return [
      `THIS INPUT SIZE ONLY: the attributes above are right for input size ${JSON.stringify(sizes)}; at ${JSON.stringify(changed.sizes)} the same call needs other ones (the source's padding is fixed, but the form chosen here matches it at this size only). For code right at every size: ${cmd}.`,
    ];
  }
  const generic = p.own ? ` (its own padding=${JSON.stringify(p.own)} is exact at every size)` : '';
  const tfShape = to === 'tf' && p.kind === 'transposed' ? ' except output_shape, which follows the input size (--emit function computes it)' : '';
  return [`every input size: the same attributes hold at every input size where the source call is valid${generic}${tfShape}.`];
}

function report(e: unknown, to: Framework, err: Out): number {
  if (e instanceof NotExpressible) {
    err(`convcheck translate: not expressible in ${to} (feature: ${e.feature}): ${e.message}`);
    return 1;
  }
  if (e instanceof ConvError) {
    err(`convcheck translate: the source call is rejected by its own framework, so there is nothing to translate: ${e.message}`);
    return 1;
  }
  if (e instanceof InputError || e instanceof CaseError) {
    err(`convcheck translate: ${e.message}`);
    return 2;
  }
  const cannot = unreadable(e);
  if (cannot) {
    err(`convcheck translate: ${cannot}`);
    return 2;
  }
  if (e instanceof Error && /^translate: /.test(e.message)) {
    err(`convcheck ${e.message}`); // --op names no op of the target, or the wrong rank
    return 2;
  }
  throw e;
}

/**
 * The translated case, ready for `convcheck eval`: the recipe's input pad is already applied.
 * What must still happen to its output (crop, bias, transposition back) is in `note`, in words
 * and as JSON after `then: `.
 */
export function asCase(t: Translation): CaseJson {
  const c = applyRecipe(t);
  const after: Record<string, unknown> = {};
  if (t.recipe?.pad) after['inputAlreadyPadded'] = t.recipe.pad;
  if (t.recipe?.crop) after['crop'] = t.recipe.crop;
  if (t.bias) after['bias'] = { ...t.bias, axis: t.plan.biasAxis };
  if (t.plan.outputPerm.some((p, i) => p !== i)) after['transposeOutput'] = t.plan.outputPerm;
  if (t.plan.dropBatch) after['dropBatch'] = true;
  const steps = t.outputSteps.length ? `; to get the source's output: ${t.outputSteps.join('; ')}` : '';
  const note = `${t.case.note ?? ''}${steps}${Object.keys(after).length ? `; then: ${JSON.stringify(after)}` : ''}`;
  return { ...c, note };
}

/**
 * A JAX target whose kernel plan ends by exchanging the I and O axes can instead keep the axis
 * order and swap the I/O letters of the rhs spec: the same computation. Returns that spec.
 */
export function jaxDeclareInstead(t: Translation): string | undefined {
  const dn = t.case.attrs?.['dimension_numbers'];
  const ops = t.plan.kernel;
  const last = ops[ops.length - 1];
  if (t.case.framework !== 'jax' || !Array.isArray(dn) || typeof dn[1] !== 'string' || !last || last.kind !== 'transpose') return undefined;
  if (ops.some((o) => o.kind === 'reshape')) return undefined;
  const spec = dn[1];
  const [i, o] = [spec.indexOf('I'), spec.indexOf('O')];
  const swap = last.perm.every((p, k) => (k === i ? p === o : k === o ? p === i : p === k));
  return swap ? [...spec].map((ch) => (ch === 'I' ? 'O' : ch === 'O' ? 'I' : ch)).join('') : undefined;
}

/** The translation in words, then the Python. */
export function describe(t: Translation, size: string[] = [], filled?: Filled, module?: string): string {
  const c = t.case;
  const from = qualified(t.source.framework, t.source.op);
  const target = qualified(c.framework, c.op);
  const lines: string[] = [`${from}${t.source.id ? ` (${t.source.id})` : ''} -> ${target}`, ''];
  lines.push('attributes:');
  const attrs = Object.entries(c.attrs ?? {});
  if (!attrs.length) lines.push('  (none: the defaults)');
  for (const [k, v] of attrs) lines.push(`  ${k} = ${JSON.stringify(v)}`);
  const names = { tf: ['input', 'filters'], jax: ['lhs', 'rhs'], onnx: ['X', 'W'], torch: ['input', 'weight'] } as const;
  const [srcIn, srcK] = names[t.source.framework];
  const [tgtIn, tgtK] = names[c.framework];
  lines.push(`kernel (${t.source.op === 'depthwise_conv2d' ? 'filter' : srcK} -> ${tgtK}):`);
  lines.push(...(t.kernelSteps.length ? t.kernelSteps.map((s) => `  ${s}`) : ['  used as it is']));
  const alt = jaxDeclareInstead(t);
  if (alt) lines.push(`  equivalently, without the transpose: keep the axis order and declare the kernel ${JSON.stringify(alt)} in dimension_numbers`);
  lines.push(`input (${srcIn} -> ${tgtIn}):`);
  lines.push(...(t.inputSteps.length ? t.inputSteps.map((s) => `  ${s}`) : ['  used as it is']));
  lines.push('output:');
  lines.push(...(t.outputSteps.length ? t.outputSteps.map((s) => `  ${s}`) : ['  the same array as the source call returns']));
  if (t.recipe) {
    lines.push(`recipe: ${target} cannot express this call directly; the pad/crop steps above around the call make it exact:`);
    for (const a of t.recipe.pad ?? []) lines.push(`  pad  input axis ${a.axis}: [${a.lo}, ${a.hi}] (start, end; negative removes elements)`);
    for (const a of t.recipe.crop ?? []) lines.push(`  crop output axis ${a.axis}: [${a.lo}, ${a.hi}] (start, end; negative adds zeros)`);
  } else {
    lines.push(`recipe: none; ${target} expresses this call directly`);
  }
  for (const n of size) lines.push(`input size: ${n}`);
  if (t.notes.length) {
    lines.push('notes:');
    for (const n of t.notes) lines.push(`  - ${n}`);
  }
  if (filled?.madeUp.length) {
    lines.push(
      '',
      `(A shape-only case: ${filled.madeUp.join(', ')} had no data${filled.inputSizesChosen ? `, and the input's sizes were chosen (${JSON.stringify(t.case.inputs[Object.keys(t.case.inputs)[0]!]!.shape)} in the target's layout)` : ''}. ` +
        'For code that converts your weights and runs at every input size: --emit function (below), or --emit layer.)',
    );
  }
  if (module) {
    const why = filled?.madeUp.length ? 'a shape-only case' : 'the tensors are too large to print';
    lines.push('', `As Python (${why}: this module converts your weights in code, as --emit function does):`, module.trimEnd());
    return lines.join('\n');
  }
  lines.push('', c.framework === 'onnx' ? 'As an ONNX node (in a one-node model run by onnxruntime):' : 'As Python:', toPython(t).trimEnd());
  return lines.join('\n');
}
