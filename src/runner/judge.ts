/**
 * One input judged as the runner judges it: under the precision mode, a throw out of a check as a
 * failure, and leniency a failure only with --strict. The error / bound of each profile comes back
 * with the verdict rather than going straight into the cell's log: with several checks in flight,
 * only the ones the search consumes (in order) may count.
 */
import { knownFinding, type KnownFinding } from '../../oracles/known.js';
import { describeThrown } from '../../oracles/types.js';
import type { Implementation } from '../../properties/implementation.js';
import type { Property, Verdict } from '../../properties/property.js';
import { PROFILE_NAMES } from '../../properties/precision/profiles.js';
import { logVerdict, remembering, withPrecision, type PrecisionMode, type RatioLog } from './precision.js';

export interface Judged {
  readonly verdict: Verdict;
  /** [profile, verdict] pairs for the precision log; failures inside a known finding left out. */
  readonly logged: ReadonlyArray<readonly [string, Verdict]>;
}

export interface JudgeOptions {
  readonly mode: PrecisionMode | undefined;
  readonly strict: boolean;
  readonly registry: readonly KnownFinding[];
}

export function logJudged(log: RatioLog, j: Judged): void {
  for (const [profile, v] of j.logged) logVerdict(log, profile, v);
}

async function checked(prop: Property<unknown>, impl: Implementation, input: unknown): Promise<Verdict> {
  try {
    return await prop.check(impl, input);
  } catch (e) {
    return { status: 'fail', message: `${prop.name} crashed: ${describeThrown(e)}`, cases: [] };
  }
}

/**
 * auto: judged under every profile (the implementation runs each call once); it fails only when
 * it fails under all of them, with the loosest profile's verdict. Leniency and unsupported calls
 * do not depend on the profile.
 */
export async function judge(o: JudgeOptions, impl: Implementation, prop: Property<unknown>, input: unknown): Promise<Judged> {
  const logged: Array<readonly [string, Verdict]> = [];
  const record = (profile: string, v: Verdict) => {
    if (!(v.status === 'fail' && knownFinding(impl.name, v.cases, o.registry))) logged.push([profile, v]);
  };
  // Leniency is a failure with --strict, under every profile alike.
  const strictly = (v: Verdict): Verdict => (o.strict && v.status === 'lenient' ? { status: 'fail', message: `lenient (a failure with --strict): ${v.message}`, cases: v.cases } : v);
  if (o.mode !== 'auto') {
    const v = strictly(await checked(prop, o.mode ? withPrecision(impl, o.mode) : impl, input));
    record(o.mode ?? 'default', v);
    return { verdict: v, logged };
  }
  const memo = remembering(impl);
  let last: Verdict = { status: 'pass' };
  let anyMet = false;
  for (const p of PROFILE_NAMES) {
    last = strictly(await checked(prop, withPrecision(memo, p), input));
    if (last.status === 'lenient' || last.status === 'unsupported') return { verdict: last, logged };
    record(p, last);
    if (last.status !== 'fail') anyMet = true;
  }
  return { verdict: anyMet ? { status: 'pass' } : last, logged };
}
