/**
 * How large generated cases get. `small` (the default) keeps every tensor to a few hundred
 * elements: fast, and readable when shrunk. `medium` and `large` reach the sizes where kernels
 * tile (8/16/32-wide tiles, vector widths, workgroup edges): `large` goes to 64 along a 1-D axis,
 * 40 in 2-D, 12 in 3-D, and up to 36 channels, while a 2-D case stays around 10^5 elements.
 */
export type SizePreset = 'small' | 'medium' | 'large';
export const SIZE_PRESETS_NAMES: readonly SizePreset[] = ['small', 'medium', 'large'];

/** Caps per spatial rank (index 0 is rank 1) and on the channel count of any tensor. */
export interface SizeLimits {
  /** Largest input extent drawn per spatial axis (padding and the kernel may add a little). */
  readonly spatial: readonly [number, number, number];
  readonly kernel: readonly [number, number, number];
  readonly channels: number;
}

export const SIZE_PRESETS: Readonly<Record<SizePreset, SizeLimits>> = {
  small: { spatial: [7, 5, 3], kernel: [4, 3, 2], channels: 9 },
  medium: { spatial: [20, 12, 6], kernel: [6, 4, 3], channels: 18 },
  large: { spatial: [64, 40, 12], kernel: [9, 5, 3], channels: 36 },
};

/** Explicit limits (`--max-spatial`, `--max-channels`, `--max-kernel`, or an implementation's). */
export interface ExplicitLimits {
  readonly spatial?: number;
  readonly channels?: number;
  readonly kernel?: number;
}

/** Spatial positions per tensor under an explicit spatial limit: keeps rank 2 and 3 sane. */
const POSITIONS = 1 << 16;

/**
 * The limits of a run: the preset, with explicit limits replacing it (an explicit spatial limit
 * applies to every rank, at most 65,536 positions per tensor: rank 2 ≤ 256, rank 3 ≤ 40), then
 * capped by what the implementation declares.
 */
export function resolveLimits(preset: SizePreset, explicit: ExplicitLimits = {}, declared: ExplicitLimits = {}): SizeLimits {
  const p = SIZE_PRESETS[preset];
  const perRank = (base: readonly [number, number, number], v: number | undefined, cap: (r: number) => number) =>
    base.map((b, i) => (v === undefined ? b : Math.max(1, Math.min(v, cap(i + 1))))) as unknown as [number, number, number];
  let spatial = perRank(p.spatial, explicit.spatial, (r) => Math.floor(POSITIONS ** (1 / r) + 1e-9));
  let kernel = perRank(p.kernel, explicit.kernel, () => Infinity);
  let channels = explicit.channels ?? p.channels;
  if (declared.spatial !== undefined) spatial = spatial.map((x) => Math.min(x, declared.spatial!)) as unknown as [number, number, number];
  if (declared.kernel !== undefined) kernel = kernel.map((x) => Math.min(x, declared.kernel!)) as unknown as [number, number, number];
  if (declared.channels !== undefined) channels = Math.min(channels, declared.channels);
  return { spatial, kernel, channels: Math.max(1, channels) };
}

/** What a run was asked for on the command line. */
export interface SizeOptions {
  readonly preset?: SizePreset;
  readonly limits?: ExplicitLimits;
}

/** The flags that reproduce `o` (for replay commands): "" for the default. */
export function sizeFlags(o: SizeOptions | undefined): string {
  if (!o) return '';
  const l = o.limits ?? {};
  return [
    o.preset && o.preset !== 'small' ? ` --sizes ${o.preset}` : '',
    l.spatial !== undefined ? ` --max-spatial ${l.spatial}` : '',
    l.channels !== undefined ? ` --max-channels ${l.channels}` : '',
    l.kernel !== undefined ? ` --max-kernel ${l.kernel}` : '',
  ].join('');
}

/** Parses `--sizes` and the explicit limits; throws a plain Error with the flag's name on bad input. */
export function parseSizeOptions(a: { sizes?: string; maxSpatial?: string; maxChannels?: string; maxKernel?: string }): SizeOptions {
  const preset = a.sizes ?? 'small';
  if (!(SIZE_PRESETS_NAMES as readonly string[]).includes(preset)) throw new Error(`--sizes must be one of ${SIZE_PRESETS_NAMES.join(', ')}, got ${JSON.stringify(a.sizes)}`);
  const num = (flag: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got ${JSON.stringify(v)}`);
    return n;
  };
  const spatial = num('--max-spatial', a.maxSpatial);
  const channels = num('--max-channels', a.maxChannels);
  const kernel = num('--max-kernel', a.maxKernel);
  const limits = { ...(spatial !== undefined ? { spatial } : {}), ...(channels !== undefined ? { channels } : {}), ...(kernel !== undefined ? { kernel } : {}) };
  return { preset: preset as SizePreset, ...(Object.keys(limits).length ? { limits } : {}) };
}
