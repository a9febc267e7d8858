/**
 * `--precision PROFILE|auto` in the runner: judging one implementation under a profile, or under
 * all of them at once to find the tightest it meets, and the error / bound distribution per cell.
 */
import type { OracleCall, OracleResult } from '../../oracles/types.js';
import type { Implementation } from '../../properties/implementation.js';
import { isProfileName, PROFILE_NAMES, type ProfileName } from '../../properties/precision/profiles.js';
import type { Verdict } from '../../properties/property.js';

export type PrecisionMode = ProfileName | 'auto';

export function parsePrecision(s: string): PrecisionMode {
  if (s === 'auto' || isProfileName(s)) return s;
  throw new Error(`--precision must be one of ${PROFILE_NAMES.join(', ')} or auto, got ${JSON.stringify(s)}`);
}

/** The implementation judged under `p`; everything else (its methods, capabilities) unchanged. */
export function withPrecision(impl: Implementation, p: ProfileName): Implementation {
  return Object.assign(Object.create(impl) as Implementation, { precision: p });
}

/**
 * The implementation with its answers remembered, so that one generated input can be judged
 * under every profile while the implementation runs each call once.
 */
export function remembering(impl: Implementation): Implementation {
  const seen = new Map<string, Promise<OracleResult>>();
  const key = (c: OracleCall) =>
    JSON.stringify([c.framework, c.op, c.attrs, c.dtype, Object.entries(c.inputs).map(([k, t]) => [k, t.shape, Array.from(t.data, String)])]);
  return Object.assign(Object.create(impl) as Implementation, {
    run(call: OracleCall): Promise<OracleResult> {
      const k = key(call);
      let r = seen.get(k);
      if (!r) {
        r = impl.run(call);
        seen.set(k, r);
      }
      return r;
    },
  });
}

/** Per profile (or 'default', the dtype's own): the error / bound of every numeric case judged. */
export type RatioLog = Map<string, { judged: number; failed: number; ratios: number[] }>;

export function logVerdict(log: RatioLog, profile: string, v: Verdict): void {
  if (v.status === 'unsupported' || v.status === 'lenient') return;
  let e = log.get(profile);
  if (!e) log.set(profile, (e = { judged: 0, failed: 0, ratios: [] }));
  e.judged++;
  if (v.status === 'fail') {
    e.failed++;
    e.ratios.push(v.ratio ?? Infinity);
  } else if (v.ratio !== undefined) e.ratios.push(v.ratio);
}

export interface ProfileStats {
  readonly profile: string;
  /** Cases judged under it, failed under it. */
  readonly judged: number;
  readonly failed: number;
  /** Numeric comparisons with no error at all (integer data are exact under every profile). */
  readonly exact: number;
  /**
   * Median error / bound over the comparisons with some error (the exact ones would make it 0),
   * and the largest; null when there were none.
   */
  readonly median: number | null;
  readonly max: number | null;
}

export interface CellPrecision {
  readonly mode: PrecisionMode | 'default';
  readonly profiles: readonly ProfileStats[];
  /** auto: the tightest profile every judged case met, or 'none'. */
  readonly meets?: ProfileName | 'none';
}

export function summarize(mode: CellPrecision['mode'], log: RatioLog): CellPrecision {
  const order: string[] = mode === 'auto' ? [...PROFILE_NAMES] : [mode];
  const profiles = order.map((p): ProfileStats => {
    const e = log.get(p) ?? { judged: 0, failed: 0, ratios: [] };
    const sorted = e.ratios.filter((r) => r > 0).sort((a, b) => a - b);
    const n = sorted.length;
    const median = n === 0 ? null : n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
    const exact = e.ratios.length - n;
    return { profile: p, judged: e.judged, failed: e.failed, exact, median, max: n === 0 ? (exact ? 0 : null) : sorted[n - 1]! };
  });
  if (mode !== 'auto') return { mode, profiles };
  const met = profiles.find((s) => s.failed === 0);
  return { mode, profiles, meets: met ? (met.profile as ProfileName) : 'none' };
}

/**
 * The tightest profile every cell meets (cells with nothing judged do not count), or 'none'; null
 * when no cell judged anything.
 */
export function overallPrecision(cells: ReadonlyArray<{ precision?: CellPrecision; failed: number }>): ProfileName | 'none' | null {
  const judged = cells.filter((c) => c.precision?.mode === 'auto' && c.precision.profiles.some((s) => s.judged > 0));
  if (judged.length === 0) return null;
  if (judged.some((c) => c.precision!.meets === 'none')) return 'none';
  for (const p of PROFILE_NAMES) {
    if (judged.every((c) => c.precision!.profiles.find((s) => s.profile === p)!.failed === 0)) return p;
  }
  return 'none';
}

const fmt = (r: number | null) => (r === null ? '-' : Number.isFinite(r) ? r.toPrecision(3) : '∞');

/**
 * The precision section of the text report: per cell, error / bound (median / max) under each
 * profile judged, and with auto the tightest profile met; the last line is `precision: meets P`
 * (auto) for the whole run.
 */
export function precisionReport(cells: ReadonlyArray<{ oracle: string; property: string; precision?: CellPrecision; failed: number }>): string {
  const lines: string[] = [];
  const auto = cells.some((c) => c.precision?.mode === 'auto');
  lines.push(`error / bound per cell (median / max over the comparisons with any error)${auto ? ' under each profile, and the tightest profile met' : ''}:`);
  for (const c of cells) {
    const p = c.precision;
    // Cells with no numeric comparison with an error (shape law, validity, integer-only) say nothing here.
    // (A cell merged from several streams has no median; its largest error still shows.)
    if (!p || (p.profiles.every((s) => s.median === null && !(s.max! > 0)) && p.meets !== 'none')) continue;
    const stats = p.profiles.map((s) => `${s.profile} ${fmt(s.median)} / ${fmt(s.max)}`).join(', ');
    lines.push(`  ${c.oracle} · ${c.property}: ${stats}${p.meets ? `; meets ${p.meets}` : ''}`);
  }
  if (auto) {
    const overall = overallPrecision(cells);
    // Nothing compared numerically shows no profile met: reported (and exits) as none.
    lines.push(`precision: meets ${overall ?? 'none (no numeric comparison was made)'}`);
  }
  return lines.join('\n');
}
