/**
 * Known discrepancies: real departures of an implementation from its convention's spec, each
 * found by convcheck, checked by hand, and written up in docs/findings.md. A run counts a failure
 * that matches one as "known" and keeps searching for new ones; anything else is new.
 *
 * They are data (oracles/known/*.json, schema/known.schema.json, docs/known-findings.md): the
 * built-in registry here, and a user's own files through `--known FILE`, in the same format.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { CaseJson } from '../src/case/case.js';
import { packageRoot } from '../src/root.js';
import { machine as thisMachine, type Machine } from '../src/machine.js';
import { compile, type Env } from './known/expr.js';
import { AXES, quantities, SCALARS, type Quantities } from './known/quantities.js';

export interface MachineCondition {
  readonly onednn?: boolean;
  readonly isaHas?: readonly string[];
  readonly isaLacks?: readonly string[];
  readonly cpu?: string;
  readonly os?: string;
  readonly libraries?: Readonly<Record<string, string>>;
}

type Predicate =
  | { attr: string; equals?: unknown; in?: unknown[]; matches?: string; present?: boolean }
  | { test: string }
  | { anyAxis: string }
  | { allAxes: string }
  | { anyOf: Predicate[] }
  | { not: Predicate };

export interface KnownFindingData {
  readonly id: string;
  readonly oracles: readonly string[];
  readonly summary: string;
  readonly upstream?: string;
  readonly note?: string;
  readonly machine?: MachineCondition;
  readonly region: { readonly framework?: string; readonly ops?: readonly string[]; readonly where?: readonly Predicate[] };
}

export interface KnownFinding extends KnownFindingData {
  /** Where it was loaded from (a built-in file or the user's). */
  readonly source: string;
  /** Whether a failing case falls in this finding's region. */
  matches(c: CaseJson): boolean;
  /** Whether it applies on this machine. */
  appliesOn(m: Machine): boolean;
}

export class KnownFileError extends Error {}

const SCALAR_NAMES = new Set<string>(SCALARS);
const AXIS_NAMES = new Set<string>([...SCALARS, ...AXES]);

/** Each axis's names with the case's scalars, made once per case's quantities. */
const envsOf = new WeakMap<Quantities, Env[]>();
function axisEnvs(q: Quantities): Env[] {
  let e = envsOf.get(q);
  if (!e) envsOf.set(q, (e = q.axes.map((a) => ({ ...q.scalars, ...a }))));
  return e;
}

function compilePredicate(p: Predicate, where: string): (c: CaseJson) => boolean {
  const expr = (src: string, names: ReadonlySet<string>) => {
    try {
      return compile(src, names);
    } catch (e) {
      throw new KnownFileError(`${where}: ${JSON.stringify(src)}: ${(e as Error).message}`);
    }
  };
  if ('attr' in p) {
    const re = p.matches !== undefined ? regex(p.matches, where) : undefined;
    return (c) => {
      const v = c.attrs?.[p.attr];
      if (p.present !== undefined && (v !== undefined) !== p.present) return false;
      if ('equals' in p && JSON.stringify(v) !== JSON.stringify(p.equals)) return false;
      if (p.in && !p.in.some((x) => JSON.stringify(x) === JSON.stringify(v))) return false;
      if (re && !re.test(v === undefined ? '' : String(v))) return false;
      return true;
    };
  }
  if ('test' in p) {
    const f = expr(p.test, SCALAR_NAMES);
    return (c) => {
      const q = quantities(c);
      return !!q && f(q.scalars) === true;
    };
  }
  if ('anyAxis' in p || 'allAxes' in p) {
    const any = 'anyAxis' in p;
    const f = expr(any ? p.anyAxis : (p as { allAxes: string }).allAxes, AXIS_NAMES);
    return (c) => {
      const q = quantities(c);
      if (!q) return false;
      const envs = axisEnvs(q);
      return any ? envs.some((e) => f(e) === true) : envs.length > 0 && envs.every((e) => f(e) === true);
    };
  }
  if ('anyOf' in p) {
    const fs = p.anyOf.map((x) => compilePredicate(x, where));
    return (c) => fs.some((f) => f(c));
  }
  const f = compilePredicate(p.not, where);
  return (c) => !f(c);
}

