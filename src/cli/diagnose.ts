/**
 * `convcheck diagnose A B` / `convcheck diagnose A --observed OUT.json`: why two calls meant to
 * be the same computation (or a call and an output observed elsewhere) give different numbers.
 * Prints the diagnosis in plain words, or with --json the structured Diagnosis.
 *
 * Exit status: 0 they agree, or the difference is explained; 1 nothing explains it (or A itself
 * is rejected by its framework); 2 bad usage or malformed input.
 */
import { readFileSync } from 'node:fs';
import { CaseError } from '../core/errors.js';
import { diagnose, formatDiagnosis, type Observed } from '../diagnose/index.js';
import { InputError, readOneCase } from './translate.js';
import { unreadable } from './errors.js';

export interface DiagnoseArgs {
  readonly observed?: string;
  readonly json?: boolean;
  readonly seed?: string;
  readonly runs?: string;
  readonly maxMistakes?: string;
}

type Out = (s: string) => void;

function intArg(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InputError(`${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return n;
}

/** `{shape, data}`, an eval output line `{id, shape, data}`, or the first such line of a file. */
export function readObserved(path: string): Observed {
  const text = path === '-' ? readFileSync(0, 'utf8') : readFileSync(path, 'utf8');
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    const first = text.split('\n').find((l) => l.trim());
    try {
      v = first === undefined ? undefined : JSON.parse(first);
    } catch (e) {
      throw new InputError(`${path}: is not valid JSON: ${(e as Error).message}`);
    }
  }
  const o = v as Record<string, unknown> | undefined;
  if (!o || typeof o !== 'object' || !Array.isArray(o['shape']) || !Array.isArray(o['data'])) {
    throw new InputError(`${path}: an observed output must be {"shape": [...], "data": [...]} (as \`convcheck eval\` prints)`);
  }
  return { shape: o['shape'] as number[], data: o['data'] as Array<number | string> };
}

export function diagnoseCommand(a: string, b: string | undefined, args: DiagnoseArgs, out: Out, err: Out): number {
  try {
    if ((b === undefined) === (args.observed === undefined)) {
      throw new InputError('give either a second case B or --observed OUT.json (not both)');
    }
    const envSeed = process.env['CONVCHECK_SEED'];
    const seed = intArg('--seed', args.seed ?? (envSeed && envSeed.trim() ? envSeed : undefined), 0) ?? Date.now() % 2 ** 31;
    const trials = intArg('--runs', args.runs, 0) ?? 20;
    const maxMistakes = intArg('--max-mistakes', args.maxMistakes, 1) ?? 3;
    const ca = readOneCase(a);
    const other = b !== undefined ? readOneCase(b) : { observed: readObserved(args.observed!) };
    const d = diagnose(ca, other, { seed, trials, maxMistakes, aSpec: a });
    out(args.json ? JSON.stringify(d, null, 1) : formatDiagnosis(d).trimEnd());
    return d.verdict === 'agree' || d.verdict === 'explained' ? 0 : 1;
  } catch (e) {
    if (e instanceof InputError || e instanceof CaseError) {
      err(`convcheck diagnose: ${e.message}`);
      return 2;
    }
    const cannot = unreadable(e);
    if (cannot) {
      err(`convcheck diagnose: ${cannot}`);
      return 2;
    }
    throw e;
  }
}
