/**
 * The machine a verdict was reached on. The same runtime can be right on one CPU and wrong on
 * another (TF's oneDNN kernels pick code paths by ISA), so every report and saved regression
 * records this, and a known finding may be conditioned on it.
 */
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, cpus, platform, release } from 'node:os';
import { dirname, join } from 'node:path';

export interface Machine {
  /** CPU model name, as the OS reports it. */
  readonly cpu: string;
  /** The SIMD flags that select kernels: sse4*, avx, avx2, fma, avx512*, amx*. */
  readonly isa: string[];
  readonly os: string;
  readonly arch: string;
  readonly node: string;
  /** Runtime library versions; absent when not installed. */
  readonly libraries: Readonly<Record<string, string>>;
  /** Whether TF's oneDNN kernels are on (TF_ENABLE_ONEDNN_OPTS, default on for x86-64). */
  readonly onednn: boolean;
}

const ISA = /^(sse4_[12]|avx|avx2|fma|f16c|avx512.*|amx.*|avx_vnni)$/;

function cpuFlags(): string[] {
  try {
    const text = readFileSync('/proc/cpuinfo', 'utf8');
    const line = /^flags\s*:(.*)$/m.exec(text);
    return line ? line[1]!.trim().split(/\s+/).filter((f) => ISA.test(f)).sort() : [];
  } catch {
    return []; // not Linux: the model name still says something
  }
}

const require = createRequire(import.meta.url);

function packageVersion(name: string): string | undefined {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return undefined;
  }
}

/** The TensorFlow C library tfjs-node is linked against: the pip wheel its deps/ point into. */
function tensorflowCVersion(): string | undefined {
  try {
    const pkg = dirname(require.resolve('@tensorflow/tfjs-node/package.json'));
    const lib = realpathSync(join(pkg, 'deps', 'lib', 'libtensorflow.so'));
    const site = dirname(dirname(lib));
    const info = readdirSync(site).find((e) => /^tensorflow(_cpu)?-[\d.]+\.dist-info$/.test(e));
    return info ? /-([\d.]+)\.dist-info$/.exec(info)![1] : undefined;
  } catch {
    return undefined;
  }
}

export function onednnEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env['TF_ENABLE_ONEDNN_OPTS'];
  // TF reads it as a boolean; anything but an explicit off leaves its default (on, on x86-64).
  return !(v !== undefined && /^(0|false|no|off)$/i.test(v.trim()));
}

let cached: Machine | undefined;

export function machine(): Machine {
  if (cached) return cached;
  const libraries: Record<string, string> = {};
  for (const [key, pkg] of [
    ['onnxruntime-node', 'onnxruntime-node'],
    ['tfjs', '@tensorflow/tfjs-core'],
    ['tfjs-node', '@tensorflow/tfjs-node'],
  ] as const) {
    const v = packageVersion(pkg);
    if (v) libraries[key] = v;
  }
  const tfc = tensorflowCVersion();
  if (tfc) libraries['tensorflow-c'] = tfc;
  cached = {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    isa: cpuFlags(),
    os: `${platform()} ${release()}`,
    arch: arch(),
    node: process.version,
    libraries,
    onednn: onednnEnabled(),
  };
  return cached;
}

/** One line for terminals and simple report fields. */
export function machineLine(m: Machine = machine()): string {
  const simd = m.isa.filter((f) => f === 'avx2' || f === 'avx512f').join('+') || 'no avx2';
  const libs = Object.entries(m.libraries).map(([k, v]) => `${k} ${v}`).join(', ');
  return `${m.cpu} (${simd}), ${m.os} ${m.arch}, node ${m.node}, oneDNN ${m.onednn ? 'on' : 'off'}${libs ? `; ${libs}` : ''}`;
}
