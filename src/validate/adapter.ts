/**
 * User implementations. A module default-exports an adapter:
 *
 *   export default { name: 'my-webgpu-conv', framework: 'onnx', ops: ['Conv', 'ConvTranspose'],
 *                    capabilities: { ranks: [2] },
 *                    run(c) { ...; return { shape, data } } }
 *
 * or a function of the options (`--impl-option k=v`, strings) that returns one (or a Promise of
 * one). `run` takes a case in the eval format and returns `{shape, data}` (or a Promise of it),
 * throws for a call it rejects, or returns `{unsupported: 'why'}` for a call outside what it
 * implements (counted apart, never wrong).
 *
 * `convcheck validate --impl` loads the module in an oracle host process (oracles/adapter/), so
 * that a crash, a hang or a stray exception in it is a verdict; `adapterImplementation` runs an
 * adapter object in this process, for the library API.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BackendFailure, describeThrown, Unsupported, type BackendInfo, type OracleCall, type OracleResult } from '../../oracles/types.js';
import type { Capabilities } from '../../properties/capabilities.js';
import type { Implementation } from '../../properties/implementation.js';
import type { CaseJson } from '../case/case.js';
import { tensorJson } from '../case/io.js';
import type { Framework } from '../conventions/index.js';
import type { Tensor } from '../core/tensor.js';
import { checkDeclaration, DeclarationError } from './declaration.js';

export type AdapterAnswer = { shape: readonly number[]; data: ArrayLike<number> } | { unsupported: string };

export interface Adapter {
  readonly name: string;
  readonly framework: Framework;
  readonly ops: readonly string[];
  /** Whether it computes float64 cases; default false (cases are float32). */
  readonly float64?: boolean;
  /** What it supports (properties/capabilities.ts); generated cases stay inside it. */
  readonly capabilities?: Capabilities;
  run(c: CaseJson): AdapterAnswer | Promise<AdapterAnswer>;
}

/** Options given with `--impl-option k=v`. */
export type AdapterOptions = Readonly<Record<string, string>>;

export class AdapterError extends Error {}

/** Checks an adapter's shape, with errors that say what is missing; returns its declaration. */
export function checkAdapter(a: unknown, where: string): Adapter {
  adapterInfo(a, where);
  return a as Adapter;
}

/** The declaration of an adapter object (name, framework, ops, float64, capabilities). */
export function adapterInfo(a: unknown, where: string): BackendInfo {
  if (typeof a !== 'object' || a === null) throw new AdapterError(`${where}: the default export must be an object { name, framework, ops, run } or a function of the options returning one`);
  const o = a as Record<string, unknown>;
  let info: BackendInfo;
  try {
    info = checkDeclaration(o, where);
  } catch (e) {
    if (e instanceof DeclarationError) throw new AdapterError(e.message);
    throw e;
  }
  if (typeof o['run'] !== 'function') throw new AdapterError(`${where}: run must be a function (case) => {shape, data}`);
  return info;
}

/**
 * Imports a module (path relative to the working directory) and checks its default export; a
 * function is called with the options first. This runs the module's code in this process.
 */
export async function loadAdapter(path: string, options: AdapterOptions = {}): Promise<Adapter> {
  const url = pathToFileURL(resolve(path)).href;
  let exported: unknown;
  try {
    exported = ((await import(url)) as { default?: unknown }).default;
  } catch (e) {
    throw new AdapterError(`cannot load ${path}: ${describeThrown(e).split('\n')[0]}`);
  }
  if (typeof exported === 'function') {
    try {
      exported = await (exported as (o: AdapterOptions) => unknown)(options);
    } catch (e) {
      throw new AdapterError(`${path}: the default export, called with the options ${JSON.stringify(options)}, threw: ${describeThrown(e).split('\n')[0]}`);
    }
  }
  return checkAdapter(exported, path);
}

/** The call as the eval-format case the adapter receives. */
export function toCaseJson(call: OracleCall): CaseJson {
  const inputs = Object.fromEntries(Object.entries(call.inputs).map(([k, t]) => [k, tensorJson(t)]));
  return { framework: call.framework, op: call.op, attrs: { ...call.attrs }, inputs, dtype: call.dtype };
}

/**
 * What `run` returned, as a tensor. `{unsupported}` throws Unsupported; anything that is not a
 * well-formed `{shape, data}` throws BackendFailure (a broken answer, not a refusal).
 */
export function adapterAnswer(v: unknown): Tensor {
  const o = v as { shape?: unknown; data?: unknown; unsupported?: unknown } | null;
  if (o && typeof o === 'object' && typeof o.unsupported === 'string') throw new Unsupported(o.unsupported);
  if (!o || typeof o !== 'object' || !Array.isArray(o.shape) || !o.shape.every((d) => Number.isInteger(d) && d >= 0)) {
    let shown: string;
    try {
      shown = JSON.stringify(v)?.slice(0, 120) ?? String(v);
    } catch {
      shown = describeThrown(v);
    }
    throw new BackendFailure(`run() must return {shape: number[], data: number[]} or {unsupported: "why"}, got ${shown}`);
  }
  const data = o.data as ArrayLike<number> | undefined;
  const n = (o.shape as number[]).reduce((a, b) => a * b, 1);
  if (!data || typeof data.length !== 'number' || data.length !== n) {
    throw new BackendFailure(`run() returned shape [${(o.shape as number[]).join(', ')}] with ${data?.length ?? 'no'} values (needs ${n})`);
  }
  return { shape: [...(o.shape as number[])], data: Float64Array.from(data, Number) };
}

/**
 * An adapter object as an implementation, run in this process: throws become 'rejected' (whatever
 * is thrown), `{unsupported}` 'unsupported', malformed answers and timeouts 'failed'. A
 * synchronous hang or a process.exit cannot be contained here; `validate` with a module path
 * runs the adapter out of process instead.
 */
export function adapterImplementation(a: Adapter, timeoutMs = 30_000): Implementation {
  const info = adapterInfo(a, a.name);
  return {
    name: info.name,
    ops: info.ops.map((op) => [info.framework, op] as const),
    float64: info.float64,
    ...(info.capabilities ? { capabilities: info.capabilities } : {}),
    async run(call: OracleCall): Promise<OracleResult> {
      let timer: NodeJS.Timeout | undefined;
      try {
        const answer = await Promise.race([
          Promise.resolve().then(() => a.run(toCaseJson(call))),
          new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new TimeoutError(`no answer within ${timeoutMs} ms`)), timeoutMs))),
        ]);
        return { kind: 'value', ...adapterAnswer(answer) } as OracleResult;
      } catch (e) {
        if (e instanceof TimeoutError || e instanceof BackendFailure) return { kind: 'failed', error: `${info.name}: ${e.message}` };
        if (e instanceof Unsupported) return { kind: 'unsupported', reason: e.message };
        return { kind: 'rejected', error: describeThrown(e) };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

class TimeoutError extends Error {}