function regex(src: string, where: string): RegExp {
  try {
    return new RegExp(src);
  } catch (e) {
    throw new KnownFileError(`${where}: bad regular expression ${JSON.stringify(src)}: ${(e as Error).message}`);
  }
}

function machineTest(m: MachineCondition | undefined, where: string): (x: Machine) => boolean {
  if (!m) return () => true;
  const cpu = m.cpu !== undefined ? regex(m.cpu, where) : undefined;
  const os = m.os !== undefined ? regex(m.os, where) : undefined;
  return (x) =>
    (m.onednn === undefined || m.onednn === x.onednn) &&
    (m.isaHas ?? []).every((f) => x.isa.includes(f)) &&
    !(m.isaLacks ?? []).some((f) => x.isa.includes(f)) &&
    (!cpu || cpu.test(x.cpu)) &&
    (!os || os.test(x.os)) &&
    Object.entries(m.libraries ?? {}).every(([lib, prefix]) => (x.libraries[lib] ?? '').startsWith(prefix));
}

let validator: ((v: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null } | undefined;

function validateFile(v: unknown, source: string): void {
  if (!validator) {
    const schema = JSON.parse(readFileSync(join(packageRoot(), 'schema', 'known.schema.json'), 'utf8')) as object;
    validator = new Ajv2020({ allErrors: false, strict: false }).compile(schema);
  }
  if (!validator(v)) {
    const e = validator.errors?.[0];
    throw new KnownFileError(`${source}: not a known-findings file (schema/known.schema.json): ${e ? `${e.instancePath || '/'} ${e.message ?? ''}` : 'invalid'}`);
  }
}

/** Parses one known-findings document; `source` names it in errors. */
export function parseKnown(text: string, source: string): KnownFinding[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new KnownFileError(`${source}: not JSON: ${(e as Error).message}`);
  }
  validateFile(v, source);
  return (v as { findings: KnownFindingData[] }).findings.map((d) => {
    const where = `${source}: ${d.id}`;
    const preds = (d.region.where ?? []).map((p) => compilePredicate(p, where));
    const onMachine = machineTest(d.machine, where);
    return {
      ...d,
      source,
      matches: (c: CaseJson) =>
        (d.region.framework === undefined || c.framework === d.region.framework) && (d.region.ops === undefined || d.region.ops.includes(c.op)) && preds.every((p) => p(c)),
      appliesOn: onMachine,
    };
  });
}

export function loadKnownFile(path: string): KnownFinding[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new KnownFileError(`cannot read known-findings file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseKnown(text, path);
}

function builtin(): KnownFinding[] {
  const dir = join(packageRoot(), 'oracles', 'known');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => loadKnownFile(join(dir, f)));
}

/** Every built-in known finding (oracles/known/*.json). */
export const KNOWN: readonly KnownFinding[] = builtin();

/** The built-in findings plus those in the user's files; ids must stay unique. */
export function knownRegistry(files: readonly string[] = []): readonly KnownFinding[] {
  const all = [...KNOWN, ...files.flatMap(loadKnownFile)];
  const seen = new Map<string, string>();
  for (const k of all) {
    const first = seen.get(k.id);
    if (first !== undefined) throw new KnownFileError(`${k.source}: known finding id ${JSON.stringify(k.id)} is already defined in ${first}`);
    seen.set(k.id, k.source);
  }
  return all;
}

/** Answers for this machine, per verdict's cases: a run asks about one failure several times. */
const onThisMachine = new WeakMap<readonly CaseJson[], Map<readonly KnownFinding[], Map<string, KnownFinding | null>>>();

/** The first finding of this implementation, applying on this machine, whose region holds a case. */
export function knownFinding(oracle: string, cases: readonly CaseJson[], registry: readonly KnownFinding[] = KNOWN, m?: Machine): KnownFinding | undefined {
  const find = () => registry.find((k) => k.oracles.includes(oracle) && k.appliesOn(m ?? thisMachine()) && cases.some((c) => k.matches(c)));
  if (m !== undefined) return find();
  let byRegistry = onThisMachine.get(cases);
  if (!byRegistry) onThisMachine.set(cases, (byRegistry = new Map()));
  let byOracle = byRegistry.get(registry);
  if (!byOracle) byRegistry.set(registry, (byOracle = new Map()));
  let k = byOracle.get(oracle);
  if (k === undefined) byOracle.set(oracle, (k = find() ?? null));
  return k ?? undefined;
}
