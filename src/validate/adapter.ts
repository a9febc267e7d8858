/**
 * User implementations. A module default-exports an adapter:
 *
 *   export default { name: 'my-webgpu-conv', framework: 'onnx', ops: ['Conv', 'ConvTranspose'],
 *                    run(c) { ...; return { shape, data } } }
 *
 * `run` takes a case in the eval format and returns `{shape, data}` (or a Promise of it), or
 * throws for a call it rejects.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { OracleCall, OracleResult } from '../../oracles/types.js';
import type { Implementation } from '../../properties/implementation.js';
import type { CaseJson } from '../case/case.js';
import { jsonNumber } from '../case/io.js';
import type { Framework } from '../conventions/index.js';
import { checkDeclaration, DeclarationError } from './declaration.js';

export interface Adapter {
  readonly name: string;
  readonly framework: Framework;
  readonly ops: readonly string[];
  /** Whether it computes float64 cases; default false (cases are float32). */
  readonly float64?: boolean;
  run(c: CaseJson): { shape: readonly number[]; data: ArrayLike<number> } | Promise<{ shape: readonly number[]; data: ArrayLike<number> }>;
}

export class AdapterError extends Error {}

/** Checks an adapter's shape, with errors that say what is missing. */
export function checkAdapter(a: unknown, where: string): Adapter {
  if (typeof a !== 'object' || a === null) throw new AdapterError(`${where}: the default export must be an object { name, framework, ops, run }`);
  const o = a as Record<string, unknown>;
  try {
    checkDeclaration(o, where);
  } catch (e) {
    if (e instanceof DeclarationError) throw new AdapterError(e.message);
    throw e;
  }
  if (typeof o['run'] !== 'function') throw new AdapterError(`${where}: run must be a function (case) => {shape, data}`);
  return a as Adapter;
}

/** Imports a module (path relative to the working directory) and checks its default export. */
export async function loadAdapter(path: string): Promise<Adapter> {
  const url = pathToFileURL(resolve(path)).href;
  let mod: { default?: unknown };
  try {
    mod = (await import(url)) as { default?: unknown };
  } catch (e) {
    throw new AdapterError(`cannot load ${path}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  return checkAdapter(mod.default, path);
}

/** The call as the eval-format case the adapter receives. */
export function toCaseJson(call: OracleCall): CaseJson {
  const inputs = Object.fromEntries(Object.entries(call.inputs).map(([k, t]) => [k, { shape: [...t.shape], data: Array.from(t.data, jsonNumber) }]));
  return { framework: call.framework, op: call.op, attrs: { ...call.attrs }, inputs, dtype: call.dtype };
}

/** An adapter as an implementation: throws become 'rejected', malformed answers 'failed'. */
export function adapterImplementation(a: Adapter, timeoutMs = 30_000): Implementation {
  return {
    name: a.name,
    ops: a.ops.map((op) => [a.framework, op] as const),
    float64: a.float64 === true,
    async run(call: OracleCall): Promise<OracleResult> {
      let timer: NodeJS.Timeout | undefined;
      try {
        const answer = await Promise.race([
          Promise.resolve().then(() => a.run(toCaseJson(call))),
          new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new TimeoutError(`no answer within ${timeoutMs} ms`)), timeoutMs))),
        ]);
        return toResult(answer);
      } catch (e) {
        if (e instanceof TimeoutError) return { kind: 'failed', error: `${a.name}: ${e.message}` };
        return { kind: 'rejected', error: e instanceof Error ? e.message : String(e) };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

class TimeoutError extends Error {}

function toResult(v: unknown): OracleResult {
  const o = v as { shape?: unknown; data?: unknown } | null;
  if (!o || !Array.isArray(o.shape) || !o.shape.every((d) => Number.isInteger(d) && d >= 0)) {
    return { kind: 'failed', error: `run() must return {shape: number[], data: number[]}, got ${JSON.stringify(v)?.slice(0, 120)}` };
  }
  const data = o.data as ArrayLike<number> | undefined;
  const n = (o.shape as number[]).reduce((a, b) => a * b, 1);
  if (!data || typeof data.length !== 'number' || data.length !== n) {
    return { kind: 'failed', error: `run() returned shape [${(o.shape as number[]).join(', ')}] with ${data?.length ?? 'no'} values (needs ${n})` };
  }
  return { kind: 'value', shape: [...(o.shape as number[])], data: Float64Array.from(data, Number) };
}
