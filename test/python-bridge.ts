/**
 * The Python bridge of the tests: which Python has the real frameworks, and a runner for
 * test/python/bridge.py (emitted code in the target framework against the source call as
 * written in its own framework). Python: $CONVCHECK_PYTHON, else .venv/bin/python, else python3.
 * TF runs with TF_ENABLE_ONEDNN_OPTS=0: its default oneDNN kernels misbehave on some CPUs
 * (docs/findings.md), and these tests must not depend on the machine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENV = { ...process.env, TF_ENABLE_ONEDNN_OPTS: '0', TF_CPP_MIN_LOG_LEVEL: '3', JAX_PLATFORMS: 'cpu', CUDA_VISIBLE_DEVICES: '' };

function candidates(): string[] {
  const env = process.env['CONVCHECK_PYTHON'];
  return [...(env ? [env] : []), ...(existsSync(`${ROOT}.venv/bin/python`) ? [`${ROOT}.venv/bin/python`] : []), 'python3'];
}

const MODULES: Record<string, string> = { tf: 'tensorflow', jax: 'jax', torch: 'torch', onnx: 'onnxruntime', flax: 'flax' };

let found: { python: string; modules: Set<string> } | undefined | null = null;

/** The first Python with numpy, and the modules it has (found once; find_spec does not import). */
function probe(): { python: string; modules: Set<string> } | undefined {
  if (found !== null) return found;
  const names = [...Object.values(MODULES), 'onnx'];
  const code = `import importlib.util, json; print(json.dumps([m for m in ${JSON.stringify(names)} if importlib.util.find_spec(m)]))`;
  found = undefined;
  for (const py of candidates()) {
    const r = spawnSync(py, ['-c', `import numpy; ${code}`], { env: ENV, encoding: 'utf8', timeout: 60_000 });
    if (r.status === 0) {
      found = { python: py, modules: new Set(JSON.parse(r.stdout.trim()) as string[]) };
      break;
    }
  }
  return found;
}

/** A Python that has numpy and every framework listed (tf, jax, torch, onnx, flax), or undefined. */
export function pythonWith(frameworks: readonly string[]): string | undefined {
  const p = probe();
  if (!p) return undefined;
  const mods = [...frameworks.map((f) => MODULES[f] ?? f), ...(frameworks.includes('onnx') ? ['onnx'] : [])];
  return mods.every((m) => p.modules.has(m)) ? p.python : undefined;
}

export interface BridgeCall {
  /** null: the source is not run, and the result holds the target's output (`data`). */
  readonly source: { readonly framework: string; readonly op: string; readonly attrs?: Record<string, unknown> } | null;
  readonly dtype?: string;
  readonly x: { shape: number[]; data: number[] };
  readonly w: { shape: number[]; data: number[] };
  readonly b?: { shape: number[]; data: number[] } | null;
  readonly output_shape?: readonly number[] | null;
}

export type BridgeResult =
  | { shape_source: number[]; shape_target: number[]; max_abs_diff: number | null }
  | { shape_target: number[]; data: number[] }
  | { error: string; side: 'source' | 'target'; at_call: boolean };

export function runBridge(python: string, jobs: Array<{ module: string; entry?: string; calls: BridgeCall[] }>): BridgeResult[][] {
  const r = spawnSync(python, [`${ROOT}test/python/bridge.py`], { input: JSON.stringify(jobs), env: ENV, encoding: 'utf8', maxBuffer: 1 << 26, timeout: 600_000 });
  if (r.status !== 0) throw new Error(`bridge.py failed (${r.status}): ${r.stderr.slice(-3000)}`);
  return JSON.parse(r.stdout) as BridgeResult[][];
}
