/**
 * Reading native attribute values. A value of the wrong type or form is a call the framework
 * rejects (Python raises a TypeError or ValueError), so it is a ConvError result, like any other
 * refusal; only the structure of a case (unknown attribute names, bad tensors) is a CaseError.
 */
import { ConvError, show } from '../core/errors.js';

export class Attrs {
  private readonly used = new Set<string>();
  constructor(
    readonly op: string,
    private readonly values: Readonly<Record<string, unknown>>,
  ) {}

  has(name: string): boolean {
    return this.values[name] !== undefined && this.values[name] !== null;
  }

  raw(name: string): unknown {
    this.used.add(name);
    return this.values[name];
  }

  /** A required argument is missing (Python: missing positional argument). */
  required(name: string): ConvError {
    return new ConvError(this.op, name, 'is required');
  }

  /** The value has the wrong type or form for this argument. */
  malformed(name: string, want: string): ConvError {
    return new ConvError(this.op, name, `must be ${want}, got ${show(this.values[name])}`);
  }

  reject(name: string, detail: string): ConvError {
    return new ConvError(this.op, name, detail);
  }

  int(name: string, dflt: number): number {
    const v = this.raw(name);
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw this.malformed(name, 'an integer');
    return v;
  }

  bool(name: string, dflt: boolean): boolean {
    const v = this.raw(name);
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'boolean') throw this.malformed(name, 'true or false');
    return v;
  }

  string(name: string, dflt: string): string {
    const v = this.raw(name);
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'string') throw this.malformed(name, 'a string');
    return v;
  }

  /** An int or a list of ints, returned as a list (an int becomes a one-element list). */
  intOrList(name: string): number[] | undefined {
    const v = this.raw(name);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isInteger(v)) return [v];
    if (isIntList(v)) return v;
    throw this.malformed(name, 'an integer or a list of integers');
  }

  intList(name: string): number[] | undefined {
    const v = this.raw(name);
    if (v === undefined || v === null) return undefined;
    if (isIntList(v)) return v;
    throw this.malformed(name, 'a list of integers');
  }

  /** Either a string or a list of [lo, hi] integer pairs. */
  paddingSpec(name: string, dflt?: string): string | Array<[number, number]> {
    const v = this.raw(name);
    if (v === undefined || v === null) {
      if (dflt === undefined) throw this.required(name);
      return dflt;
    }
    if (typeof v === 'string') return v;
    if (Array.isArray(v) && v.every((p) => Array.isArray(p) && isIntList(p))) {
      for (const p of v as number[][]) {
        if (p.length !== 2) throw this.reject(name, `entries must be [before, after] pairs, got ${show(p)}`);
      }
      return v as Array<[number, number]>;
    }
    throw this.malformed(name, 'a string or a list of [lo, hi] pairs');
  }

  /** Names present in the case that the op does not take. */
  unknown(allowed: readonly string[]): string[] {
    return Object.keys(this.values).filter((k) => !allowed.includes(k));
  }
}

function isIntList(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isInteger(x));
}

/** Repeats a one-element list to `n` entries; leaves an n-element list; else rejects. */
export function expandTo(op: string, name: string, v: readonly number[] | undefined, n: number, dflt: number): number[] {
  if (v === undefined) return new Array<number>(n).fill(dflt);
  if (v.length === 1) return new Array<number>(n).fill(v[0]!);
  if (v.length === n) return [...v];
  throw new ConvError(op, name, `must have 1 or ${n} entries, got ${show(v)}`);
}

export function requirePositive(op: string, name: string, v: readonly number[]): void {
  if (v.some((x) => x < 1)) throw new ConvError(op, name, `must be positive, got ${show(v)}`);
}
